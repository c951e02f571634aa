/** `berth container prune [-f]`: removes all stopped containers. */
import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { confirm } from './confirm.js';
import { humanSize } from './format/units.js';

export function define(cmd: Command, ctx: CliContext): void {
  cmd.option('-f, --force', 'Do not prompt for confirmation').action(async (o: { force?: boolean }) => {
    if (!o.force && !(await confirm('WARNING! This will remove all stopped containers.\nAre you sure you want to continue? [y/N] '))) return;
    const r = await (await ctx.engine()).containers.prune();
    if (r.deleted.length) ctx.out(`Deleted Containers:\n${r.deleted.join('\n')}\n`);
    ctx.out(`Total reclaimed space: ${humanSize(r.spaceReclaimed)}`);
  });
}
