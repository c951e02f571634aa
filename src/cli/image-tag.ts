/** `berth tag SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]`. */
import type { Command } from 'commander';
import type { CliContext } from './context.js';

export function define(cmd: Command, ctx: CliContext): void {
  cmd
    .argument('<source>', 'SOURCE_IMAGE[:TAG]')
    .argument('<target>', 'TARGET_IMAGE[:TAG]')
    .action(async (source: string, target: string) => {
      await (await ctx.engine()).images.tag(source, target);
    });
}
