/**
 * Shared by every inspect command, in docker's order: the template is parsed first (a bad one
 * exits 64 before anything is looked up), each name is inspected and run through it, the output
 * is printed, then one line per name not found ("Error: No such …") or template that failed on
 * a document ("template parsing error: …"), and the exit status is 1 if there was any.
 */
import type { CliContext } from './context.js';
import { formatInspect, inspectOne, parseInspectTemplate, type InspectDoc } from './format/inspect.js';

export async function inspectEach(ctx: CliContext, names: string[], format: string | undefined, one: (name: string) => Promise<InspectDoc>): Promise<void> {
  const tmpl = format && format !== 'json' ? parseInspectTemplate(format) : undefined;
  const items: InspectDoc[] = [];
  const errors: string[] = [];
  let out = '';
  for (const n of names) {
    let item: InspectDoc;
    try {
      item = await one(n);
    } catch (e) {
      errors.push(`Error: ${(e as Error).message}`);
      continue;
    }
    if (!tmpl) {
      items.push(item);
      continue;
    }
    const [text, err] = inspectOne(tmpl, item);
    if (err) errors.push(err);
    else out += `${text}\n`;
  }
  // With a template and no output at all, docker still writes one newline.
  ctx.out(tmpl ? Buffer.from(out || '\n', 'latin1') : formatInspect(items, format).out);
  for (const e of errors) process.stderr.write(`${e}\n`);
  if (errors.length) process.exitCode = 1;
}
