/**
 * `docker update`: new limits (and restart policy) for a container. They are checked as
 * dockerd checks them (the create checks on the merged limits, plus update's own rules from
 * container_unix.go UpdateContainer, with its messages), applied in place to a running
 * container's cgroup by `runc update` (v1 and v2, cgroupfs and systemd drivers alike, as
 * dockerd does through containerd), and kept in the record for its next start.
 */
import type { ContainerUpdateOptions } from '../api.js';
import { invalid } from '../errors.js';
import { LimitError, toOciResources } from '../../cgroups/limits.js';
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
    if ((cur.cpuQuota ?? 0) !== 0 || (o.cpuQuota ?? 0) !== 0) throw cannotUpdate(c, 'Conflicting options: CPU Quota cannot be updated as NanoCPUs has already been set');
    if ((cur.cpuPeriod ?? 0) !== 0 || (o.cpuPeriod ?? 0) !== 0) throw cannotUpdate(c, 'Conflicting options: CPU Period cannot be updated as NanoCPUs has already been set');
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

/** The OCI resources of `limits`, checked as at create; LimitError → docker's message. */
export function resourcesFor(limits: Limits, host: LimitHost, ctx: ContainerContext): { resources: Record<string, unknown>; warnings: string[] } {
  try {
    const base = toOciResources({ memory: limits.memory, memorySwap: limits.memorySwap, nanoCpus: limits.nanoCpus, cpuShares: limits.cpuShares, pidsLimit: limits.pidsLimit || undefined }, host);
    const more = addMoreResources(
      {
        cpusetCpus: limits.cpusetCpus, cpusetMems: limits.cpusetMems, cpuPeriod: limits.cpuPeriod, cpuQuota: limits.cpuQuota,
        memoryReservation: limits.memoryReservation, blkioWeight: limits.blkioWeight, nanoCpus: limits.nanoCpus, memory: limits.memory,
        ...(limits.oomKillDisable ? { oomKillDisable: true } : {}),
      },
      moreLimitHostFor(ctx.cgroups),
      base.resources,
    );
    return { resources: more.resources, warnings: [...base.warnings, ...more.warnings] };
  } catch (e) {
    if (e instanceof LimitError) throw invalid(e.message);
    throw e;
  }
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
  const limits = mergeLimits(c, o);
  const { resources, warnings } = resourcesFor(limits, host, ctx);
  // the caller's device rules stay (they are not limits)
  const merged = { ...resources, ...(c.spec.resources.devices ? { devices: c.spec.resources.devices } : {}) };
  const spec: ContainerSpec = {
    ...c.spec,
    limits,
    resources: merged,
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
