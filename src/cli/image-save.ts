/** `berth save [-o FILE] IMAGE...`: a docker-archive (also readable as an OCI layout). */
import type { Command } from 'commander';
import { createWriteStream, renameSync, rmSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import type { CliContext } from './context.js';

export function define(cmd: Command, ctx: CliContext): void {
  cmd
    .argument('<image...>')
    .option('-o, --output <file>', 'Write to a file, instead of STDOUT')
    .action(async (images: string[], o: { output?: string }) => {
      if (!o.output && process.stdout.isTTY) throw new Error('cowardly refusing to save to a terminal. Use the -o flag or redirect');
      const engine = await ctx.engine();
      if (!o.output) return engine.images.save(images, process.stdout);
      // Write beside the target and rename, so a failure never leaves a truncated archive.
      const tmp = join(dirname(o.output), `.${basename(o.output)}.berth-tmp-${process.pid}`);
      try {
        await engine.images.save(images, createWriteStream(tmp));
        renameSync(tmp, o.output);
      } catch (e) {
        rmSync(tmp, { force: true });
        throw e;
      }
    });
}
