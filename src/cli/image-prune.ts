/** `berth image prune [-a] [-f]`. */
import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { confirm } from './confirm.js';
import { imagesSection, reclaimedLine } from './format/prune-report.js';

export function define(cmd: Command, ctx: CliContext): void {
  cmd
    .option('-a, --all', 'Remove all unused images, not just dangling ones')
    .option('-f, --force', 'Do not prompt for confirmation')
    .action(async (o: { all?: boolean; force?: boolean }) => {
      const what = o.all ? 'all images without at least one container associated to them' : 'all dangling images';
      if (!o.force && !(await confirm(`WARNING! This will remove ${what}.\nAre you sure you want to continue? [y/N] `))) return;
      const r = await (await ctx.engine()).images.prune({ all: o.all });
      ctx.out(imagesSection(r.entries ?? r.deleted.map((deleted) => ({ deleted }))) + reclaimedLine(r.spaceReclaimed));
    });
}
