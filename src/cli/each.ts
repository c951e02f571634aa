/** Runs an operation on each named container, printing the name on success and docker's error
 *  line per failure (exit 1 if any failed), like `docker stop a b c`. */
import type { CliContext } from './context.js';

export async function forEach(ctx: CliContext, names: string[], op: (name: string) => Promise<void>, echo = true): Promise<void> {
  let failed = false;
  for (const n of names) {
    try {
      await op(n);
      if (echo) ctx.out(n);
    } catch (e) {
      failed = true;
      process.stderr.write(`Error response from daemon: ${(e as Error).message}\n`);
    }
  }
  if (failed) process.exitCode = 1;
}
