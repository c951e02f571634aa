/** `berth builder prune [-a] [-f] [--filter until=…]`: removes build cache (docker's words and layout). */
import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { confirm } from './confirm.js';
import { buildCacheSection, reclaimedLine } from './format/prune-report.js';
import { pruneFilterOption, pruneFiltersOf, withDaemonWords } from './prune-filters.js';

export function define(cmd: Command, ctx: CliContext): void {
  cmd
    .option('-a, --all', 'Remove all unused build cache, not just dangling ones')
    .addOption(pruneFilterOption('until=24h'))
    .option('-f, --force', 'Do not prompt for confirmation')
    .action(async (o: { all?: boolean; force?: boolean; filter?: string[] }) => {
      const what = o.all ? 'all build cache' : 'all dangling build cache';
      if (!o.force && !(await confirm(`WARNING! This will remove ${what}. Are you sure you want to continue? [y/N] `))) return;
      const engine = await ctx.engine();
      const r = await withDaemonWords(() => engine.system.pruneBuildCache({ all: o.all, filters: pruneFiltersOf(o.filter) }));
      ctx.out(buildCacheSection(r.deleted) + reclaimedLine(r.spaceReclaimed));
    });
}
