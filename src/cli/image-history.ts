/** `berth history IMAGE`: IMAGE CREATED CREATED BY SIZE COMMENT. */
import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { HISTORY_KIND, HISTORY_NON_HUMAN_FORMAT, type HistoryRow } from './format/contexts.js';
import { formatList } from './format/list.js';
import { ago, humanSize, shortId } from './format/units.js';

export function define(cmd: Command, ctx: CliContext): void {
  cmd
    .argument('<image>')
    .option('-H, --human', 'Print sizes and dates in human readable format', true)
    .option('--no-human', 'Print raw sizes and dates')
    .option('--format <string>', 'Format output using a custom template')
    .option('--no-trunc', "Don't truncate output")
    .option('-q, --quiet', 'Only show image IDs')
    .action(async (image: string, o: { human: boolean; format?: string; trunc: boolean; quiet?: boolean }) => {
      const h = await (await ctx.engine()).images.history(image);
      const rows = h.map((e): HistoryRow => ({
        ID: e.id === '<missing>' || !o.trunc ? e.id : shortId(e.id),
        CreatedSince: o.human ? ago(e.created) : e.created,
        CreatedAt: e.created,
        CreatedBy: o.trunc && e.createdBy.length > 45 ? `${e.createdBy.slice(0, 44)}…` : e.createdBy,
        Size: o.human ? humanSize(e.size) : String(e.size),
        Comment: e.comment,
      }));
      if (o.quiet) return ctx.out(rows.map((r) => r.ID).join('\n'));
      ctx.out(formatList(rows, o.format, HISTORY_KIND, o.human ? {} : { defaultFormat: HISTORY_NON_HUMAN_FORMAT }));
    });
}
