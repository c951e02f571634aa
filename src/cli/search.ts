/** `berth search [--limit N] [--no-trunc] [--format] TERM`: Docker Hub's search, or a registry's catalog (`host:port/term`). */
import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { searchRegistry } from '../engine/registry/search.js';

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
      if (o.format) {
        for (const r of rows) {
          ctx.out(o.format.replace(/\{\{\s*\.(\w+)\s*\}\}/g, (_m, f: string) =>
            String(({ Name: r.name, Description: r.description, StarCount: r.stars, IsOfficial: r.official } as Record<string, unknown>)[f] ?? '')));
        }
        return;
      }
      const desc = (d: string) => (o.trunc && d.length > 45 ? `${d.slice(0, 42)}...` : d);
      const table = [['NAME', 'DESCRIPTION', 'STARS', 'OFFICIAL'], ...rows.map((r) => [r.name, desc(r.description), String(r.stars), r.official ? '[OK]' : ''])];
      const w = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
      for (const row of table) ctx.out(row.map((c, i) => (i < row.length - 1 ? c.padEnd(w[i]! + 3) : c)).join('').trimEnd());
    });
}
