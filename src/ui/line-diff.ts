/**
 * The bytes that turn one screen line into another: only the runs of cells that changed, each
 * reached with a cursor move. Ink's incremental mode keeps only the unchanged *prefix* of a line
 * and rewrites everything after the first difference — on a busy dashboard row (memory, net I/O,
 * sparkline and CPU % all move) that is most of the row, ~80 bytes a row at 120 columns, 3 KB a
 * tick. Here a row whose figures changed costs the figures.
 *
 * Works on lines sgr-scan understands; undefined otherwise (the caller uses Ink's own update).
 * The terminal is assumed to be in the default style at the start of the line (Ink assumes the
 * same: every line it writes ends in it) and is left in it.
 */
import { scanLine, sgrFor } from './sgr-scan.js';

const ESC = '\u001B[';
/** Unchanged cells between two changed runs cheaper to rewrite than to jump over. */
const MERGE_GAP = 6;

const cursorTo = (col: number) => `${ESC}${col + 1}G`;

export function diffLine(prev: string, next: string, columns: number): string | undefined {
  const p = scanLine(prev);
  const n = scanLine(next);
  if (!p || !n || p.width > columns || n.width > columns) return undefined;
  const same = (i: number) => i < p.width && p.chars[i] === n.chars[i] && p.styles[i] === n.styles[i];

  // Changed runs of next's cells, close ones merged.
  const runs: [number, number][] = [];
  for (let i = 0; i < n.width; i++) {
    if (same(i)) continue;
    let j = i + 1;
    while (j < n.width && !same(j)) j++;
    const last = runs.at(-1);
    if (last && i - last[1] <= MERGE_GAP) last[1] = j;
    else runs.push([i, j]);
    i = j;
  }

  let out = '';
  let style = '';
  for (const [a, b] of runs) {
    out += cursorTo(a);
    if (style !== n.styles[a]) out += sgrFor(n.styles[a]!);
    // The raw text of cells a..b-1 with the codes between them; at the end of the line, its
    // closing codes too.
    const end = b < n.width ? n.at[b]! : next.length;
    out += next.slice(n.at[a]!, end);
    style = b < n.width ? n.styles[b]! : n.endStyle;
  }
  if (n.width < p.width) {
    // Erasing paints with the current background: in the default style, from next's end.
    if (style !== '') out += sgrFor('');
    style = '';
    if (runs.at(-1)?.[1] !== n.width) out += cursorTo(n.width);
    out += `${ESC}K`;
  }
  if (style !== '') out += sgrFor('');
  const full = `${cursorTo(0)}${ESC}K${next}`;
  return out.length < full.length ? out : full;
}
