/** `berth stop [-t SECONDS] [-s SIGNAL] CONTAINER...`. */
import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { forEach, PARALLEL_OPS } from './each.js';
import { intOption } from './flags/typed.js';

export function define(cmd: Command, ctx: CliContext): void {
  cmd
    .argument('<container...>')
    .addOption(intOption('-t, --time <int>', 'Seconds to wait before killing the container'))
    .addOption(intOption('--timeout <int>', 'Seconds to wait before killing the container'))
    .option('-s, --signal <string>', 'Signal to send to the container')
    .action(async (names: string[], o: { time?: number; timeout?: number; signal?: string }) => {
      const t = o.time ?? o.timeout;
      const engine = await ctx.engine();
      await forEach(ctx, names, (n) => engine.containers.stop(n, { ...(t !== undefined ? { timeout: t } : {}), ...(o.signal ? { signal: o.signal } : {}) }), {
        parallel: PARALLEL_OPS,
      });
    });
}
