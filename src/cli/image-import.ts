/** `berth import FILE|URL|- [REPOSITORY[:TAG]]`: a rootfs tarball becomes an image. */
import type { Command } from 'commander';
import { collect, type CliContext } from './context.js';
import { openInput } from './input.js';

export function define(cmd: Command, ctx: CliContext): void {
  cmd
    .argument('<file|->', 'rootfs tarball (plain, gzip or zstd), an http(s) URL of one, or - for STDIN')
    .argument('[REPOSITORY[:TAG]]')
    .option('-c, --change <instruction>', 'Apply Dockerfile instruction to the created image', collect)
    .option('-m, --message <string>', 'Set commit message for imported image')
    .option('--platform <string>', 'Set platform if server is multi-platform capable')
    .action(async (file: string, ref: string | undefined, o: { change?: string[]; message?: string; platform?: string }) => {
      const engine = await ctx.engine();
      // docker's rule: an http(s) URL is downloaded by the engine, anything else is a file
      const source = /^https?:\/\//.test(file) ? new URL(file) : openInput(file, 'a tarball');
      const id = await engine.images.import(source, { reference: ref, changes: o.change, message: o.message, platform: o.platform });
      ctx.out(id);
    });
}
