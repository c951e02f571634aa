/** `berth volume prune [-a] [-f]`: unused anonymous volumes (all unused with -a). */
import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { confirm } from './confirm.js';
import { volumesSection, reclaimedLine } from './format/prune-report.js';

export function define(cmd: Command, ctx: CliContext): void {
  cmd
    .option('-a, --all', 'Remove all unused volumes, not just anonymous ones')
    .option('-f, --force', 'Do not prompt for confirmation')
    .action(async (o: { all?: boolean; force?: boolean }) => {
      if (
        !o.force &&
        !(await confirm('WARNING! This will remove anonymous local volumes not used by at least one container.\nAre you sure you want to continue? [y/N] '))
      )
        return;
      const r = await (await ctx.engine()).volumes.prune({ all: o.all });
      ctx.out(volumesSection(r.deleted) + reclaimedLine(r.spaceReclaimed));
    });
}
