/**
 * The limits in force for a container, read back from its cgroup files (for inspect, `stats`
 * and tests that check runc applied what the OCI config asked). Not a hot path: plain reads.
 *
 * Values are in docker's terms whatever the version: memorySwap is memory+swap (v1 memsw
 * semantics; on v2 memory.max + memory.swap.max), shares are v1 shares (v2 weight converted back).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UNLIMITED_THRESHOLD } from './cgroup-files.js';
import type { CgroupLayout } from './detect.js';
import { type CgroupRef, resolveDirs } from './paths.js';
import { type WeightFormula, sharesToWeight, weightToShares } from './weight.js';

export interface CgroupLimits {
  /** Bytes; null = unlimited. */
  memory: number | null;
  /** memory + swap, bytes (docker's --memory-swap); null = unlimited swap or no swap accounting. */
  memorySwap: number | null;
  /** Swap alone, bytes; null = unlimited or unknown. */
  swap: number | null;
  /** CFS quota per period, µs; null = no quota. */
  cpuQuota: number | null;
  /** CFS period, µs. */
  cpuPeriod: number;
  /** Relative CPU weight as v1 shares (v2: converted from cpu.weight). */
  cpuShares: number;
  /** As v2 cpu.weight (v1: converted from shares). */
  cpuWeight: number;
  /** null = unlimited. */
  pidsMax: number | null;
}

function read(dir: string | undefined, file: string): string | undefined {
  if (dir === undefined) return undefined; // controller not mounted
  const path = join(dir, file);
  try {
    return readFileSync(path, 'latin1').trim();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined; // controller not mounted/enabled, or no swap accounting
    throw e;
  }
}

/** A number, "max" (v2) or a v1 near-2^63 value; null for unlimited, undefined when absent. */
function limitValue(text: string | undefined): number | null | undefined {
  if (text === undefined || text === '') return undefined;
  if (text === 'max' || text === '-1') return null;
  const v = Number(text);
  if (!Number.isFinite(v)) return undefined;
  return v >= UNLIMITED_THRESHOLD ? null : v;
}

/** The default when a file is missing: unlimited, and the kernel's default CPU share/period. */
const DEFAULT_PERIOD = 100_000;
const DEFAULT_SHARES = 1024;
const DEFAULT_WEIGHT = 100;

export function readLimits(layout: CgroupLayout, ref: CgroupRef, opts: { weightFormula?: WeightFormula } = {}): CgroupLimits {
  const dirs = resolveDirs(layout, ref);
  const formula = opts.weightFormula ?? 'linear';

  if (dirs.version === 1) {
    const d = (c: string) => dirs.byController[c];
    const memory = limitValue(read(d('memory'), 'memory.limit_in_bytes')) ?? null;
    const memsw = limitValue(read(d('memory'), 'memory.memsw.limit_in_bytes')) ?? null;
    const quota = limitValue(read(d('cpu'), 'cpu.cfs_quota_us')) ?? null;
    const period = limitValue(read(d('cpu'), 'cpu.cfs_period_us')) ?? DEFAULT_PERIOD;
    const shares = limitValue(read(d('cpu'), 'cpu.shares')) ?? DEFAULT_SHARES;
    const pidsMax = limitValue(read(d('pids'), 'pids.max')) ?? null;
    return {
      memory,
      memorySwap: memsw,
      swap: memory !== null && memsw !== null ? memsw - memory : null,
      cpuQuota: quota,
      cpuPeriod: period,
      cpuShares: shares,
      cpuWeight: sharesToWeight(shares, formula),
      pidsMax,
    };
  }

  const dir = dirs.dir;
  const memory = limitValue(read(dir, 'memory.max')) ?? null;
  const swap = limitValue(read(dir, 'memory.swap.max')) ?? null;
  // cpu.max: "<quota|max> <period>"
  const [q, p] = (read(dir, 'cpu.max') ?? 'max 100000').split(/\s+/);
  const weight = limitValue(read(dir, 'cpu.weight')) ?? DEFAULT_WEIGHT;
  return {
    memory,
    memorySwap: memory !== null && swap !== null ? memory + swap : null,
    swap,
    cpuQuota: limitValue(q) ?? null,
    cpuPeriod: limitValue(p) ?? DEFAULT_PERIOD,
    cpuShares: weightToShares(weight, formula),
    cpuWeight: weight,
    pidsMax: limitValue(read(dir, 'pids.max')) ?? null,
  };
}
