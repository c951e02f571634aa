/** `berth pull [--platform P] [-q] NAME[:TAG|@DIGEST]`: an image from a registry. */
import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { progressPrinter } from './progress/progress.js';
import { ExitStatus } from './exit-codes.js';
import { REGISTRY_HELP } from './registry-help.js';
import { canonical, familiar, parseReference } from '../engine/index.js';

export function define(cmd: Command, ctx: CliContext): void {
  cmd.addHelpText('after', REGISTRY_HELP);
  cmd
    .option('--platform <string>', 'Set platform if server is multi-platform capable (os/arch[/variant])')
    .option('-q, --quiet', 'Suppress verbose output')
    .option('-a, --all-tags', 'Download all tagged images in the repository (not supported)')
    .argument('<name>')
    .action(async (name: string, o: { platform?: string; quiet?: boolean; allTags?: boolean }) => {
      if (o.allTags) throw new Error('--all-tags is not supported by berth');
      const ref = parseReference(name);
      if (!ref.digest && !name.includes(':', name.lastIndexOf('/') + 1) && !o.quiet) ctx.out('Using default tag: latest');
      const engine = await ctx.engine();
      const had = await engine.images.inspect(name).then(
        (d) => d.Id,
        () => undefined,
      );
      const p = progressPrinter(ctx.stdout, { quiet: !!o.quiet });
      // Ctrl-C cancels the pull, which removes what it fetched so far, then exits as a shell
      // reports an interrupted command (130); a second Ctrl-C is not needed and not waited for.
      const cancel = new AbortController();
      const interrupt = () => cancel.abort();
      process.once('SIGINT', interrupt);
      let id: string;
      try {
        id = await engine.images.pull(name, { ...(o.platform ? { platform: o.platform } : {}), progress: p.fn, signal: cancel.signal });
      } catch (e) {
        if (cancel.signal.aborted) throw new ExitStatus(130);
        throw e;
      } finally {
        process.off('SIGINT', interrupt);
        p.done();
      }
      const full = canonical(ref);
      if (!o.quiet) ctx.out(`Status: ${had === id ? 'Image is up to date' : 'Downloaded newer image'} for ${familiar(full)}`);
      ctx.out(full);
    });
}
