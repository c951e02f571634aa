/**
 * `--format` for list commands, as docker's formatter.Context does it: `table …` (a header row
 * rendered from the template itself against the column names, then columns aligned by docker's
 * tabwriter), `json` (one JSON object per row), `raw`, or any template (one output per row). The
 * `\t` and `\n` the user typed become a tab and a newline; spaces around the format are trimmed.
 */
import { FormatFailure } from './failure.js';
import { headerValue, rowValue, type RowKind } from './rows.js';
import { tabwrite } from './tabwriter.js';
import { DOCKER_FUNCS, HEADER_FUNCS } from './template/docker-funcs.js';
import { Template, TemplateError } from './template/index.js';

export interface ListOptions<R> {
  /** The default table when it depends on flags (`images --digests`, `history --no-human`). */
  defaultFormat?: string;
  /**
   * docker ps checks the template before listing: it parses --format as given and executes it
   * on an empty row, so a bad template fails ("failed to … template") even with no containers.
   */
  validateOn?: R;
}

/** The format docker uses for `source` (the --format value, or undefined). */
function select<R>(source: string | undefined, kind: RowKind<R>, opts: ListOptions<R>): string {
  if (!source || source === 'table') return opts.defaultFormat ?? kind.defaultFormat;
  if (source === 'raw' && kind.rawFormat) return kind.rawFormat;
  return source;
}

function validate<R>(source: string, kind: RowKind<R>, empty: R): void {
  let t: Template;
  try {
    t = Template.parse(source, DOCKER_FUNCS);
  } catch (e) {
    if (e instanceof TemplateError) throw new FormatFailure(`failed to parse template: ${e.message}`, 1);
    throw e;
  }
  try {
    t.executeBytes(rowValue(kind, empty), DOCKER_FUNCS);
  } catch (e) {
    if (e instanceof TemplateError) throw new FormatFailure(`failed to execute template: ${e.message}`, 1);
    throw e;
  }
}

/** Renders rows for `--format` (the bytes to print); throws FormatFailure with docker's message. */
export function formatList<R>(rows: R[], source: string | undefined, kind: RowKind<R>, opts: ListOptions<R> = {}): Buffer {
  if (source && opts.validateOn !== undefined) validate(source, kind, opts.validateOn);
  const format = select(source, kind, opts);
  const isTable = format.startsWith('table');
  let text = isTable ? format.slice('table'.length) : format === 'json' ? '{{json .}}' : format;
  text = text.replace(/^ +| +$/g, '').replace(/\\t|\\n/g, (m) => (m === '\\t' ? '\t' : '\n'));
  let tmpl: Template;
  try {
    tmpl = Template.parse(text, DOCKER_FUNCS);
  } catch (e) {
    if (e instanceof TemplateError) throw new FormatFailure(`template parsing error: ${e.message}`, 1);
    throw e;
  }
  let body = '';
  for (const row of rows) {
    try {
      body += `${tmpl.executeBytes(rowValue(kind, row), DOCKER_FUNCS)}\n`;
    } catch (e) {
      if (e instanceof TemplateError) throw new FormatFailure(`template parsing error: ${e.message}`, 1);
      throw e;
    }
  }
  if (!isTable) return Buffer.from(body, 'latin1');
  // The header is the same template run on the column names; docker ignores its errors and
  // keeps what was written before one.
  let header: string;
  try {
    header = tmpl.executeBytes(headerValue(kind.header), HEADER_FUNCS);
  } catch (e) {
    if (!(e instanceof TemplateError)) throw e;
    header = e.partial;
  }
  return Buffer.from(tabwrite(`${header}\n${body}`), 'latin1');
}
