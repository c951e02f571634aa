/** `berth rename CONTAINER NEW_NAME`. */
import type { Command } from 'commander';
import type { CliContext } from './context.js';

export function define(cmd: Command, ctx: CliContext): void {
  cmd
    .argument('<container>')
    .argument('<new-name>')
    .action(async (c: string, n: string) => {
      await (await ctx.engine()).containers.rename(c, n);
    });
}
