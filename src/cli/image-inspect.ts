/** `berth image inspect IMAGE...`. */
import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { inspectEach } from './inspect-each.js';

export function define(cmd: Command, ctx: CliContext): void {
  cmd
    .argument('<image...>')
    .option('-f, --format <string>', 'Format output using a custom template')
    .action(async (names: string[], o: { format?: string }) => {
      const engine = await ctx.engine();
      await inspectEach(ctx, names, o.format, async (n) => ({ kind: 'image', doc: await engine.images.inspect(n) }));
    });
}
