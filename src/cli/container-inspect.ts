/** `berth container inspect CONTAINER...`. */
import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { inspectEach } from './inspect-each.js';

export function define(cmd: Command, ctx: CliContext): void {
  cmd
    .argument('<container...>')
    .option('-f, --format <string>', 'Format output using a custom template')
    .option('-s, --size', 'Display total file sizes')
    .action(async (names: string[], o: { format?: string; size?: boolean }) => {
      const engine = await ctx.engine();
      await inspectEach(ctx, names, o.format, async (n) => ({ kind: 'container', doc: await engine.containers.inspect(n, o.size ? { size: true } : {}) }));
    });
}
