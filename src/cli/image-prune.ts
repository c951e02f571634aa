/** `berth image prune [-a] [-f] [--filter until=…|label=…]`. */
import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { confirm } from './confirm.js';
import { imagesSection, reclaimedLine } from './format/prune-report.js';
import { pruneFilterOption, pruneFiltersOf, withDaemonWords } from './prune-filters.js';

export function define(cmd: Command, ctx: CliContext): void {
  cmd
    .option('-a, --all', 'Remove all unused images, not just dangling ones')
    .addOption(pruneFilterOption('until=<timestamp>'))
    .option('-f, --force', 'Do not prompt for confirmation')
    .action(async (o: { all?: boolean; force?: boolean; filter?: string[] }) => {
      const what = o.all ? 'all images without at least one container associated to them' : 'all dangling images';
      if (!o.force && !(await confirm(`WARNING! This will remove ${what}.\nAre you sure you want to continue? [y/N] `))) return;
      const engine = await ctx.engine();
      // docker's CLI sends -a as dangling=false, and dangling=true without it
      const filters = { ...pruneFiltersOf(o.filter), dangling: [o.all ? 'false' : 'true'] };
      const r = await withDaemonWords(() => engine.images.prune({ all: o.all, filters }));
      ctx.out(imagesSection(r.entries ?? r.deleted.map((deleted) => ({ deleted }))) + reclaimedLine(r.spaceReclaimed));
    });
}
