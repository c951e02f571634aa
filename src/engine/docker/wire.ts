/**
 * The daemon's JSON, read once at the boundary: small readers that take `unknown` and return
 * typed values with defaults for what an older (or Podman's) API leaves out, or throw when
 * the answer is not what the API documents. Nothing past this file touches untyped JSON.
 */
import { EngineError } from '../errors.js';

export type Json = Record<string, unknown>;

export function obj(v: unknown, what = 'object'): Json {
  if (v && typeof v === 'object' && !Array.isArray(v)) return v as Json;
  throw new EngineError('runtime', `unexpected answer from the daemon: ${what} is not an object`);
}
export function arr(v: unknown, what = 'list'): unknown[] {
  if (v === null || v === undefined) return [];
  if (Array.isArray(v)) return v;
  throw new EngineError('runtime', `unexpected answer from the daemon: ${what} is not a list`);
}
export const str = (v: unknown, d = ''): string => (typeof v === 'string' ? v : d);
export const num = (v: unknown, d = 0): number => (typeof v === 'number' && Number.isFinite(v) ? v : d);
export const bool = (v: unknown): boolean => v === true;
export const strs = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
export function strMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) if (typeof x === 'string') out[k] = x;
  return out;
}
export const optObj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});

/** "1.41" vs "1.9": numeric per part. */
export function compareApi(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d) return d;
  }
  return 0;
}

export interface DockerVersion {
  Version: string;
  ApiVersion: string;
  MinAPIVersion: string;
  Os: string;
  Arch: string;
  KernelVersion: string;
  PlatformName: string;
  Components: { Name: string; Version: string }[];
}

export function parseVersion(v: unknown): DockerVersion {
  const o = obj(v, 'version');
  return {
    Version: str(o.Version),
    ApiVersion: str(o.ApiVersion),
    MinAPIVersion: str(o.MinAPIVersion),
    Os: str(o.Os),
    Arch: str(o.Arch),
    KernelVersion: str(o.KernelVersion),
    PlatformName: str(optObj(o.Platform).Name),
    Components: arr(o.Components).map((c) => ({ Name: str(optObj(c).Name), Version: str(optObj(c).Version) })),
  };
}

/** Podman's compat API names itself in Components ("Podman Engine") or the platform name. */
export function engineKind(v: DockerVersion): 'docker' | 'podman' {
  const names = [v.PlatformName, ...v.Components.map((c) => c.Name)].join(' ');
  return /podman/i.test(names) ? 'podman' : 'docker';
}

/** Docker's created times: unix seconds in lists, RFC 3339 in inspect documents. */
export function isoOf(v: unknown): string {
  if (typeof v === 'number') return new Date(v * 1000).toISOString();
  if (typeof v === 'string' && v) return v;
  return new Date(0).toISOString();
}
