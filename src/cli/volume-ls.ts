/** `berth volume ls`: DRIVER VOLUME NAME. */
import type { Command } from 'commander';
import { filtersOf, type CliContext } from './context.js';
import { filterOption } from './flags/typed.js';
import { VOLUME_KIND, type VolumeRow } from './format/contexts.js';
import { formatList } from './format/list.js';
import { byNaturalName } from './format/natural-order.js';

export function define(cmd: Command, ctx: CliContext): void {
  cmd
    .addOption(filterOption('-f, --filter <filter>', 'Provide filter values (e.g. "dangling=true")'))
    .option('--format <string>', 'Format output using a custom template')
    .option('-q, --quiet', 'Only display volume names')
    .action(async (o: { filter?: string[]; format?: string; quiet?: boolean }) => {
      // docker lists volumes in natural order of their names.
      const vols = (await (await ctx.engine()).volumes.list({ filters: filtersOf(o.filter) })).sort(byNaturalName);
      if (o.quiet) return ctx.out(vols.map((v) => v.name).join('\n'));
      const rows = vols.map((v): VolumeRow => ({
        Driver: v.driver,
        Name: v.name,
        Mountpoint: v.mountpoint,
        Scope: v.scope,
        Labels: Object.entries(v.labels)
          .map(([k, x]) => `${k}=${x}`)
          .join(','),
        labels: v.labels,
        // docker's list carries no usage data (that is `system df`): N/A, as docker prints.
        Links: 'N/A',
        Size: 'N/A',
        Group: 'N/A',
        Availability: 'N/A',
        Status: 'N/A',
      }));
      ctx.out(formatList(rows, o.format, VOLUME_KIND));
    });
}
