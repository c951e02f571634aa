/**
 * `docker update`: new limits (and restart policy) for a container. They are checked as
 * dockerd checks them (the create checks on the merged limits, plus update's own rules from
 * container_unix.go UpdateContainer, with its messages), applied in place to a running
 * container's cgroup by `runc update` (v1 and v2, cgroupfs and systemd drivers alike, as
 * dockerd does through containerd), and kept in the record for its next start.
 */
import type { ContainerUpdateOptions } from '../api.js';
import { invalid } from '../errors.js';
import { CPU_PERIOD_US, LimitError, MAX_CPU_SHARES, MIN_CPU_SHARES, toOciResources } from '../../cgroups/limits.js';
import { addMoreResources, moreLimitHostFor } from '../../cgroups/more-limits.js';
import type { LimitHost } from '../../cgroups/index.js';
import type { ContainerContext } from './context.js';
import type { Container } from './records.js';
import type { ContainerSpec } from './spec-types.js';
import { containerEvent } from './events.js';

type Limits = ContainerSpec['limits'];

/** dockerd's errCannotUpdate wording around UpdateContainer's refusals. */
function cannotUpdate(c: Container, msg: string) {
  return invalid(`Cannot update container ${c.id}: ${msg}`);
}

/** The limits after the update: docker's merge (a zero or absent value leaves the old one). */
export function mergeLimits(c: Container, o: ContainerUpdateOptions): Limits {
  const cur = c.spec.limits;
  const next: Limits = { ...cur };
  // the swap docker holds for the container: create set it to 2 × memory when it was left out
  const curSwap = cur.memorySwap || (cur.memory > 0 ? cur.memory * 2 : 0);
  if (o.blkioWeight) next.blkioWeight = o.blkioWeight;
  if (o.cpuShares) next.cpuShares = o.cpuShares;
  if (o.nanoCpus) {
    if ((cur.cpuQuota ?? 0) !== 0 || (o.cpuQuota ?? 0) !== 0)
      throw cannotUpdate(c, 'Conflicting options: CPU Quota cannot be updated as NanoCPUs has already been set');
    if ((cur.cpuPeriod ?? 0) !== 0 || (o.cpuPeriod ?? 0) !== 0)
      throw cannotUpdate(c, 'Conflicting options: CPU Period cannot be updated as NanoCPUs has already been set');
    next.nanoCpus = o.nanoCpus;
  }
  if (o.cpuPeriod) {
    if (cur.nanoCpus) throw cannotUpdate(c, 'Conflicting options: CPU Period cannot be updated as NanoCPUs has already been set');
    next.cpuPeriod = o.cpuPeriod;
  }
  if (o.cpuQuota) {
    if (cur.nanoCpus) throw cannotUpdate(c, 'Conflicting options: CPU Quota cannot be updated as NanoCPUs has already been set');
    next.cpuQuota = o.cpuQuota;
  }
  if (o.cpusetCpus) next.cpusetCpus = o.cpusetCpus;
  if (o.cpusetMems) next.cpusetMems = o.cpusetMems;
  if (o.memory) {
    if (o.memory > curSwap && !o.memorySwap) {
      throw cannotUpdate(c, 'Memory limit should be smaller than already set memoryswap limit, update the memoryswap at the same time');
    }
    next.memory = o.memory;
  }
  next.memorySwap = o.memorySwap ? o.memorySwap : curSwap;
  if (o.memoryReservation) next.memoryReservation = o.memoryReservation;
  if (o.pidsLimit !== undefined) next.pidsLimit = o.pidsLimit;
  return next;
}

/**
 * dockerd's checks of an update (verifyPlatformContainerResources with update=true): the
 * request's own values, each against the others given with it — not against the container's
 * current limits (a reservation above the current memory limit passes, as in docker; what the
 * kernel refuses, runc reports). LimitError → docker's message.
 */
export function checkRequest(o: ContainerUpdateOptions, host: LimitHost, ctx: ContainerContext): string[] {
  try {
    const base = toOciResources({ memory: o.memory, ...(o.memory ? { memorySwap: o.memorySwap } : {}), nanoCpus: o.nanoCpus, cpuShares: o.cpuShares }, host);
    const more = addMoreResources(
      {
        cpusetCpus: o.cpusetCpus,
        cpusetMems: o.cpusetMems,
        cpuPeriod: o.cpuPeriod,
        cpuQuota: o.cpuQuota,
        memoryReservation: o.memoryReservation,
        blkioWeight: o.blkioWeight,
        nanoCpus: o.nanoCpus,
        memory: o.memory,
      },
      moreLimitHostFor(ctx.cgroups),
      base.resources,
    );
    return [...base.warnings, ...more.warnings];
  } catch (e) {
    if (e instanceof LimitError) throw invalid(e.message);
    throw e;
  }
}

