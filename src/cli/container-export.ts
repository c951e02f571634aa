/** `berth export [-o FILE] CONTAINER`: the container's filesystem as a tar (docker export). */
import type { Command } from 'commander';
import { createWriteStream, renameSync, rmSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { CliContext } from './context.js';

export function define(cmd: Command, ctx: CliContext): void {
  cmd
    .argument('<container>')
    .option('-o, --output <file>', 'Write to a file, instead of STDOUT')
    .action(async (name: string, o: { output?: string }) => {
      if (!o.output && process.stdout.isTTY) throw new Error('cowardly refusing to save to a terminal. Use the -o flag or redirect');
      const engine = await ctx.engine();
      const tar = await engine.containers.export(name);
      if (!o.output) return pipeline(tar, process.stdout, { end: false });
      // Written beside the target and renamed, so a failure never leaves a truncated archive.
      const tmp = join(dirname(o.output), `.${basename(o.output)}.berth-tmp-${process.pid}`);
      try {
        await pipeline(tar, createWriteStream(tmp));
        renameSync(tmp, o.output);
      } catch (e) {
        rmSync(tmp, { force: true });
        throw e;
      }
    });
}
