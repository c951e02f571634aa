/** `berth volume inspect VOLUME...`: docker's JSON (Name, Driver, Mountpoint, ...). */
import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { inspectEach } from './inspect-each.js';
import { volumeDoc } from './volume-doc.js';

export function define(cmd: Command, ctx: CliContext): void {
  cmd
    .argument('<volume...>')
    .option('-f, --format <string>', 'Format output using a custom template')
    .action(async (names: string[], o: { format?: string }) => {
      const engine = await ctx.engine();
      await inspectEach(ctx, names, o.format, async (n) => ({ kind: 'volume', raw: false, doc: volumeDoc(await engine.volumes.inspect(n)) }));
    });
}
