/**
 * Reading requests as docker's server does: JSON bodies with a size cap (malformed → 400),
 * query booleans (`1`, `true`, `True`, … — anything but empty/0/no/false/none), integers, and
 * filters in both shapes clients send: `{"k":["v"]}` (old) and `{"k":{"v":true}}`.
 */
import type { IncomingMessage } from 'node:http';
import { badRequest } from './errors.js';

/** Bodies read before the route ran (an upgraded request's body arrives on the raw socket). */
const preread = new WeakMap<IncomingMessage, Buffer>();
export function setPreread(req: IncomingMessage, body: Buffer): void {
  preread.set(req, body);
}

const DEFAULT_CAP = 16 * 1024 * 1024;

export async function readBody(req: IncomingMessage, cap = DEFAULT_CAP): Promise<Buffer> {
  const pre = preread.get(req);
  if (pre) return pre;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req as AsyncIterable<Buffer>) {
    size += c.length;
    if (size > cap) throw badRequest(`request body is larger than ${cap} bytes`);
    chunks.push(c);
  }
  return Buffer.concat(chunks);
}

/** The JSON body, or undefined when there is none. */
export async function readJson<T = unknown>(req: IncomingMessage, cap?: number): Promise<T | undefined> {
  const buf = await readBody(req, cap);
  const text = buf.toString('utf8').trim();
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as T;
  } catch (e) {
    throw badRequest(`invalid JSON: ${(e as Error).message}`);
  }
}

/** docker's httputils.BoolValue. */
export function boolParam(q: URLSearchParams, name: string, dflt = false): boolean {
  const v = q.get(name);
  if (v === null) return dflt;
  const s = v.trim().toLowerCase();
  return !(s === '' || s === '0' || s === 'no' || s === 'false' || s === 'none');
}

/** An integer query value; absent/empty → undefined; not a number → 400. */
export function intParam(q: URLSearchParams, name: string): number | undefined {
  const v = q.get(name);
  if (v === null || v.trim() === '') return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || !Number.isInteger(n)) throw badRequest(`invalid value for ${name}: ${JSON.stringify(v)}`);
  return n;
}

/** `filters={…}` in either shape → { key: [values] }; malformed → docker's 400. */
export function filtersParam(q: URLSearchParams, name = 'filters'): Record<string, string[]> {
  const raw = q.get(name);
  if (raw === null || raw.trim() === '') return {};
  let doc: unknown;
  try {
    doc = JSON.parse(raw);
  } catch (e) {
    throw badRequest(`invalid filter: ${(e as Error).message}`);
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw badRequest(`invalid filter: ${raw}`);
  const out: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(doc as Record<string, unknown>)) {
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) out[k] = v as string[];
    else if (v && typeof v === 'object' && !Array.isArray(v))
      out[k] = Object.entries(v as Record<string, unknown>)
        .filter(([, on]) => on === true)
        .map(([x]) => x);
    else throw badRequest(`invalid filter: ${raw}`);
  }
  return out;
}

/** Refuses filter keys the route does not know, as docker: "invalid filter 'k'". */
export function checkFilterKeys(filters: Record<string, string[]>, allowed: readonly string[]): void {
  for (const k of Object.keys(filters)) if (!allowed.includes(k)) throw badRequest(`Invalid filter '${k}'`);
}
