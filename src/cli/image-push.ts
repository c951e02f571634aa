/** `berth push [-q] NAME[:TAG]`: an image's blobs and manifest to a registry. */
import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { progressPrinter } from './progress/progress.js';
import { REGISTRY_HELP } from './registry-help.js';
import { canonical, familiar, parseReference } from '../engine/index.js';

export function define(cmd: Command, ctx: CliContext): void {
  cmd.addHelpText('after', REGISTRY_HELP);
  cmd
    .option('-q, --quiet', 'Suppress verbose output')
    .option('-a, --all-tags', 'Push all tags of the repository')
    .argument('<name>')
    .action(async (name: string, o: { quiet?: boolean; allTags?: boolean }) => {
      const engine = await ctx.engine();
      let names = [name];
      if (o.allTags) {
        const ref = parseReference(name);
        if (name.includes(':', name.lastIndexOf('/') + 1) || ref.digest) throw new Error("tag can't be used with --all-tags/-a");
        const repo = familiar(canonical(ref)).replace(/:[^:/]*$/, '');
        names = (await engine.images.list())
          .flatMap((i) => i.repoTags)
          .filter((t) => t.startsWith(`${repo}:`))
          .sort();
        if (names.length === 0) throw new Error(`An image does not exist locally with the tag: ${repo}`);
      }
      // BERTH_PUSH_CHUNK_SIZE=N: PATCH uploads in N-byte chunks (for registries that want them)
      const chunk = Number(process.env.BERTH_PUSH_CHUNK_SIZE ?? 0);
      for (const n of names) {
        const p = progressPrinter(ctx.stdout, { quiet: !!o.quiet });
        try {
          await engine.images.push(n, { progress: p.fn, ...(chunk > 0 ? { chunkSize: chunk } : {}) });
        } finally {
          p.done();
        }
      }
    });
}
