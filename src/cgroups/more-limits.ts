/**
 * The rest of docker's resource options (--cpuset-cpus/-mems, --cpu-period/--cpu-quota,
 * --memory-reservation, --oom-kill-disable, --blkio-weight, --kernel-memory) → OCI
 * `linux.resources`, checked as dockerd checks them (daemon_unix.go,
 * verifyPlatformContainerResources), with its messages and its warnings for what the host's
 * cgroups cannot do.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CgroupLayout } from './detect.js';
import { LimitError, LINUX_MIN_MEMORY, type OciLinuxResources } from './limits.js';

export interface MoreResourceOptions {
  cpusetCpus?: string;
  cpusetMems?: string;
  cpuPeriod?: number;
  cpuQuota?: number;
  memoryReservation?: number;
  oomKillDisable?: boolean;
  blkioWeight?: number;
  kernelMemory?: number;
  /** Already given (they conflict with period/quota, or qualify a warning). */
  nanoCpus?: number;
  memory?: number;
}

/** What this host's cgroups offer for them. */
export interface MoreLimitHost {
  /** cpuset of the cgroup root ("0-1"), '' when the controller is missing. */
  cpus: string;
  mems: string;
  cpuset: boolean;
  cfs: boolean;
  memoryReservation: boolean;
  oomKillDisable: boolean;
  blkioWeight: boolean;
  kernelMemory: boolean;
}

const read = (p: string) => {
  try {
    return readFileSync(p, 'utf8').trim();
  } catch {
    return '';
  }
};

export function moreLimitHostFor(layout: CgroupLayout): MoreLimitHost {
  if (layout.version === 2) {
    const has = (c: string) => layout.controllers.includes(c);
    return {
      cpus: read(join(layout.root, 'cpuset.cpus.effective')),
      mems: read(join(layout.root, 'cpuset.mems.effective')),
      cpuset: has('cpuset'),
      cfs: has('cpu'),
      memoryReservation: has('memory'),
      oomKillDisable: false, // cgroup v2 has no OOM-killer switch
      // io.weight exists only below the root, where the io controller is enabled
      blkioWeight: has('io'),
      kernelMemory: false,
    };
  }
  const m = (c: string) => layout.v1Mounts[c];
  const cpuset = m('cpuset');
  const cpu = m('cpu');
  const mem = m('memory');
  const blkio = m('blkio');
  return {
    cpus: cpuset ? read(join(cpuset, 'cpuset.cpus')) : '',
    mems: cpuset ? read(join(cpuset, 'cpuset.mems')) : '',
    cpuset: !!cpuset,
    cfs: !!cpu && existsSync(join(cpu, 'cpu.cfs_quota_us')),
    memoryReservation: !!mem && existsSync(join(mem, 'memory.soft_limit_in_bytes')),
    oomKillDisable: !!mem && existsSync(join(mem, 'memory.oom_control')),
    // docker's sysinfo looks for blkio.weight (runc also takes blkio.bfq.weight): many kernels
    // with the BFQ scheduler have neither at the root
    blkioWeight: !!blkio && (existsSync(join(blkio, 'blkio.weight')) || existsSync(join(blkio, 'blkio.bfq.weight'))),
    kernelMemory: !!mem && existsSync(join(mem, 'memory.kmem.limit_in_bytes')),
  };
}

/** docker's ParseUintList: "0-3,5" → the set; undefined when malformed. */
export function parseCpuList(s: string): Set<number> | undefined {
  const out = new Set<number>();
  if (s === '') return out;
  for (const part of s.split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) return undefined;
    const a = Number(m[1]);
    const b = m[2] !== undefined ? Number(m[2]) : a;
    if (b < a || b - a > 1 << 16) return undefined;
    for (let i = a; i <= b; i++) out.add(i);
  }
  return out;
}

function checkSet(requested: string, available: string, what: 'cpus' | 'mems'): void {
  const want = parseCpuList(requested);
  if (!want) throw new LimitError(`Invalid value ${requested} for cpuset ${what}: invalid format: ${requested}`);
  const have = parseCpuList(available) ?? new Set<number>();
  if ([...want].some((c) => !have.has(c))) {
    throw new LimitError(
      what === 'cpus'
        ? `Requested CPUs are not available - requested ${requested}, available: ${available}`
        : `Requested memory nodes are not available - requested ${requested}, available: ${available}`,
    );
  }
}

/**
 * Validates the options as dockerd does, in its order, and adds them to `base` (the resources
 * toOciResources made). Returns docker's warnings; throws LimitError with its messages.
 */
