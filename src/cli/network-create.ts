/** `berth network create [-d bridge|macvlan] [--subnet] [--ip-range] [--gateway] [--internal] [-o] [--label] NAME`. */
import type { Command } from 'commander';
import { collect, type CliContext } from './context.js';
import { keyValues } from './flags/key-values.js';

export function define(cmd: Command, ctx: CliContext): void {
  cmd
    .argument('<name>')
    .option('-d, --driver <string>', 'Driver to manage the Network (bridge, macvlan)', 'bridge')
    .option('--subnet <cidr>', 'Subnet in CIDR format that represents a network segment', collect)
    .option('--ip-range <cidr>', 'Allocate container ip from a sub-range', collect)
    .option('--gateway <ip>', 'IPv4 Gateway for the master subnet', collect)
    .option('--internal', 'Restrict external access to the network')
    .option('-o, --opt <map>', 'Set driver specific options', collect)
    .option('--label <list>', 'Set metadata on a network', collect)
    .option('--ipam-opt <map>', 'Set IPAM driver specific options', collect)
    .option('--ipv6', 'Enable IPv6 networking')
    .action(
      async (
        name: string,
        o: {
          driver: string;
          subnet?: string[];
          ipRange?: string[];
          gateway?: string[];
          internal?: boolean;
          opt?: string[];
          ipamOpt?: string[];
          label?: string[];
          ipv6?: boolean;
        },
      ) => {
        if (o.driver !== 'bridge' && o.driver !== 'macvlan') throw new Error(`plugin "${o.driver}" not found`);
        if (o.ipv6) throw new Error('IPv6 networks are not supported by berth yet');
        const subnets = o.subnet ?? [];
        if ((o.ipRange?.length ?? 0) > subnets.length || (o.gateway?.length ?? 0) > subnets.length) {
          throw new Error(subnets.length ? 'every ip-range or gateway must have a corresponding subnet' : 'a gateway or ip-range needs a --subnet');
        }
        const ipam = subnets.map((s, i) => ({
          subnet: s,
          ...(o.ipRange?.[i] ? { ipRange: o.ipRange[i] } : {}),
          ...(o.gateway?.[i] ? { gateway: o.gateway[i] } : {}),
        }));
        const n = await (
          await ctx.engine()
        ).networks.create({
          name,
          driver: o.driver,
          ipam,
          // docker's CLI always sends its --ipam-opt map (inspect shows {})
          ipamOptions: keyValues(o.ipamOpt, 'IPAM options'),
          internal: !!o.internal,
          options: keyValues(o.opt, 'driver options'),
          labels: keyValues(o.label),
        });
        ctx.out(n.id);
      },
    );
}
