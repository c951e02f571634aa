/**
 * Docker-style resource options → the OCI config's `linux.resources`. runc applies the limits
 * itself (and converts for v2: memory.swap.max = swap − memory, cpu.weight from shares), so
 * berth only validates, applies docker's defaults and writes the object.
 *
 * Validation follows dockerd (daemon/daemon_unix.go: verifyPlatformContainerResources and
 * adaptContainerSettings), with its error messages, because users search for them.
 */
import { availableParallelism } from 'node:os';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { CgroupLayout } from './detect.js';

/** The `linux.resources` subset berth sets (OCI runtime-spec names and units). */
export interface OciLinuxResources {
  memory?: { limit?: number; swap?: number };
  cpu?: { shares?: number; quota?: number; period?: number };
  pids?: { limit: number };
}

/** Docker's units: bytes, nano-CPUs (1e9 = one CPU), relative shares. */
export interface ResourceOptions {
  memory?: number;
  /** memory + swap total; -1 = unlimited swap; 0/undefined = docker's default (2 × memory). */
  memorySwap?: number;
  nanoCpus?: number;
  cpuShares?: number;
  /** ≤ 0 = unlimited (docker treats 0 and negatives alike). */
  pidsLimit?: number;
}

/** What the host can do; `limitHostFor` reads it from the layout. */
export interface LimitHost {
  /** CPUs this process may run on (docker's sysinfo.NumCPU, i.e. the affinity mask). */
  cpus: number;
  /** Whether swap can be limited (v1: memory.memsw.* exists; v2: the memory controller). */
  swapLimit: boolean;
}

/** A refused option; the engine maps it to an 'invalid' EngineError. */
export class LimitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LimitError';
  }
}

export const LINUX_MIN_MEMORY = 6 * 1024 * 1024; // dockerd's linuxMinMemory
export const MIN_CPU_SHARES = 2;
export const MAX_CPU_SHARES = 262144;
/** --cpus is expressed with a fixed 100 ms CFS period, as dockerd does. */
export const CPU_PERIOD_US = 100_000;
/** The kernel refuses cfs_quota_us below 1 ms, i.e. --cpus below 0.01. */
const MIN_CPU_QUOTA_US = 1000;

export function limitHostFor(layout: CgroupLayout): LimitHost {
  const cpus = availableParallelism();
  let swapLimit: boolean;
  if (layout.version === 2) swapLimit = layout.controllers.includes('memory');
  else {
    const mem = layout.v1Mounts['memory'];
    swapLimit = mem !== undefined && existsSync(join(mem, 'memory.memsw.limit_in_bytes'));
  }
  return { cpus, swapLimit };
}

/** µs of CPU per 100 ms period: nanoCpus × period / 1e9, without overflowing 2^53. */
function quotaFor(nanoCpus: number): number {
  return Math.floor(nanoCpus / (1e9 / CPU_PERIOD_US));
}

function checkInt(name: string, v: number | undefined): void {
  if (v !== undefined && !Number.isSafeInteger(v)) throw new LimitError(`invalid value for ${name}: ${v}`);
}

/**
 * Validates `opts` as dockerd does and returns the OCI resources plus docker's warnings.
 * Throws LimitError with docker's message on a refused combination.
 */
export function toOciResources(opts: ResourceOptions, host: LimitHost): { resources: OciLinuxResources; warnings: string[] } {
  const warnings: string[] = [];
  checkInt('memory', opts.memory);
  checkInt('memory-swap', opts.memorySwap);
  checkInt('cpus', opts.nanoCpus);
  checkInt('cpu-shares', opts.cpuShares);
  checkInt('pids-limit', opts.pidsLimit);

  const memory = opts.memory ?? 0;
  let memorySwap = opts.memorySwap ?? 0;
  let cpuShares = opts.cpuShares ?? 0;
  const nanoCpus = opts.nanoCpus ?? 0;

  // adaptContainerSettings: docker's defaults and clamps (logged, not refused).
  if (cpuShares < 0) {
    warnings.push(`Changing requested CPUShares of ${cpuShares} to minimum allowed of ${MIN_CPU_SHARES}`);
    cpuShares = MIN_CPU_SHARES;
  } else if (cpuShares > MAX_CPU_SHARES) {
    warnings.push(`Changing requested CPUShares of ${cpuShares} to maximum allowed of ${MAX_CPU_SHARES}`);
    cpuShares = MAX_CPU_SHARES;
  }
  if (memory > 0 && memorySwap === 0) memorySwap = memory * 2; // swap as large as memory

  // verifyPlatformContainerResources, in dockerd's order.
  if (memory !== 0 && memory < LINUX_MIN_MEMORY) throw new LimitError('Minimum memory limit allowed is 6MB');
  if (memory > 0 && memorySwap !== -1 && !host.swapLimit) {
    warnings.push('Your kernel does not support swap limit capabilities or the cgroup is not mounted. Memory limited without swap.');
    memorySwap = -1;
  }
  if (memory > 0 && memorySwap > 0 && memorySwap < memory) {
    throw new LimitError('Minimum memoryswap limit should be larger than memory limit, see usage');
  }
  if (memory === 0 && memorySwap > 0) {
    throw new LimitError('You should always set the Memory limit when using Memoryswap limit, see usage');
  }
  if (memorySwap < -1) throw new LimitError(`invalid value for memory-swap: ${memorySwap}`);
  // dockerd checks only the upper bound and lets the runtime refuse tiny values; we refuse
  // below 0.01 (1 ms per 100 ms period, the kernel's minimum) with the same message, which
  // names 0.01 anyway, instead of a runc failure at start.
  if (nanoCpus < 0 || nanoCpus > host.cpus * 1e9 || (nanoCpus > 0 && quotaFor(nanoCpus) < MIN_CPU_QUOTA_US)) {
    throw new LimitError(`range of CPUs is from 0.01 to ${host.cpus}.00, as there are only ${host.cpus} CPUs available`);
  }

  const resources: OciLinuxResources = {};
  if (memory > 0) {
    resources.memory = { limit: memory };
    // OCI's swap is memory+swap (v1 memsw semantics); runc subtracts for v2's swap.max.
    if (memorySwap !== 0 && (memorySwap !== -1 || host.swapLimit)) resources.memory.swap = memorySwap;
  } else if (memorySwap === -1 && host.swapLimit) {
    resources.memory = { swap: -1 };
  }
  if (nanoCpus > 0 || cpuShares > 0) {
    resources.cpu = {};
    if (cpuShares > 0) resources.cpu.shares = cpuShares;
    if (nanoCpus > 0) {
      resources.cpu.period = CPU_PERIOD_US;
      resources.cpu.quota = quotaFor(nanoCpus);
    }
  }
  if (opts.pidsLimit !== undefined) {
    // dockerd: 0 and negatives mean unlimited; runc needs -1 to lift an earlier limit.
    resources.pids = { limit: opts.pidsLimit > 0 ? opts.pidsLimit : -1 };
  }
  return { resources, warnings };
}
