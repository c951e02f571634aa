/**
 * Wire helpers shared by the object routes (images, build, networks, volumes): JSON answers,
 * query flags and docker's `filters` parameter in both shapes clients send
 * (Go: `{"label":{"k=v":true}}`, docker-py: `{"label":["k=v"]}`), checked against the keys a
 * route knows so that a typo is docker's 400, not a silent match-all.
 */
import type { ServerResponse } from 'node:http';
import { ApiError } from './errors.js';

export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = `${JSON.stringify(value)}\n`;
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

/** docker's boolean query values: 1/true/True (anything else that is present and not 0/false is true too). */
export function queryBool(q: URLSearchParams, name: string): boolean {
  const v = q.get(name);
  if (v === null) return false;
  return !['', '0', 'false', 'False', 'FALSE', 'no'].includes(v);
}

export function parseFilters(q: URLSearchParams, allowed: readonly string[]): Record<string, string[]> {
  const raw = q.get('filters');
  if (raw === null || raw === '') return {};
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch (e) {
    throw new ApiError(400, `invalid filter: ${(e as Error).message}`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new ApiError(400, 'invalid filter: expected a JSON object');
  const out: Record<string, string[]> = {};
  for (const [k, val] of Object.entries(v as Record<string, unknown>)) {
    if (!allowed.includes(k)) throw new ApiError(400, `invalid filter '${k}'`);
    if (Array.isArray(val)) out[k] = val.map(String);
    else if (typeof val === 'object' && val !== null) out[k] = Object.entries(val).filter(([, on]) => on === true).map(([x]) => x);
    else throw new ApiError(400, `invalid filter '${k}': expected a list or a map`);
  }
  return out;
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

/** Reads the whole body as JSON; an empty body is `undefined`. Malformed JSON is docker's 400. */
export async function readJsonBody(req: AsyncIterable<Buffer>): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ApiError(400, `invalid JSON: ${(e as Error).message}`);
  }
}

export function objectBody(v: unknown): Record<string, unknown> {
  if (v === undefined || v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v)) throw new ApiError(400, 'invalid JSON: expected an object');
  return v as Record<string, unknown>;
}

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
