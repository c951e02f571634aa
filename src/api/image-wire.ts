/**
 * Filter helpers the object routes (images, networks, volumes) share on top of body.ts: the
 * checked `filters` parameter, one boolean filter value, label matches (`label`, `label!`);
 * prune's filters are the engine's (engine/prune-filter.ts).
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
