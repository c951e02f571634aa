/**
 * `version --format` and `info --format`: one template over one document. Like docker: `json`
 * is `{{json .}}`, a template that does not parse exits 64, and what a failing template wrote
 * before its error is still printed. berth's documents are maps, so a name that is not in them
 * is an error (docker's typed documents fail the same way) rather than `<no value>`.
 */
import { FormatFailure } from './failure.js';
import { tabwrite, type TabwriterOptions } from './tabwriter.js';
import { fromAny } from './template/convert.js';
import { DOCKER_FUNCS } from './template/docker-funcs.js';
import { Template, TemplateError } from './template/index.js';

export interface DocumentResult {
  out: Buffer;
  /** docker's message for a template that failed while executing (exit 1). */
  error?: string;
}

export function formatDocument(doc: unknown, format: string, opts: { name?: string; tabwriter?: TabwriterOptions } = {}): DocumentResult {
  let tmpl: Template;
  try {
    tmpl = Template.parse(format === 'json' ? '{{json .}}' : format, DOCKER_FUNCS, opts.name ?? '');
  } catch (e) {
    if (e instanceof TemplateError) throw new FormatFailure(`template parsing error: ${e.message}`, 64);
    throw e;
  }
  let out: string;
  let error: string | undefined;
  try {
    out = tmpl.executeBytes(fromAny(doc, 'native'), DOCKER_FUNCS, 'error');
  } catch (e) {
    if (!(e instanceof TemplateError)) throw e;
    out = e.partial;
    error = e.message;
  }
  out += '\n';
  return { out: Buffer.from(opts.tabwriter ? tabwrite(out, opts.tabwriter) : out, 'latin1'), ...(error ? { error } : {}) };
}