/** The stored OCI resources with the update's values written over them (OCI names and units). */
export function patchResources(cur: Record<string, unknown>, o: ContainerUpdateOptions): Record<string, unknown> {
  const r: Record<string, unknown> = { ...cur };
  const memory = { ...((cur.memory ?? {}) as Record<string, number>) };
  if (o.memory) memory.limit = o.memory;
  if (o.memorySwap) memory.swap = o.memorySwap;
  if (o.memoryReservation) memory.reservation = o.memoryReservation;
  if (Object.keys(memory).length) r.memory = memory;
  const cpu = { ...((cur.cpu ?? {}) as Record<string, unknown>) };
  if (o.cpuShares) cpu.shares = Math.min(Math.max(o.cpuShares, MIN_CPU_SHARES), MAX_CPU_SHARES);
  if (o.nanoCpus) {
    cpu.period = CPU_PERIOD_US;
    cpu.quota = Math.floor(o.nanoCpus / (1e9 / CPU_PERIOD_US));
  }
  if (o.cpuPeriod) cpu.period = o.cpuPeriod;
  if (o.cpuQuota) cpu.quota = o.cpuQuota;
  if (o.cpusetCpus) cpu.cpus = o.cpusetCpus;
  if (o.cpusetMems) cpu.mems = o.cpusetMems;
  if (Object.keys(cpu).length) r.cpu = cpu;
  if (o.pidsLimit !== undefined) r.pids = { limit: o.pidsLimit > 0 ? o.pidsLimit : -1 };
  if (o.blkioWeight) r.blockIO = { ...((cur.blockIO ?? {}) as object), weight: o.blkioWeight };
  return r;
}

/**
 * What `runc update` gets: only the fields the update names (runc leaves zero fields alone),
 * in the OCI names, so a limit the user did not touch is not rewritten.
 */
export function runcResources(o: ContainerUpdateOptions, r: Record<string, unknown>): Record<string, unknown> {
  const mem = (r.memory ?? {}) as Record<string, number>;
  const cpu = (r.cpu ?? {}) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  const memory: Record<string, number> = {};
  if (o.memory) memory.limit = mem.limit ?? 0;
  if (o.memory || o.memorySwap) if (mem.swap !== undefined) memory.swap = mem.swap;
  if (o.memoryReservation) memory.reservation = mem.reservation ?? 0;
  if (Object.keys(memory).length) out.memory = memory;
  const c: Record<string, unknown> = {};
  if (o.cpuShares) c.shares = cpu.shares;
  if (o.nanoCpus || o.cpuPeriod) c.period = cpu.period;
  if (o.nanoCpus || o.cpuQuota) c.quota = cpu.quota;
  if (o.cpusetCpus) c.cpus = cpu.cpus;
  if (o.cpusetMems) c.mems = cpu.mems;
  if (Object.keys(c).length) out.cpu = c;
  if (o.pidsLimit !== undefined) out.pids = { limit: o.pidsLimit > 0 ? o.pidsLimit : -1 };
  if (o.blkioWeight) out.blockIO = { weight: (r.blockIO as { weight?: number } | undefined)?.weight ?? o.blkioWeight };
  return out;
}

export async function updateContainer(ctx: ContainerContext, c: Container, o: ContainerUpdateOptions, host: LimitHost): Promise<{ warnings: string[] }> {
  if (o.restartPolicy && o.restartPolicy.name !== 'no' && c.spec.autoRemove) {
    throw cannotUpdate(c, 'Restart policy cannot be updated because AutoRemove is enabled for the container');
  }
  const warnings = checkRequest(o, host, ctx);
  const limits = mergeLimits(c, o);
  const resources = patchResources(c.spec.resources, o);
  const spec: ContainerSpec = {
    ...c.spec,
    limits,
    resources,
    ...(o.restartPolicy ? { restartPolicy: { name: o.restartPolicy.name, maximumRetryCount: o.restartPolicy.maximumRetryCount ?? 0 } } : {}),
  };
  if (c.state === 'running' || c.state === 'paused') {
    const live = runcResources(o, resources);
    if (Object.keys(live).length) {
      try {
        await ctx.runc.update(c.id, live);
      } catch (e) {
        throw cannotUpdate(c, (e as Error).message);
      }
    }
  }
  ctx.db.tx(() => {
    ctx.records.setSpec(c.id, spec);
    containerEvent(ctx.db, c, 'update');
  });
  return { warnings };
}
