/**
 * process.rlimits that runc can actually set. runc sets them from the engine's own process, and
 * on hosts where CAP_SYS_RESOURCE is not in the bounding set (this one) no process can raise a
 * limit above its current hard limit: runc then fails with "error setting rlimits … operation
 * not permitted". So every limit is clamped to what /proc/self/limits says we hold.
 */
import { readFileSync } from 'node:fs';
import { invalid } from '../errors.js';

/** RLIM_INFINITY as runc reads it (a uint64; JSON numbers cannot carry it, see spec-json.ts). */
export const RLIM_INFINITY = 2n ** 64n - 1n;

export interface Rlimit {
  type: string; // RLIMIT_NOFILE, ...
  soft: bigint;
  hard: bigint;
}

const NAMES: Record<string, string> = {
  'Max cpu time': 'RLIMIT_CPU',
  'Max file size': 'RLIMIT_FSIZE',
  'Max data size': 'RLIMIT_DATA',
  'Max stack size': 'RLIMIT_STACK',
  'Max core file size': 'RLIMIT_CORE',
  'Max resident set': 'RLIMIT_RSS',
  'Max processes': 'RLIMIT_NPROC',
  'Max open files': 'RLIMIT_NOFILE',
  'Max locked memory': 'RLIMIT_MEMLOCK',
  'Max address space': 'RLIMIT_AS',
  'Max file locks': 'RLIMIT_LOCKS',
  'Max pending signals': 'RLIMIT_SIGPENDING',
  'Max msgqueue size': 'RLIMIT_MSGQUEUE',
  'Max nice priority': 'RLIMIT_NICE',
  'Max realtime priority': 'RLIMIT_RTPRIO',
  'Max realtime timeout': 'RLIMIT_RTTIME',
};

/** Parses /proc/<pid>/limits text into type → {soft, hard}. */
export function parseLimits(text: string): Map<string, { soft: bigint; hard: bigint }> {
  const out = new Map<string, { soft: bigint; hard: bigint }>();
  for (const line of text.split('\n')) {
    for (const [label, type] of Object.entries(NAMES)) {
      if (!line.startsWith(label + ' ')) continue;
      const f = line.slice(label.length).trim().split(/\s+/);
      const v = (s: string | undefined): bigint => (s === 'unlimited' ? RLIM_INFINITY : BigInt(s ?? '0'));
      out.set(type, { soft: v(f[0]), hard: v(f[1]) });
    }
  }
  return out;
}

let own: Map<string, { soft: bigint; hard: bigint }> | undefined;
/** The engine's own limits (read once: they do not change under us). */
export function ownLimits(): Map<string, { soft: bigint; hard: bigint }> {
  own ??= parseLimits(readFileSync('/proc/self/limits', 'utf8'));
  return own;
}

const min = (a: bigint, b: bigint) => (a < b ? a : b);

/**
 * Clamps each limit to the caller's hard limit (soft ≤ hard always). Returns the limits and a
 * warning for each one lowered, so the engine can tell the user as docker prints warnings.
 */
export function clampRlimits(wanted: Rlimit[], limits: Map<string, { soft: bigint; hard: bigint }> = ownLimits()): { rlimits: Rlimit[]; warnings: string[] } {
  const warnings: string[] = [];
  const seen = new Set<string>();
  const rlimits: Rlimit[] = [];
  for (const r of wanted) {
    if (!Object.values(NAMES).includes(r.type)) throw invalid(`unknown rlimit ${r.type}`);
    if (r.soft < 0n || r.hard < 0n || r.soft > r.hard) throw invalid(`invalid rlimit ${r.type}: soft ${r.soft} hard ${r.hard}`);
    if (seen.has(r.type)) throw invalid(`rlimit ${r.type} given twice`);
    seen.add(r.type);
    const cap = limits.get(r.type)?.hard ?? RLIM_INFINITY;
    const hard = min(r.hard, cap);
    const soft = min(r.soft, hard);
    if (hard !== r.hard) warnings.push(`${r.type} lowered to ${hard} (the engine's own hard limit)`);
    rlimits.push({ type: r.type, soft, hard });
  }
  return { rlimits, warnings };
}
