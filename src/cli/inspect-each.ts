/**
 * Shared by every inspect command: inspect each name, print what was found, then docker's
 * "Error: No such …" line per missing one and exit 1 if any was missing.
 */
import type { CliContext } from './context.js';
import { formatInspect } from './format/inspect.js';

export async function inspectEach(ctx: CliContext, names: string[], format: string | undefined, one: (name: string) => Promise<unknown>): Promise<void> {
  const docs: unknown[] = [];
  const errors: string[] = [];
  for (const n of names) {
    try {
      docs.push(await one(n));
    } catch (e) {
      errors.push((e as Error).message);
    }
  }
  if (docs.length || !format) ctx.out(formatInspect(docs, format));
  for (const e of errors) process.stderr.write(`Error: ${e}\n`);
  if (errors.length) process.exitCode = 1;
}
