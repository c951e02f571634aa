/** `berth pause CONTAINER...`: freezes every process (cgroup freezer). */
import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { forEach, PARALLEL_OPS } from './each.js';

export function define(cmd: Command, ctx: CliContext): void {
  cmd.argument('<container...>').action(async (names: string[]) => {
    const engine = await ctx.engine();
    await forEach(ctx, names, (n) => engine.containers.pause(n), { parallel: PARALLEL_OPS });
  });
}
