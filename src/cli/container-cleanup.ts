/**
 * `berth container cleanup ID` (internal): conmon runs this when a container exits, so that its
 * mounts, cgroup and network are released — and --rm / restart policies honoured — with no
 * daemon around. Idempotent; also safe to run by hand.
 */
import type { Command } from 'commander';
import type { CliContext } from './context.js';

export function define(cmd: Command, ctx: CliContext): void {
  cmd.argument('<id>').action(async (id: string) => {
    const engine = await ctx.engine();
    if (!('containerExited' in engine)) throw new Error('container cleanup is for the embedded engine');
    await (engine as { containerExited(id: string): Promise<void> }).containerExited(id);
  });
}
