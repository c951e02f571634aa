/**
 * The part of Go's text/template that docker users put in --format: `{{.Field}}`,
 * `{{.A.B}}`, `{{json .}}` / `{{json .Field}}`, `{{index .Map "key"}}`, `{{upper …}}`,
 * `{{lower …}}`, `{{join .List ","}}`, and `\t` / `\n` escapes; plus the keywords
 * `json` (one JSON object per line) and `table …` (a header row from the field names).
 * Written here because no maintained JS port of Go templates fits; this subset is what
 * docker's documentation shows.
 */
import { renderTable } from './table.js';

type Obj = Record<string, unknown>;

function lookup(v: unknown, path: string): unknown {
  if (path === '.' || path === '') return v;
  let cur: unknown = v;
  for (const part of path.replace(/^\./, '').split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Obj)[part];
  }
  return cur;
}

function show(v: unknown): string {
  if (v === undefined || v === null) return '<no value>';
  if (typeof v === 'object') return Array.isArray(v) ? `[${v.map(show).join(' ')}]` : `map[${Object.entries(v as Obj).map(([k, x]) => `${k}:${show(x)}`).join(' ')}]`;
  return String(v);
}

function tokens(expr: string): string[] {
  return expr.match(/"(?:\\.|[^"\\])*"|\S+/g) ?? [];
}

function evalExpr(expr: string, data: unknown): unknown {
  const t = tokens(expr.trim());
  const arg = (s: string | undefined) => (s === undefined ? undefined : s.startsWith('"') ? JSON.parse(s) : lookup(data, s));
  switch (t[0]) {
    case 'json':
      return JSON.stringify(arg(t[1] ?? '.'));
    case 'index': {
      const m = arg(t[1]);
      const k = arg(t[2]);
      return m && typeof m === 'object' ? (m as Obj)[String(k)] : undefined;
    }
    case 'upper':
      return String(arg(t[1])).toUpperCase();
    case 'lower':
      return String(arg(t[1])).toLowerCase();
    case 'join': {
      const l = arg(t[1]);
      return Array.isArray(l) ? l.join(String(arg(t[2]) ?? ' ')) : show(l);
    }
    case 'title':
      return String(arg(t[1])).replace(/\b\w/g, (c) => c.toUpperCase());
    default:
      return arg(t[0]);
  }
}

export function applyTemplate(tpl: string, data: unknown): string {
  const unescaped = tpl.replace(/\\t/g, '\t').replace(/\\n/g, '\n');
  return unescaped.replace(/\{\{-?\s*(.*?)\s*-?\}\}/g, (_m, e: string) => {
    const v = evalExpr(e, data);
    return typeof v === 'string' ? v : show(v);
  });
}

/**
 * Formats a list as docker does for `--format`: undefined → the default table, "json" → one
 * JSON document per line, "table TEMPLATE" → a table with headers, else one template per line.
 */
export function formatList<T extends Obj>(items: T[], format: string | undefined, defaultTable: { header: string[]; row: (x: T) => string[] }, headerNames: Record<string, string> = {}): string {
  if (!format || format === 'table') return renderTable(defaultTable.header, items.map(defaultTable.row));
  if (format === 'json') return items.map((i) => JSON.stringify(i)).join('\n') + (items.length ? '\n' : '');
  if (format.startsWith('table ')) {
    const tpl = format.slice(6);
    const cols = tpl.replace(/\\t/g, '\t').split('\t');
    const header = cols.map((c) => {
      const f = /\{\{\s*\.(\w+)\s*\}\}/.exec(c)?.[1] ?? c;
      return headerNames[f] ?? f.replace(/([a-z])([A-Z])/g, '$1 $2').toUpperCase();
    });
    return renderTable(header, items.map((i) => cols.map((c) => applyTemplate(c, i))));
  }
  return items.map((i) => applyTemplate(format, i)).join('\n') + (items.length ? '\n' : '');
}
