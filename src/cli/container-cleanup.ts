/**
 * `berth container cleanup ID` (internal): conmon runs this when a container exits, so that its
 * mounts, cgroup and network are released — and --rm / restart policies honoured — with no
 * daemon around. Idempotent; also safe to run by hand.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import type { CliContext } from './context.js';

export function define(cmd: Command, ctx: CliContext): void {
  // --run: the run of the container this exit command belongs to (a later run is left alone).
  cmd
    .argument('<id>')
    .option('--run <token>', 'the run this cleanup is for')
    .action(async (id: string, o: { run?: string }) => {
      // Gone already (removed while this exit command was on its way; its state root may be
      // gone too, by `system reset`): opening the engine would only recreate an empty state root.
      // The engine's modules are loaded first (the slow part), so that the check and the opening
      // (which creates the root's directories) are as close together as they can be.
      await Promise.all([import('../engine/index.js').then((m) => m.preloadEmbedded()), import('../engine/docker/contexts.js')]);
      if (ctx.globals.root && !existsSync(join(ctx.globals.root, 'containers', id))) return;
      const ops = (await ctx.engine()).embedded;
      if (!ops) throw new Error('container cleanup is for the embedded engine');
      await ops.containerExited(id, o.run);
    });
}
