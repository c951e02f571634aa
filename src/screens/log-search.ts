/** Finding and highlighting a search term in log lines, pure. */
import type { Theme } from '../ui/theme.js';

export function matchingLines(lines: readonly string[], query: string): number[] {
  if (!query) return [];
  const q = query.toLowerCase();
  const out: number[] = [];
  lines.forEach((l, i) => {
    if (l.toLowerCase().includes(q)) out.push(i);
  });
  return out;
}

export function highlight(line: string, query: string, theme: Theme): string {
  if (!query) return line;
  const lower = line.toLowerCase();
  const q = query.toLowerCase();
  let out = '';
  let from = 0;
  for (let at = lower.indexOf(q); at >= 0; at = lower.indexOf(q, from)) {
    out += line.slice(from, at) + theme.paint('match', line.slice(at, at + q.length));
    from = at + q.length;
  }
  return out + line.slice(from);
}

/** The next (dir 1) or previous (dir -1) match from `line`, wrapping around. */
export function nextMatch(matches: readonly number[], line: number, dir: 1 | -1): number | undefined {
  if (!matches.length) return undefined;
  if (dir === 1) return matches.find((m) => m > line) ?? matches[0];
  return [...matches].reverse().find((m) => m < line) ?? matches[matches.length - 1];
}
