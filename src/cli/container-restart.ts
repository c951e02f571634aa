/** `berth restart [-t SECONDS] CONTAINER...`. */
import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { forEach, PARALLEL_OPS } from './each.js';

export function define(cmd: Command, ctx: CliContext): void {
  cmd
    .argument('<container...>')
    .option('-t, --time <int>', 'Seconds to wait before killing the container')
    .action(async (names: string[], o: { time?: string }) => {
      const engine = await ctx.engine();
      await forEach(ctx, names, (n) => engine.containers.restart(n, o.time !== undefined ? { timeout: Number(o.time) } : {}), { parallel: PARALLEL_OPS });
    });
}
