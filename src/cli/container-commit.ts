/** `berth commit [-a] [-m] [-c] [-p] CONTAINER [REPOSITORY[:TAG]]`. */
import type { Command } from 'commander';
import { collect, type CliContext } from './context.js';

export function define(cmd: Command, ctx: CliContext): void {
  cmd
    .argument('<container>')
    .argument('[repository]', 'REPOSITORY[:TAG]')
    .option('-a, --author <string>', 'Author (e.g., "John Hannibal Smith <hannibal@a-team.com>")')
    .option('-c, --change <list>', 'Apply Dockerfile instruction to the created image', collect)
    .option('-m, --message <string>', 'Commit message')
    .option('-p, --pause', 'Pause container during commit', true)
    .option('--no-pause', 'Do not pause the container during commit')
    .action(async (name: string, ref: string | undefined, o: { author?: string; change?: string[]; message?: string; pause: boolean }) => {
      const id = await (
        await ctx.engine()
      ).containers.commit(name, { ...(ref ? { reference: ref } : {}), author: o.author, changes: o.change, message: o.message, pause: o.pause });
      ctx.out(id);
    });
}
