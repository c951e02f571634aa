/** `berth top CONTAINER [ps OPTIONS]`. */
import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { renderTable } from './format/table.js';

export function define(cmd: Command, ctx: CliContext): void {
  // Options after the container are ps's (docker's interspersed=false); before it, berth's own.
  cmd
    .argument('<container>')
    .argument('[ps-options...]')
    .passThroughOptions()
    .action(async (name: string, psArgs: string[]) => {
      const r = await (await ctx.engine()).containers.top(name, psArgs.length ? psArgs : undefined);
      ctx.out(renderTable(r.titles, r.processes));
    });
}
