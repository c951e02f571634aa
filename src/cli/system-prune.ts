/** `berth system prune`: stopped containers, unused networks, dangling images, crash debris. */
import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { confirm } from './confirm.js';
import { humanSize } from './format/units.js';

export function define(cmd: Command, ctx: CliContext): void {
  cmd
    .option('-a, --all', 'Remove all unused images not just dangling ones')
    .option('-f, --force', 'Do not prompt for confirmation')
    .option('--volumes', 'Prune anonymous volumes')
    .action(async (o: { all?: boolean; force?: boolean; volumes?: boolean }) => {
      if (!o.force && !(await confirm('WARNING! This will remove:\n  - all stopped containers\n  - all networks not used by at least one container\n  - all dangling images\n  - leftovers of interrupted operations\n\nAre you sure you want to continue? [y/N] '))) return;
      const r = await (await ctx.engine()).system.prune({ all: o.all, volumes: o.volumes });
      if (r.report.length) ctx.out(r.report.join('\n'));
      ctx.out(`Total reclaimed space: ${humanSize(r.spaceReclaimed)}`);
    });
}
