/** `berth restart [-t SECONDS] CONTAINER...`. */
import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { forEach, PARALLEL_OPS } from './each.js';
import { intOption } from './flags/typed.js';

export function define(cmd: Command, ctx: CliContext): void {
  cmd
    .argument('<container...>')
    .addOption(intOption('-t, --time <int>', 'Seconds to wait before killing the container'))
    .action(async (names: string[], o: { time?: number }) => {
      const engine = await ctx.engine();
      await forEach(ctx, names, (n) => engine.containers.restart(n, o.time !== undefined ? { timeout: o.time } : {}), { parallel: PARALLEL_OPS });
    });
}
