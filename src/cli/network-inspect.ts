/** `berth network inspect NETWORK...`: docker's JSON. */
import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { inspectEach } from './inspect-each.js';
import { networkDoc } from './network-doc.js';

export function define(cmd: Command, ctx: CliContext): void {
  cmd
    .argument('<network...>')
    .option('-f, --format <string>', 'Format output using a custom template')
    .action(async (names: string[], o: { format?: string }) => {
      const engine = await ctx.engine();
      await inspectEach(ctx, names, o.format, async (n) => ({ kind: 'network', doc: networkDoc(await engine.networks.inspect(n)) }));
    });
}
