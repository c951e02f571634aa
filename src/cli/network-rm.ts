/** `berth network rm NETWORK...`: refused while containers use it; bridge/host/none stay. */
import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { forEach } from './each.js';

export function define(cmd: Command, ctx: CliContext): void {
  cmd
    .argument('<network...>')
    .option('-f, --force', 'Do not error if the network does not exist')
    .action(async (names: string[], o: { force?: boolean }) => {
      const engine = await ctx.engine();
      await forEach(ctx, names, async (n) => {
        try {
          await engine.networks.remove(n);
        } catch (e) {
          if (o.force && (e as { kind?: string }).kind === 'not-found') return;
          throw e;
        }
      });
    });
}
