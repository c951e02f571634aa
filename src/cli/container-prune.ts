/** `berth container prune [-f]`: removes all stopped containers. */
import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { confirm } from './confirm.js';
import { containersSection, reclaimedLine } from './format/prune-report.js';

export function define(cmd: Command, ctx: CliContext): void {
  cmd.option('-f, --force', 'Do not prompt for confirmation').action(async (o: { force?: boolean }) => {
    if (!o.force && !(await confirm('WARNING! This will remove all stopped containers.\nAre you sure you want to continue? [y/N] '))) return;
    const r = await (await ctx.engine()).containers.prune();
    ctx.out(containersSection(r.deleted) + reclaimedLine(r.spaceReclaimed));
  });
}
