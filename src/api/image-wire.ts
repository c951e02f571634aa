/**
 * Filter helpers the object routes (images, networks, volumes) share on top of body.ts: the
 * checked `filters` parameter, one boolean filter value, label matches (`label`, `label!`) and
 * docker's `until` times.
 */
import { checkFilterKeys, filtersParam } from './body.js';
import { ApiError } from './errors.js';

export function parseFilters(q: URLSearchParams, allowed: readonly string[]): Record<string, string[]> {
  const f = filtersParam(q);
  checkFilterKeys(f, allowed);
  return f;
}

/** A filter's one boolean value ('dangling=true'), docker's message for anything else. */
export function boolFilter(f: Record<string, string[]>, key: string): boolean | undefined {
  const vals = f[key];
  if (!vals?.length) return undefined;
  const v = vals[0]!.toLowerCase();
  if (vals.length > 1 || !['true', 'false', '1', '0'].includes(v)) throw new ApiError(400, `Invalid filter '${key}=${vals.join(',')}'`);
  return v === 'true' || v === '1';
}

/** `k=v` / `k` label filters against a label map; `label!` negated. */
export function labelsMatch(labels: Record<string, string>, f: Record<string, string[]>): boolean {
  const one = (l: string) => {
    const eq = l.indexOf('=');
    return eq < 0 ? l in labels : labels[l.slice(0, eq)] === l.slice(eq + 1);
  };
  return (f.label ?? []).every(one) && !(f['label!'] ?? []).some(one);
}

/** docker's `until` filter value: a unix time (with fraction), an RFC 3339 time, or a duration ago ("24h"). */
export function untilTime(v: string, now = Date.now()): number {
  if (/^\d+(\.\d+)?$/.test(v)) return Number(v) * 1000;
  const d = /^(\d+(?:\.\d+)?)(ns|us|ms|s|m|h)$/.exec(v);
  if (d) return now - Number(d[1]) * { ns: 1e-6, us: 1e-3, ms: 1, s: 1e3, m: 6e4, h: 3.6e6 }[d[2] as 'h'];
  const t = Date.parse(v);
  if (Number.isNaN(t)) throw new ApiError(400, `invalid filter 'until=${v}'`);
  return t;
}

/** A JSON body that must be an object (absent = {}). */
export function objectBody(v: unknown, what = 'body'): Record<string, unknown> {
  if (v === undefined || v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v)) throw new ApiError(400, `invalid JSON: ${what} must be an object`);
  return v as Record<string, unknown>;
}

/** A map of strings (Labels, Options); absent/null = {}. */
export function strMap(v: unknown, what: string): Record<string, string> {
  if (v === undefined || v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v)) throw new ApiError(400, `${what}: expected an object of strings`);
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v)) {
    if (typeof x !== 'string') throw new ApiError(400, `${what}.${k}: expected a string`);
    out[k] = x;
  }
  return out;
}
