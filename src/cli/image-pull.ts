/** `berth pull [--platform P] [-q] NAME[:TAG|@DIGEST]` (or `-a NAME`: every tag): an image from a registry. */
import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { progressPrinter } from './progress/progress.js';
import { ExitStatus } from './exit-codes.js';
import { REGISTRY_HELP } from './registry-help.js';
import { canonical, familiar, isNameOnly, parseReference } from '../engine/index.js';

export function define(cmd: Command, ctx: CliContext): void {
  cmd.addHelpText('after', REGISTRY_HELP);
  cmd
    .option('--platform <string>', 'Set platform if server is multi-platform capable (os/arch[/variant])')
    .option('-q, --quiet', 'Suppress verbose output')
    .option('-a, --all-tags', 'Download all tagged images in the repository')
    .argument('<name>')
    .action(async (name: string, o: { platform?: string; quiet?: boolean; allTags?: boolean }) => {
      if (o.allTags && !isNameOnly(name)) throw new Error("tag can't be used with --all-tags/-a");
      const ref = parseReference(name);
      if (!o.allTags && isNameOnly(name) && !o.quiet) ctx.out('Using default tag: latest');
      const engine = await ctx.engine();
      const idOf = (r: string) =>
        engine.images.inspect(r).then(
          (d) => d.Id,
          () => undefined,
        );
      const had = o.allTags ? undefined : await idOf(name);
      const p = progressPrinter(ctx.stdout, { quiet: !!o.quiet });
      // Ctrl-C cancels the pull, which removes what it fetched so far, then exits as a shell
      // reports an interrupted command (130); a second Ctrl-C is not needed and not waited for.
      const cancel = new AbortController();
      const interrupt = () => cancel.abort();
      process.once('SIGINT', interrupt);
      let fresh: boolean;
      try {
        if (o.allTags) {
          // "newer" when any tag's image changed, as docker's status line says for the repository
          const before = new Map<string, string | undefined>();
          for (const img of await engine.images.list({ filters: { reference: [name] } })) for (const t of img.repoTags) before.set(t, img.id);
          const pulled = await engine.images.pullAllTags(name, { progress: p.fn, signal: cancel.signal });
          fresh = false;
          for (const r of pulled) if ((await idOf(r)) !== before.get(familiar(canonical(parseReference(r))))) fresh = true;
        } else {
          const id = await engine.images.pull(name, { ...(o.platform ? { platform: o.platform } : {}), progress: p.fn, signal: cancel.signal });
          fresh = had !== id;
        }
      } catch (e) {
        if (cancel.signal.aborted) throw new ExitStatus(130);
        throw e;
      } finally {
        process.off('SIGINT', interrupt);
        p.done();
      }
      // -a names the repository alone: "busybox", "docker.io/library/busybox"
      const full = o.allTags ? canonical(ref).replace(/:[^:/]*$/, '') : canonical(ref);
      const short = o.allTags ? familiar(canonical(ref)).replace(/:[^:/]*$/, '') : familiar(full);
      if (!o.quiet) ctx.out(`Status: ${fresh ? 'Downloaded newer image' : 'Image is up to date'} for ${short}`);
      ctx.out(full);
    });
}
