/** `berth network connect [--ip] [--alias] NETWORK CONTAINER`: live on a running container. */
import type { Command } from 'commander';
import { collect, type CliContext } from './context.js';

export function define(cmd: Command, ctx: CliContext): void {
  cmd
    .argument('<network>')
    .argument('<container>')
    .option('--ip <string>', 'IPv4 address (e.g., "172.30.100.104")')
    .option('--alias <strings>', 'Add network-scoped alias for the container', collect)
    .action(async (net: string, ctr: string, o: { ip?: string; alias?: string[] }) => {
      await (await ctx.engine()).networks.connect(net, ctr, { ...(o.ip ? { ip: o.ip } : {}), aliases: o.alias ?? [] });
    });
}
