/** `berth diff CONTAINER`: what the container changed against its image, docker's `A|C|D PATH` lines. */
import type { Command } from 'commander';
import type { CliContext } from './context.js';

const LETTER = ['C', 'A', 'D'] as const;

export function define(cmd: Command, ctx: CliContext): void {
  cmd.argument('<container>').action(async (name: string) => {
    const changes = await (await ctx.engine()).containers.changes(name);
    if (changes.length) ctx.out(changes.map((c) => `${LETTER[c.kind]} ${c.path}`).join('\n'));
  });
}
