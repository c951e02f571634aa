/** `berth create [OPTIONS] IMAGE [COMMAND] [ARG...]`. */
import type { Command } from 'commander';
import { pullIfNeeded } from './pull-missing.js';
import type { CliContext } from './context.js';
import { addCreateFlags, cidFile, toCreateOptions, type CreateFlags } from './flags/create-flags.js';

export function define(cmd: Command, ctx: CliContext): void {
  ctx.failureExit = 125;
  addCreateFlags(cmd)
    .argument('<image>')
    .argument('[command...]')
    .passThroughOptions()
    .action(async (image: string, command: string[], f: CreateFlags) => {
      // flags first: a mistyped one is refused before the engine opens
      const opts = toCreateOptions(image, command, f);
      const engine = await ctx.engine();
      await pullIfNeeded(engine, opts.image, opts.pull, opts.platform);
      const writeCid = cidFile(f.cidfile);
      const { id, warnings } = await engine.containers.create(opts);
      writeCid(id);
      for (const w of warnings) process.stderr.write(`WARNING: ${w}\n`);
      ctx.out(id);
    });
}
