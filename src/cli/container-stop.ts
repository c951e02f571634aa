/** `berth stop [-t SECONDS] [-s SIGNAL] CONTAINER...`. */
import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { forEach, PARALLEL_OPS } from './each.js';

export function define(cmd: Command, ctx: CliContext): void {
  cmd
    .argument('<container...>')
    .option('-t, --time <int>', 'Seconds to wait before killing the container')
    .option('--timeout <int>', 'Seconds to wait before killing the container')
    .option('-s, --signal <string>', 'Signal to send to the container')
    .action(async (names: string[], o: { time?: string; timeout?: string; signal?: string }) => {
      const t = o.time ?? o.timeout;
      if (t !== undefined && !/^-?\d+$/.test(t)) throw new Error(`invalid argument "${t}" for "-t, --time" flag`);
      const engine = await ctx.engine();
      await forEach(ctx, names, (n) => engine.containers.stop(n, { ...(t !== undefined ? { timeout: Number(t) } : {}), ...(o.signal ? { signal: o.signal } : {}) }), { parallel: PARALLEL_OPS });
    });
}
