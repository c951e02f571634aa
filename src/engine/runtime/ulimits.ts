/**
 * docker's --ulimit (go-units' ParseUlimit names and rules) → OCI rlimits, lowered to what the
 * engine may set (rlimits.ts). -1 is unlimited. The lowering is told in one warning line at
 * create, so `run` says it once, not per limit.
 */
import { invalid } from '../errors.js';
import type { Ulimit } from '../api.js';
import { ownLimits, RLIM_INFINITY, type Rlimit } from './rlimits.js';

/** docker's names (go-units' ulimitNameMapping); "as" is not among them. */
export const ULIMIT_NAMES = [
  'core',
  'cpu',
  'data',
  'fsize',
  'locks',
  'memlock',
  'msgqueue',
  'nice',
  'nofile',
  'nproc',
  'rss',
  'rtprio',
  'rttime',
  'sigpending',
  'stack',
] as const;

const rlimitType = (name: string) => `RLIMIT_${name.toUpperCase()}`;
const toBig = (v: number) => (v === -1 ? RLIM_INFINITY : BigInt(v));

/** docker's checks of one ulimit, with its messages (the API takes them unchecked otherwise). */
export function checkUlimit(u: Ulimit): void {
  if (!(ULIMIT_NAMES as readonly string[]).includes(u.name)) throw invalid(`invalid ulimit type: ${u.name}`);
  for (const v of [u.soft, u.hard]) if (!Number.isSafeInteger(v) || v < -1) throw invalid(`invalid ulimit value for ${u.name}: ${v}`);
  if (u.hard !== -1) {
    if (u.soft === -1) throw invalid(`ulimit soft limit must be less than or equal to hard limit: soft: -1 (unlimited), hard: ${u.hard}`);
    if (u.soft > u.hard) throw invalid(`ulimit soft limit must be less than or equal to hard limit: ${u.soft} > ${u.hard}`);
  }
}

/** The wanted limits as OCI rlimits (unclamped); the last of a name wins, as docker's map does. */
export function toRlimits(ulimits: Ulimit[]): Rlimit[] {
  const byType = new Map<string, Rlimit>();
  for (const u of ulimits) {
    checkUlimit(u);
    byType.set(rlimitType(u.name), { type: rlimitType(u.name), soft: toBig(u.soft), hard: toBig(u.hard) });
  }
  return [...byType.values()];
}

const show = (v: bigint) => (v === RLIM_INFINITY ? 'unlimited' : String(v));

/**
 * One warning line for the ulimits the engine will lower, or undefined when all fit. The
 * values are the engine's hard limits (CAP_SYS_RESOURCE would be needed to go higher).
 */
export function ulimitWarning(ulimits: Ulimit[], limits = ownLimits()): string | undefined {
  const lowered: string[] = [];
  for (const r of toRlimits(ulimits)) {
    const cap = limits.get(r.type)?.hard ?? RLIM_INFINITY;
    if (r.hard > cap || r.soft > cap) {
      const name = r.type.slice('RLIMIT_'.length).toLowerCase();
      const soft = r.soft > cap ? cap : r.soft;
      lowered.push(`${name}=${show(r.soft)}:${show(r.hard)} → ${show(soft)}:${show(cap)}`);
    }
  }
  if (!lowered.length) return undefined;
  return `ulimits above the engine's own hard limits are lowered to them (raising a limit needs CAP_SYS_RESOURCE): ${lowered.join(', ')}`;
}
