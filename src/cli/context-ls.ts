/** `berth context ls`: NAME (current marked *), DESCRIPTION, DOCKER ENDPOINT; docker's own contexts too. */
import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { ContextStore } from '../engine/docker/contexts.js';
import { CONTEXT_KIND, type ContextRow } from './format/contexts.js';
import { formatList } from './format/list.js';
import { byNaturalName } from './format/natural-order.js';

export function define(cmd: Command, ctx: CliContext): void {
  cmd
    .option('--format <string>', 'Format output using a custom template')
    .option('-q, --quiet', 'Only show context names')
    .action((o: { format?: string; quiet?: boolean }) => {
      const store = new ContextStore();
      const current = ctx.globals.context || process.env.BERTH_CONTEXT || store.current();
      const dockerCurrent = store.dockerCurrent();
      // docker lists contexts in natural order of their names.
      const list = store.list().sort(byNaturalName);
      if (o.quiet) return ctx.out(list.map((c) => c.name).join('\n'));
      const rows = list.map((c): ContextRow => ({
        Name: c.name,
        Current: c.name === current,
        Description:
          c.source === 'docker' ? `${c.description ? `${c.description} ` : ''}[docker${c.name === dockerCurrent ? ', current there' : ''}]` : c.description,
        DockerEndpoint: c.host || '(embedded)',
        Error: '',
      }));
      ctx.out(formatList(rows, o.format, CONTEXT_KIND));
    });
}