export function addMoreResources(
  o: MoreResourceOptions,
  host: MoreLimitHost,
  base: OciLinuxResources,
): { resources: Record<string, unknown>; warnings: string[] } {
  const warnings: string[] = [];
  for (const [k, v] of Object.entries({
    cpuPeriod: o.cpuPeriod,
    cpuQuota: o.cpuQuota,
    memoryReservation: o.memoryReservation,
    blkioWeight: o.blkioWeight,
    kernelMemory: o.kernelMemory,
  })) {
    if (v !== undefined && !Number.isSafeInteger(v)) throw new LimitError(`invalid value for ${k}: ${v}`);
  }
  let reservation = o.memoryReservation ?? 0;
  let kernel = o.kernelMemory ?? 0;
  let oomKillDisable = o.oomKillDisable;
  let period = o.cpuPeriod ?? 0;
  let quota = o.cpuQuota ?? 0;
  let cpus = o.cpusetCpus ?? '';
  let mems = o.cpusetMems ?? '';
  let weight = o.blkioWeight ?? 0;

  if (reservation > 0 && !host.memoryReservation) {
    warnings.push('Your kernel does not support memory soft limit capabilities or the cgroup is not mounted. Limitation discarded.');
    reservation = 0;
  }
  if (reservation > 0 && reservation < LINUX_MIN_MEMORY) throw new LimitError('Minimum memory reservation allowed is 6MB');
  if ((o.memory ?? 0) > 0 && reservation > 0 && (o.memory ?? 0) < reservation) {
    throw new LimitError('Minimum memory limit can not be less than memory reservation limit, see usage');
  }
  if (kernel > 0) warnings.push('Specifying a kernel memory limit is deprecated and will be removed in a future release.');
  if (kernel > 0 && !host.kernelMemory) {
    warnings.push('Your kernel does not support kernel memory limit capabilities or the cgroup is not mounted. Limitation discarded.');
    kernel = 0;
  }
  if (kernel > 0 && kernel < LINUX_MIN_MEMORY) throw new LimitError('Minimum kernel memory limit allowed is 6MB');
  if (oomKillDisable !== undefined && !host.oomKillDisable) {
    if (oomKillDisable) warnings.push('Your kernel does not support OomKillDisable. OomKillDisable discarded.');
    oomKillDisable = undefined;
  }
  if (oomKillDisable && !(o.memory ?? 0)) {
    warnings.push('OOM killer is disabled for the container, but no memory limit is set, this can result in the system running out of resources.');
  }
  if ((o.nanoCpus ?? 0) > 0 && period > 0) throw new LimitError('Conflicting options: Nano CPUs and CPU Period cannot both be set');
  if ((o.nanoCpus ?? 0) > 0 && quota > 0) throw new LimitError('Conflicting options: Nano CPUs and CPU Quota cannot both be set');
  if ((period !== 0 || quota !== 0) && !host.cfs) {
    warnings.push('Your kernel does not support CPU CFS scheduler. CPU period/quota discarded.');
    period = 0;
    quota = 0;
  }
  if (period !== 0 && (period < 1000 || period > 1_000_000))
    throw new LimitError('CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)');
  if (quota > 0 && quota < 1000) throw new LimitError('CPU cfs quota can not be less than 1ms (i.e. 1000)');
  if ((cpus !== '' || mems !== '') && !host.cpuset) {
    warnings.push('Your kernel does not support cpuset or the cgroup is not mounted. Cpuset discarded.');
    cpus = '';
    mems = '';
  }
  if (cpus !== '') checkSet(cpus, host.cpus, 'cpus');
  if (mems !== '') checkSet(mems, host.mems, 'mems');
  if (weight > 0 && !host.blkioWeight) {
    warnings.push('Your kernel does not support Block I/O weight or the cgroup is not mounted. Weight discarded.');
    weight = 0;
  }
  if (weight > 0 && (weight < 10 || weight > 1000)) throw new LimitError('Range of blkio weight is from 10 to 1000');

  const r: Record<string, unknown> = { ...base };
  const cpu: Record<string, unknown> = { ...(base.cpu ?? {}) };
  if (period) cpu.period = period;
  if (quota) cpu.quota = quota;
  if (cpus) cpu.cpus = cpus;
  if (mems) cpu.mems = mems;
  if (Object.keys(cpu).length) r.cpu = cpu;
  const memory: Record<string, unknown> = { ...(base.memory ?? {}) };
  if (reservation) memory.reservation = reservation;
  // runc 1.1 ignores kernel memory (the kernel deprecated it): docker 20.10's result, a warning
  if (oomKillDisable) memory.disableOOMKiller = true;
  if (Object.keys(memory).length) r.memory = memory;
  if (weight) r.blockIO = { weight };
  return { resources: r, warnings };
}
