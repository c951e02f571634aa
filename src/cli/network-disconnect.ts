/** `berth network disconnect [-f] NETWORK CONTAINER`: the interface goes at once. */
import type { Command } from 'commander';
import type { CliContext } from './context.js';

export function define(cmd: Command, ctx: CliContext): void {
  cmd
    .argument('<network>')
    .argument('<container>')
    .option('-f, --force', 'Force the container to disconnect from a network')
    .action(async (net: string, ctr: string, o: { force?: boolean }) => {
      await (await ctx.engine()).networks.disconnect(net, ctr, { force: o.force });
    });
}
