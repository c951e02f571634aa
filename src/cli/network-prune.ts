/** `berth network prune [-f]`: every user network no container uses. */
import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { confirm } from './confirm.js';
import { networksSection } from './format/prune-report.js';

export function define(cmd: Command, ctx: CliContext): void {
  cmd.option('-f, --force', 'Do not prompt for confirmation').action(async (o: { force?: boolean }) => {
    if (
      !o.force &&
      !(await confirm('WARNING! This will remove all custom networks not used by at least one container.\nAre you sure you want to continue? [y/N] '))
    )
      return;
    const removed = await (await ctx.engine()).networks.prune();
    // docker prints nothing at all (not even a total) when no network was removed
    ctx.out(networksSection(removed));
  });
}
