/** `berth volume prune [-a] [-f] [--filter label=…]`: unused anonymous volumes (all unused with -a). */
import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { confirm } from './confirm.js';
import { volumesSection, reclaimedLine } from './format/prune-report.js';
import { pruneFilterOption, pruneFiltersOf, withDaemonWords } from './prune-filters.js';

export function define(cmd: Command, ctx: CliContext): void {
  cmd
    .option('-a, --all', 'Remove all unused volumes, not just anonymous ones')
    .addOption(pruneFilterOption('label=<label>'))
    .option('-f, --force', 'Do not prompt for confirmation')
    .action(async (o: { all?: boolean; force?: boolean; filter?: string[] }) => {
      if (
        !o.force &&
        !(await confirm('WARNING! This will remove anonymous local volumes not used by at least one container.\nAre you sure you want to continue? [y/N] '))
      )
        return;
      const engine = await ctx.engine();
      const r = await withDaemonWords(() => engine.volumes.prune({ all: o.all, filters: pruneFiltersOf(o.filter) }));
      ctx.out(volumesSection(r.deleted) + reclaimedLine(r.spaceReclaimed));
    });
}
