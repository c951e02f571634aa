/** `berth container prune [-f] [--filter until=…|label=…]`: removes stopped containers. */
import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { confirm } from './confirm.js';
import { containersSection, reclaimedLine } from './format/prune-report.js';
import { pruneFilterOption, pruneFiltersOf, withDaemonWords } from './prune-filters.js';

export function define(cmd: Command, ctx: CliContext): void {
  cmd
    .addOption(pruneFilterOption('until=<timestamp>'))
    .option('-f, --force', 'Do not prompt for confirmation')
    .action(async (o: { force?: boolean; filter?: string[] }) => {
      if (!o.force && !(await confirm('WARNING! This will remove all stopped containers.\nAre you sure you want to continue? [y/N] '))) return;
      const engine = await ctx.engine();
      const r = await withDaemonWords(() => engine.containers.prune({ filters: pruneFiltersOf(o.filter) }));
      ctx.out(containersSection(r.deleted) + reclaimedLine(r.spaceReclaimed));
    });
}
