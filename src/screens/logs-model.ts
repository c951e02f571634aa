/**
 * The logs view's text, pure: merging several containers' lines in time order, the `since`
 * presets, the line as shown (timestamps, name prefix), search with context lines, wrapping,
 * and the text saved to a file (what `berth logs` prints). Tested without Ink.
 */
import type { LogLine } from '../engine/api.js';

/** A log line and the container it came from (index into the view's containers). */
export interface SourcedLine extends LogLine {
  source: number;
  /** timeKey(time), computed once. */
  key: string;
}

/**
 * A sortable key for a log timestamp. RFC 3339 with nanoseconds drops trailing zeros (docker's
 * "…:05.1Z" and "…:05Z"), so plain string order is wrong ('Z' sorts after '.'): pad the fraction
 * to 9 digits. Offsets other than Z go through Date (millisecond precision).
 */
export function timeKey(iso: string): string {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?Z$/.exec(iso);
  if (m) return `${m[1]}.${(m[2] ?? '').padEnd(9, '0')}`;
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) return '';
  const d = new Date(ms).toISOString();
  return `${d.slice(0, 19)}.${d.slice(20, 23)}000000`;
}

/**
 * Inserts `line` in time order (stable: equal times keep arrival order). Lines mostly arrive in
 * order, so the search runs from the end and usually stops at once.
 */
export function insertByTime(buf: SourcedLine[], line: SourcedLine): void {
  let i = buf.length;
  while (i > 0 && buf[i - 1]!.key > line.key) i--;
  if (i === buf.length) buf.push(line);
  else buf.splice(i, 0, line);
}

/** The since presets: key → `--since` value ('' = all). */
export const SINCE_PRESETS: Record<string, string> = { '0': '', '1': '1m', '5': '5m', h: '1h' };

/** A typed since: a duration ("90s", "10m", "2h", "1h30m") or a timestamp, as `berth logs --since` takes. */
export function validSince(s: string): boolean {
  if (/^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/.test(s)) return true;
  if (/^\d+(\.\d+)?$/.test(s)) return true; // unix seconds
  return Number.isFinite(Date.parse(s));
}

/** Width of the name column for merged logs: the longest name, capped. */
export function prefixWidth(names: readonly string[]): number {
  return Math.min(24, Math.max(0, ...names.map((n) => n.length)));
}

/** The plain text of a line as shown: "[name | ][time ]text". */
export function lineText(l: LogLine, o: { timestamps: boolean; prefix?: string }): string {
  return `${o.prefix ?? ''}${o.timestamps ? `${l.time} ` : ''}${l.text}`;
}

/** "name | " padded to `width`, as docker compose logs prefixes lines. */
export function namePrefix(name: string, width: number): string {
  const n = name.length > width ? name.slice(0, width) : name.padEnd(width);
  return `${n} | `;
}

/**
 * What `berth logs [-t] NAME` writes for these lines (stdout and stderr together, as `2>&1`):
 * the time first with -t, and a newline only after a complete line. Merged logs carry the
 * name prefix, as `docker compose logs` does.
 */
export function savedText(lines: readonly LogLine[], o: { timestamps: boolean; prefixes?: readonly string[] }): string {
  let out = '';
  for (const l of lines) {
    const prefix = o.prefixes ? (o.prefixes[(l as SourcedLine).source] ?? '') : '';
    out += `${prefix}${o.timestamps ? `${l.time} ` : ''}${l.text}${l.complete ? '\n' : ''}`;
  }
  return out;
}

/** One row of the view: a line of the buffer, or the `--` between separated match groups. */
export type Row = { line: number } | { gap: true };

/**
 * The rows to show for a search: every matching line with `context` lines before and after it
 * (grep -C), groups that do not touch separated by a gap row. No query: every line.
 */
export function searchRows(texts: readonly string[], matches: readonly number[], context: number, query: string): Row[] {
  if (!query) return texts.map((_, i) => ({ line: i }));
  const rows: Row[] = [];
  let last = -1; // last line emitted
  for (const m of matches) {
    const from = Math.max(last + 1, m - context);
    const to = Math.min(texts.length - 1, m + context);
    if (from > to) continue;
    if (last >= 0 && from > last + 1) rows.push({ gap: true });
    for (let i = from; i <= to; i++) rows.push({ line: i });
    last = to;
  }
  return rows;
}

/** Splits `text` (plain, no escape codes) into pieces of at most `width` code points. */
export function wrapText(text: string, width: number): string[] {
  const chars = Array.from(text);
  if (width <= 0 || chars.length <= width) return [text];
  const out: string[] = [];
  for (let i = 0; i < chars.length; i += width) out.push(chars.slice(i, i + width).join(''));
  return out;
}

/** "~/x" → home + "/x"; a bare name goes in the home directory. */
export function expandSavePath(path: string, home: string): string {
  const p = path.trim();
  if (p === '~') return home;
  if (p.startsWith('~/')) return `${home}/${p.slice(2)}`;
  if (!p.includes('/')) return `${home}/${p}`;
  return p;
}

/** The default file name: berth-logs-NAME-20261206-194501.log (names joined with + when merged). */
export function defaultSaveName(names: readonly string[], now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const who = names.length > 3 ? `${names.slice(0, 3).join('+')}+${names.length - 3}` : names.join('+');
  return `berth-logs-${who.replace(/[^A-Za-z0-9_.+-]/g, '_')}-${stamp}.log`;
}

// SGR colours for the name prefixes of merged logs, one per container in turn (the 16-colour
// palette, as docker compose logs uses). Without colour the padded "name | " alone tells them apart.
const PREFIX_SGR = ['36', '33', '35', '32', '34', '31', '96', '93', '95', '92'];

export function paintPrefix(text: string, source: number, color: boolean): string {
  if (!color || !text) return text;
  return `\u001B[${PREFIX_SGR[source % PREFIX_SGR.length]}m${text}\u001B[0m`;
}
