/** `berth search [--limit N] [--no-trunc] [--format] TERM`: Docker Hub's search, or a registry's catalog (`host:port/term`). */
import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { searchRegistry } from '../engine/registry/search.js';
import { SEARCH_KIND, type SearchRow } from './format/contexts.js';
import { formatList } from './format/list.js';

export function define(cmd: Command, ctx: CliContext): void {
  cmd
    .option('--limit <int>', 'Max number of search results', '25')
    .option('--no-trunc', "Don't truncate output")
    .option('-f, --filter <filter>', 'Filter output based on conditions provided (is-official=true, stars=N)')
    .option('--format <string>', 'Pretty-print search using a Go template ({{.Name}}, {{.Description}}, {{.StarCount}}, {{.IsOfficial}})')
    .argument('<term>')
    .action(async (term: string, o: { limit: string; trunc: boolean; filter?: string; format?: string }) => {
      const limit = Number(o.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw new Error('limit 0 is outside the range of [1, 100]');
      let rows = await searchRegistry(term, limit);
      if (o.filter) {
        const [k, v] = o.filter.split('=');
        if (k === 'is-official') rows = rows.filter((r) => r.official === (v === 'true'));
        else if (k === 'stars') rows = rows.filter((r) => r.stars >= Number(v));
        else throw new Error(`invalid filter '${k}'`);
      }
      const desc = (d: string) => {
        const one = d.replace(/[\r\n]/g, ' ');
        return o.trunc && one.length > 45 ? `${one.slice(0, 42)}...` : one;
      };
      const found = rows.map((r): SearchRow => ({ Name: r.name, Description: desc(r.description), StarCount: String(r.stars), official: r.official }));
      ctx.out(formatList(found, o.format, SEARCH_KIND));
    });
}
