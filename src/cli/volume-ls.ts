/** `berth volume ls`: DRIVER VOLUME NAME. */
import type { Command } from 'commander';
import { filtersOf, type CliContext } from './context.js';
import { filterOption } from './flags/typed.js';
import { formatList } from './format/template.js';

export function define(cmd: Command, ctx: CliContext): void {
  cmd
    .addOption(filterOption('-f, --filter <filter>', 'Provide filter values (e.g. "dangling=true")'))
    .option('--format <string>', 'Format output using a custom template')
    .option('-q, --quiet', 'Only display volume names')
    .action(async (o: { filter?: string[]; format?: string; quiet?: boolean }) => {
      const vols = await (await ctx.engine()).volumes.list({ filters: filtersOf(o.filter) });
      if (o.quiet) return ctx.out(vols.map((v) => v.name).join('\n'));
      const rows = vols.map((v) => ({ Driver: v.driver, Name: v.name, Mountpoint: v.mountpoint, Scope: v.scope, Labels: Object.entries(v.labels).map(([k, x]) => `${k}=${x}`).join(','), Links: String(v.usedBy.length), Size: 'N/A' }));
      ctx.out(formatList(rows, o.format, { header: ['DRIVER', 'VOLUME NAME'], row: (r) => [r.Driver, r.Name] }, { Name: 'VOLUME NAME' }));
    });
}
