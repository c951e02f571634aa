/** `berth load [-i FILE]`: images from a docker-archive or OCI archive. */
import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { openInput } from './input.js';

export function define(cmd: Command, ctx: CliContext): void {
  cmd
    .option('-i, --input <file>', 'Read from tar archive file, instead of STDIN')
    .option('-q, --quiet', 'Suppress the load output')
    .action(async (o: { input?: string; quiet?: boolean }) => {
      const engine = await ctx.engine();
      const loaded = await engine.images.load(openInput(o.input, 'an image archive'));
      if (!o.quiet) ctx.out(loaded.join('\n'));
    });
}
