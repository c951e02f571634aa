/** `berth search [--limit N] [--no-trunc] [--format] TERM`: Docker Hub's search, or a registry's catalog (`host:port/term`). */
import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { searchRegistry } from '../engine/registry/search.js';
import { filterOption, intOption } from './flags/typed.js';
import { SEARCH_KIND, type SearchRow } from './format/contexts.js';
import { formatList } from './format/list.js';

export function define(cmd: Command, ctx: CliContext): void {
  cmd
    .addOption(intOption('--limit <int>', 'Max number of search results').default(25))
    .option('--no-trunc', "Don't truncate output")
    .addOption(filterOption('-f, --filter <filter>', 'Filter output based on conditions provided (is-official=true, stars=N)'))
    .option('--format <string>', 'Pretty-print search using a Go template ({{.Name}}, {{.Description}}, {{.StarCount}}, {{.IsOfficial}})')
    .argument('<term>')
    .action(async (term: string, o: { limit: number; trunc: boolean; filter?: string[]; format?: string }) => {
      const limit = o.limit;
      if (limit < 1 || limit > 100) throw new Error(`limit ${limit} is outside the range of [1, 100]`);
      // checked before the search: a mistyped filter should not cost a request
      const filters = (o.filter ?? []).map((f) => {
        const eq = f.indexOf('=');
        const [k, v] = [f.slice(0, eq), f.slice(eq + 1)];
        if (k !== 'is-official' && k !== 'stars') throw new Error(`invalid filter '${k}'`);
        return (r: { official: boolean; stars: number }) => (k === 'is-official' ? r.official === (v === 'true') : r.stars >= Number(v));
      });
      const rows = (await searchRegistry(term, limit)).filter((r) => filters.every((keep) => keep(r)));
      const desc = (d: string) => {
        const one = d.replace(/[\r\n]/g, ' ');
        return o.trunc && one.length > 45 ? `${one.slice(0, 42)}...` : one;
      };
      const found = rows.map((r): SearchRow => ({ Name: r.name, Description: desc(r.description), StarCount: String(r.stars), official: r.official }));
      ctx.out(formatList(found, o.format, SEARCH_KIND));
    });
}
