/**
 * Prints inspect documents as docker's CLI does: an indented JSON array, `json` (a compact array
 * on one line), or a template per document. A template runs first on the document decoded into
 * docker's Go type for it (inspect-types.ts); if that fails, docker runs it again on the raw JSON
 * (maps of interfaces, numbers as json.Number) with missing keys as errors, and reports that
 * attempt's error. berth does the same, so `{{.Id}}` and `{{.ID}}` both work and a misspelt field
 * fails with docker's "map has no entry for key" message.
 */
import { FormatFailure } from './failure.js';
import { INSPECT_TYPES, type InspectKind } from './inspect-types.js';
import { fromAny, fromJS } from './template/convert.js';
import { DOCKER_FUNCS } from './template/docker-funcs.js';
import { Template, TemplateError } from './template/index.js';

export interface InspectDoc {
  /** Which Go type docker decodes it into; without one only the raw attempt runs. */
  kind?: InspectKind;
  doc: unknown;
  /**
   * false when docker has no raw JSON to fall back on (`docker volume inspect` gets only the
   * typed volume): the typed attempt's error is reported.
   */
  raw?: boolean;
}

/** Parses an inspect template; docker exits 64 when it does not parse. */
export function parseInspectTemplate(format: string): Template {
  try {
    return Template.parse(format, DOCKER_FUNCS);
  } catch (e) {
    if (e instanceof TemplateError) throw new FormatFailure(`template parsing error: ${e.message}`, 64);
    throw e;
  }
}

/** One document through the template: [output (a byte string), error message]. */
export function inspectOne(tmpl: Template, item: InspectDoc): [string, string?] {
  if (item.kind) {
    try {
      return [tmpl.executeBytes(fromJS(INSPECT_TYPES[item.kind], item.doc), DOCKER_FUNCS)];
    } catch (e) {
      if (!(e instanceof TemplateError)) throw e;
      if (item.raw === false) return ['', `template parsing error: ${e.message}`];
    }
  }
  try {
    return [tmpl.executeBytes(fromAny(item.doc, 'number'), DOCKER_FUNCS, 'error')];
  } catch (e) {
    if (!(e instanceof TemplateError)) throw e;
    return ['', `template parsing error: ${e.message}`];
  }
}

/**
 * The output of `inspect [-f FORMAT]` for the documents found, and the template errors (docker
 * prints them after the output and exits 1).
 */
export function formatInspect(items: InspectDoc[], format?: string): { out: Buffer; errors: string[] } {
  if (!format)
    return {
      out: Buffer.from(
        `${JSON.stringify(
          items.map((i) => i.doc),
          null,
          4,
        )}\n`,
      ),
      errors: [],
    };
  if (format === 'json') return { out: Buffer.from(`${JSON.stringify(items.map((i) => i.doc))}\n`), errors: [] };
  const tmpl = parseInspectTemplate(format);
  let out = '';
  const errors: string[] = [];
  for (const item of items) {
    const [text, err] = inspectOne(tmpl, item);
    if (err) errors.push(err);
    else out += `${text}\n`;
  }
  // docker writes a lone newline when nothing came out.
  return { out: Buffer.from(out || '\n', 'latin1'), errors };
}
