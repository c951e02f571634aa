/**
 * `berth run [OPTIONS] IMAGE [COMMAND] [ARG...]`: create + start, attached unless -d; the
 * container's exit code becomes berth's (docker's 125/126/127 for failures before it ran).
 */
import type { Command } from 'commander';
import { trace } from '../engine/index.js';
import { pullIfNeeded } from './pull-missing.js';
import type { CliContext } from './context.js';
import { ExitStatus } from './exit-codes.js';
import { addCreateFlags, cidFile, toCreateOptions, type CreateFlags } from './flags/create-flags.js';
import { checkTty, terminalIO } from './stdio.js';
import { proxySignals } from './sig-proxy.js';

export function define(cmd: Command, ctx: CliContext): void {
  ctx.failureExit = 125;
  addCreateFlags(cmd)
    .option('-d, --detach', 'Run container in background and print container ID')
    .option('--detach-keys <string>', 'Override the key sequence for detaching a container')
    .option('--sig-proxy', 'Proxy received signals to the process (default true)', true)
    .option('--no-sig-proxy', 'Do not proxy signals')
    .argument('<image>')
    .argument('[command...]')
    .passThroughOptions()
    .action(async (image: string, command: string[], f: CreateFlags & { detach?: boolean; sigProxy: boolean }) => {
      const opts = toCreateOptions(image, command, f);
      if (f.detach && f.rm && opts.restartPolicy?.name !== 'no') throw new Error('conflicting options: cannot specify both --restart and --rm');
      if (!f.detach) checkTty(!!f.tty, !!f.interactive);
      const engine = await ctx.engine();
      trace('run: engine open');
      await pullIfNeeded(engine, opts.image, opts.pull, opts.platform);
      const writeCid = cidFile(f.cidfile);
      const { id, warnings } = await engine.containers.create(opts);
      writeCid(id);
      trace('run: created');
      for (const w of warnings) process.stderr.write(`WARNING: ${w}\n`);
      if (f.detach) {
        // a failed start of a --rm container removes it (the engine, as dockerd)
        await engine.containers.start(id);
        ctx.out(id);
        return;
      }
      let r: 'detached' | number;
      const unproxy = f.sigProxy && !f.tty ? proxySignals(engine, id) : () => undefined;
      try {
        r = await engine.containers.startAttached(id, terminalIO(), {
          stdin: !!f.interactive,
          ...(f.detachKeys !== undefined ? { detachKeys: f.detachKeys } : {}),
        });
      } finally {
        unproxy();
      }
      if (r === 'detached') return;
      throw new ExitStatus(r);
    });
}
