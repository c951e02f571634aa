/** `berth network ls`: NETWORK ID NAME DRIVER SCOPE. */
import type { Command } from 'commander';
import { filtersOf, type CliContext } from './context.js';
import { filterOption } from './flags/typed.js';
import { NETWORK_KIND, type NetworkRow } from './format/contexts.js';
import { formatList } from './format/list.js';
import { byNaturalName } from './format/natural-order.js';
import { goTimeString } from './format/template/gotime.js';

export function define(cmd: Command, ctx: CliContext): void {
  cmd
    .addOption(filterOption('-f, --filter <filter>', 'Provide filter values (e.g. "driver=bridge")'))
    .option('--format <string>', 'Format output using a custom template')
    .option('--no-trunc', 'Do not truncate the output')
    .option('-q, --quiet', 'Only display network IDs')
    .action(async (o: { filter?: string[]; format?: string; trunc: boolean; quiet?: boolean }) => {
      // docker lists networks in natural order of their names.
      const nets = (await (await ctx.engine()).networks.list({ filters: filtersOf(o.filter) })).sort(byNaturalName);
      const rows = nets.map((n): NetworkRow => ({
        ID: o.trunc ? n.id.slice(0, 12) : n.id,
        Name: n.name,
        Driver: n.driver,
        Scope: n.scope,
        IPv4: 'true',
        IPv6: 'false',
        Internal: String(n.internal),
        Labels: Object.entries(n.labels)
          .map(([k, v]) => `${k}=${v}`)
          .join(','),
        labels: n.labels,
        CreatedAt: goTimeString(n.created),
      }));
      if (o.quiet) return ctx.out(rows.map((r) => r.ID).join('\n'));
      ctx.out(formatList(rows, o.format, NETWORK_KIND));
    });
}
