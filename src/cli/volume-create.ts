/** `berth volume create [--name] [NAME]`. */
import type { Command } from 'commander';
import { collect, type CliContext } from './context.js';
import { keyValues } from './flags/key-values.js';

export function define(cmd: Command, ctx: CliContext): void {
  cmd
    .argument('[name]')
    .option('--name <string>', 'Specify volume name')
    .option('-d, --driver <string>', 'Specify volume driver name', 'local')
    .option('--label <list>', 'Set metadata for a volume', collect)
    .option('-o, --opt <list>', 'Set driver specific options', collect)
    .action(async (name: string | undefined, o: { name?: string; driver: string; label?: string[]; opt?: string[] }) => {
      if (name && o.name && name !== o.name) throw new Error(`conflicting options: either specify --name or provide positional arg, not both`);
      const v = await (await ctx.engine()).volumes.create({ name: name ?? o.name, driver: o.driver, labels: keyValues(o.label), options: keyValues(o.opt) });
      ctx.out(v.name);
    });
}
