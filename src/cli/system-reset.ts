/**
 * `berth system reset [-f]` (podman's command): removes every container, network (including the
 * default bridge's device and rules), volume and image of this state root, then the root itself.
 * Tests end with it; users use it to start over.
 */
import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { confirm } from './confirm.js';

export function define(cmd: Command, ctx: CliContext): void {
  cmd.option('-f, --force', 'Do not prompt for confirmation').action(async (o: { force?: boolean }) => {
    if (
      !o.force &&
      !(await confirm('WARNING! This will remove all containers, images, volumes and networks of this berth root.\nAre you sure you want to continue? [y/N] '))
    )
      return;
    const ops = (await ctx.engine()).embedded;
    if (!ops) throw new Error('system reset is for the embedded engine');
    await ops.reset();
  });
}
