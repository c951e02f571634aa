/** `berth system prune`: stopped containers, unused networks, dangling images, crash debris. */
import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { confirm } from './confirm.js';
import { systemPruneText } from './format/prune-report.js';

/** docker's warning, item for item (cli/command/system/prune.go). */
function warning(o: { all?: boolean; volumes?: boolean }): string {
  const items = [
    'all stopped containers',
    'all networks not used by at least one container',
    ...(o.volumes ? ['all anonymous volumes not used by at least one container'] : []),
    o.all ? 'all images without at least one container associated to them' : 'all dangling images',
    o.all ? 'all build cache' : 'unused build cache',
  ];
  return `WARNING! This will remove:\n${items.map((i) => `  - ${i}\n`).join('')}\nAre you sure you want to continue? [y/N] `;
}

export function define(cmd: Command, ctx: CliContext): void {
  cmd
    .option('-a, --all', 'Remove all unused images not just dangling ones')
    .option('-f, --force', 'Do not prompt for confirmation')
    .option('--volumes', 'Prune anonymous volumes')
    .action(async (o: { all?: boolean; force?: boolean; volumes?: boolean }) => {
      if (!o.force && !(await confirm(warning(o)))) return;
      ctx.out(systemPruneText(await (await ctx.engine()).system.prune({ all: o.all, volumes: o.volumes })));
    });
}
