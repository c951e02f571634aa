/** `berth rm [-f] [-v] CONTAINER...`. */
import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { forEach, PARALLEL_OPS } from './each.js';

export function define(cmd: Command, ctx: CliContext): void {
  cmd
    .argument('<container...>')
    .option('-f, --force', 'Force the removal of a running container (uses SIGKILL)')
    .option('-v, --volumes', 'Remove anonymous volumes associated with the container')
    .action(async (names: string[], o: { force?: boolean; volumes?: boolean }) => {
      const engine = await ctx.engine();
      await forEach(ctx, names, (n) => engine.containers.remove(n, { force: o.force, volumes: o.volumes }), { parallel: PARALLEL_OPS });
    });
}
