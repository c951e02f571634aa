/** `berth volume rm [-f] VOLUME...`: refused while a container uses it. */
import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { forEach } from './each.js';

export function define(cmd: Command, ctx: CliContext): void {
  cmd
    .argument('<volume...>')
    .option('-f, --force', 'Force the removal of one or more volumes')
    .action(async (names: string[], o: { force?: boolean }) => {
      const engine = await ctx.engine();
      await forEach(ctx, names, (n) => engine.volumes.remove(n, { force: o.force }));
    });
}
