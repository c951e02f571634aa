/** `berth network connect [--ip] [--alias] [--link] [--link-local-ip] [--driver-opt] NETWORK CONTAINER`: live on a running container. */
import type { Command } from 'commander';
import { collect, type CliContext } from './context.js';
import { keyValues } from './flags/key-values.js';

export function define(cmd: Command, ctx: CliContext): void {
  cmd
    .argument('<network>')
    .argument('<container>')
    .option('--ip <string>', 'IPv4 address (e.g., "172.30.100.104")')
    .option('--alias <strings>', 'Add network-scoped alias for the container', collect)
    .option('--link <list>', 'Add link to another container', collect)
    .option('--link-local-ip <strings>', 'Add a link-local address for the container', collect)
    .option('--driver-opt <strings>', 'driver options for the network', collect)
    .action(async (net: string, ctr: string, o: { ip?: string; alias?: string[]; link?: string[]; linkLocalIp?: string[]; driverOpt?: string[] }) => {
      // as docker's CLI sends it: IPAMConfig and DriverOpts always (inspect shows {}), Links when given
      await (
        await ctx.engine()
      ).networks.connect(net, ctr, {
        ...(o.ip ? { ip: o.ip } : {}),
        aliases: o.alias ?? [],
        ipamConfig: true,
        ...(o.linkLocalIp?.length ? { linkLocalIps: o.linkLocalIp } : {}),
        ...(o.link?.length ? { links: o.link } : {}),
        driverOpts: keyValues(o.driverOpt, 'driver options'),
      });
    });
}
