/** `berth context rm [-f] NAME...`: the current one only with -f (then "default" is current). */
import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { ContextStore } from '../engine/docker/contexts.js';
import { forEach } from './each.js';

export function define(cmd: Command, ctx: CliContext): void {
  cmd
    .argument('<context...>')
    .option('-f, --force', 'Force the removal of a context in use')
    .action(async (names: string[], o: { force?: boolean }) => {
      const store = new ContextStore();
      await forEach(ctx, names, async (n) => store.remove(n, { force: o.force }));
    });
}
