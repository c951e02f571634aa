/** `berth wait CONTAINER...`: prints each exit code. */
import type { Command } from 'commander';
import type { CliContext } from './context.js';

export function define(cmd: Command, ctx: CliContext): void {
  cmd.argument('<container...>').action(async (names: string[]) => {
    const engine = await ctx.engine();
    let failed = false;
    for (const n of names) {
      try {
        ctx.out(String(await engine.containers.wait(n)));
      } catch (e) {
        failed = true;
        process.stderr.write(`Error response from daemon: ${(e as Error).message}\n`);
      }
    }
    if (failed) process.exitCode = 1;
  });
}
