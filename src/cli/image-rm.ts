/** `berth rmi` / `berth image rm`: untag and delete images. */
import type { Command } from 'commander';
import type { CliContext } from './context.js';

export function define(cmd: Command, ctx: CliContext): void {
  cmd
    .argument('<image...>')
    .option('-f, --force', 'Force removal of the image')
    .option('--no-prune', 'Do not delete untagged parents')
    .action(async (images: string[], o: { force?: boolean; prune: boolean }) => {
      const engine = await ctx.engine();
      let failed = 0;
      for (const ref of images) {
        try {
          const r = await engine.images.remove(ref, { force: o.force, noPrune: !o.prune });
          for (const u of r.untagged) ctx.out(`Untagged: ${u}`);
          for (const d of r.deleted) ctx.out(`Deleted: ${d}`);
        } catch (e) {
          failed++;
          process.stderr.write(`Error: ${(e as Error).message}\n`);
        }
      }
      if (failed) process.exitCode = 1;
    });
}
