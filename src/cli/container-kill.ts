/** `berth kill [-s SIGNAL] CONTAINER...`. */
import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { forEach, PARALLEL_OPS } from './each.js';

export function define(cmd: Command, ctx: CliContext): void {
  cmd
    .argument('<container...>')
    .option('-s, --signal <string>', 'Signal to send to the container', 'KILL')
    .action(async (names: string[], o: { signal: string }) => {
      const engine = await ctx.engine();
      await forEach(ctx, names, (n) => engine.containers.kill(n, o.signal), { parallel: PARALLEL_OPS });
    });
}
