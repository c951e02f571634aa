/** `berth network prune [-f] [--filter until=…|label=…]`: user networks no container uses. */
import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { confirm } from './confirm.js';
import { networksSection } from './format/prune-report.js';
import { pruneFilterOption, pruneFiltersOf, withDaemonWords } from './prune-filters.js';

export function define(cmd: Command, ctx: CliContext): void {
  cmd
    .addOption(pruneFilterOption('until=<timestamp>'))
    .option('-f, --force', 'Do not prompt for confirmation')
    .action(async (o: { force?: boolean; filter?: string[] }) => {
      if (
        !o.force &&
        !(await confirm('WARNING! This will remove all custom networks not used by at least one container.\nAre you sure you want to continue? [y/N] '))
      )
        return;
      const engine = await ctx.engine();
      const removed = await withDaemonWords(() => engine.networks.prune({ filters: pruneFiltersOf(o.filter) }));
      // docker prints nothing at all (not even a total) when no network was removed
      ctx.out(networksSection(removed));
    });
}
