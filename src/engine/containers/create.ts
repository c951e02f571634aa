/**
 * `create`: everything decided up front — the image's defaults merged with the user's options,
 * mounts resolved (named volumes created on first use, binds checked), limits validated and
 * converted — then one row and the container's directory. Nothing runs yet.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, statSync, mkdirSync } from 'node:fs';
import { isAbsolute, posix } from 'node:path';
import { MOUNT_PROPAGATIONS, type ContainerCreateOptions, type EndpointExtras, type MountSpec } from '../api.js';
import { conflict, invalid, notFound } from '../errors.js';
import type { ImageStore } from '../image/store.js';
import type { EmbeddedVolumes } from '../volumes/volume-api.js';
import { type CgroupDriver, cgroupsPathFor } from '../../cgroups/paths.js';
import { toOciResources, LimitError, type LimitHost } from '../../cgroups/limits.js';
import { addMoreResources, moreLimitHostFor } from '../../cgroups/more-limits.js';
import { checkHealth, mergeHealth } from './health.js';
import type { CgroupLayout } from '../../cgroups/detect.js';
import { checkPlatform, normalizeExposed, resolveHostOptions } from './host-options.js';
import { checkName, randomName } from './names.js';
import type { ContainerRecords, Container } from './records.js';
import type { ContainerSpec, ResolvedMount } from './spec-types.js';
import { parseSignal } from '../runtime/signals.js';

/** What create needs from the networks layer (absent: only none/host/container: work). */
export interface CreateNetworking {
  planForCreate(
    containerId: string,
    mode: string,
    o: { ip?: string; aliases?: string[]; ports: number; publishAll: boolean; dns: number; extraHosts: number; hostname: boolean },
  ): { mode: string; warnings: string[]; endpoint?: { networkId: string; fixedIp: string; aliases: string[] } };
  /** `settings`: the rest of what the create asked of the endpoint (inspect echoes it). */
  addEndpoint(e: { containerId: string; networkId: string; fixedIp: string; aliases: string[]; settings?: EndpointExtras }): void;
}

export interface CreateDeps {
  networking: CreateNetworking;
  store: ImageStore;
  records: ContainerRecords;
  volumes: EmbeddedVolumes;
  limitHost: () => LimitHost;
  cgroupDriver: () => CgroupDriver;
  cgroups: () => CgroupLayout;
  containerDir: (id: string) => string;
}

function resolveMount(m: MountSpec, volumes: EmbeddedVolumes, fromFlag: 'v' | 'mount'): ResolvedMount {
  if (!m.target || !isAbsolute(m.target)) throw invalid(`invalid mount config: mount path must be absolute: ${m.target || '(empty)'}`);
  const target = posix.normalize(m.target);
  if (target === '/') throw invalid("invalid mount config: destination can't be '/'");
  if (m.propagation !== undefined && !MOUNT_PROPAGATIONS.includes(m.propagation)) throw invalid(`invalid propagation mode: ${String(m.propagation)}`);
  if (m.propagation !== undefined && m.type !== 'bind') throw invalid(`invalid mount config for type "${m.type}": field BindOptions must not be specified`);
  if (m.type === 'tmpfs') return { type: 'tmpfs', source: '', target, readOnly: m.readOnly, options: m.options ?? [] };
  if (m.type === 'bind') {
    if (!isAbsolute(m.source)) throw invalid(`invalid mount config for type "bind": invalid mount path: '${m.source}' mount path must be absolute`);
    if (!existsSync(m.source)) {
      if (fromFlag === 'mount') throw invalid(`invalid mount config for type "bind": bind source path does not exist: ${m.source}`);
      mkdirSync(m.source, { recursive: true }); // docker's -v creates a missing host directory
    }
    return { type: 'bind', source: m.source, target, readOnly: m.readOnly, options: m.options ?? [], ...(m.propagation ? { propagation: m.propagation } : {}) };
  }
  const v = volumes.ensure(m.source || undefined, { anonymous: !m.source });
  return { type: 'volume', source: v.mountpoint, name: v.name, target, readOnly: m.readOnly, options: m.options ?? [] };
}

export function createContainer(deps: CreateDeps, o: ContainerCreateOptions): { container: Container; warnings: string[] } {
  const row = deps.store.resolve(o.image);
  const imageFull = deps.store.config(row.id);
  const image = imageFull.config ?? {};
  const warnings: string[] = [];
  if (o.platform) checkPlatform(o.platform, imageFull, o.image);

  // Command: docker's rules — --entrypoint replaces the image's and drops its CMD.
  const entrypoint = o.entrypoint !== undefined ? (o.entrypoint && o.entrypoint.length ? o.entrypoint : null) : (image.Entrypoint ?? null);
  const cmd = o.cmd && o.cmd.length ? o.cmd : o.entrypoint !== undefined ? null : (image.Cmd ?? null);
  const argv = [...(entrypoint ?? []), ...(cmd ?? [])];
  if (argv.length === 0) throw invalid('no command specified');

  // Environment: image first, user's overriding by key.
  const env = new Map<string, string>();
  for (const e of [...(image.Env ?? []), ...(o.env ?? [])]) {
    const eq = e.indexOf('=');
    if (eq === 0) throw invalid(`invalid environment variable: ${e}`);
    // A bare NAME stays as given, as dockerd keeps it: looking it up is the client's job (the
    // CLI's `-e NAME`); here it would hand an API client the engine's own environment.
    env.set(eq < 0 ? e : e.slice(0, eq), e);
  }
  if (![...env.keys()].includes('PATH')) env.set('PATH', 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin');

  let limits;
  let resources: Record<string, unknown>;
  try {
    limits = toOciResources(
      { memory: o.memory, memorySwap: o.memorySwap, nanoCpus: o.nanoCpus, cpuShares: o.cpuShares, pidsLimit: o.pidsLimit },
      deps.limitHost(),
    );
    warnings.push(...limits.warnings);
    const more = addMoreResources(
      {
        cpusetCpus: o.cpusetCpus,
        cpusetMems: o.cpusetMems,
        cpuPeriod: o.cpuPeriod,
        cpuQuota: o.cpuQuota,
        memoryReservation: o.memoryReservation,
        oomKillDisable: o.oomKillDisable,
        blkioWeight: o.blkioWeight,
        kernelMemory: o.kernelMemory,
        nanoCpus: o.nanoCpus,
        memory: o.memory,
      },
      moreLimitHostFor(deps.cgroups()),
      limits.resources,
    );
    warnings.push(...more.warnings);
    resources = more.resources;
  } catch (e) {
    if (e instanceof LimitError) throw invalid(e.message);
    throw e;
  }
  const healthcheck = mergeHealth(o.healthcheck, image.Healthcheck);
  checkHealth(healthcheck);
  const workdir = o.workdir || image.WorkingDir || '/';
  if (!isAbsolute(workdir)) throw invalid(`the working directory '${workdir}' is invalid, it needs to be an absolute path`);
  if (o.stopSignal) parseSignal(o.stopSignal);
  const restart = o.restartPolicy ?? { name: 'no' as const };
  if (restart.name !== 'no' && o.autoRemove) throw invalid('conflicting options: cannot specify both --restart and --rm');
  const net = o.network ?? 'bridge';
  const exposed = normalizeExposed(o.exposedPorts ?? []);
  // Checked before anything is made (volumes, rows): a refusal leaves nothing behind.
  const { host, warnings: hostWarnings } = resolveHostOptions(o, {
    findContainer: (ref) => deps.records.find(ref),
    cgroupVersion: deps.cgroups().version,
    networkMode: net,
  });
  warnings.push(...hostWarnings);
  const id = randomBytes(32).toString('hex');
  let name: string;
  if (o.name !== undefined) {
    name = checkName(o.name);
  } else {
    name = randomName();
    for (let i = 1; deps.records.nameTaken(name) && i < 20; i++) name = randomName(i);
  }

  return deps.store.db.tx(() => {
    const taken = deps.records.nameTaken(name);
    if (taken)
      throw conflict(
        `Conflict. The container name "/${name}" is already in use by container "${taken}". You have to remove (or rename) that container to be able to reuse that name.`,
      );
    // Mounts (may create named volumes: inside the transaction, so a failure creates none).
    const mounts: ResolvedMount[] = [];
    for (const from of o.volumesFrom ?? []) {
      const [ref, mode] = from.split(':');
      const other = deps.records.find(ref!);
      for (const m of other.spec.mounts) {
        if (m.type === 'tmpfs') continue;
        mounts.push({ ...m, readOnly: mode === 'ro' ? true : mode === 'rw' ? false : m.readOnly });
      }
    }
    for (const m of o.mounts ?? []) {
      const r = resolveMount(m, deps.volumes, m.createHostPath ? 'v' : 'mount');
      const dup = mounts.findIndex((x) => x.target === r.target);
      if (dup >= 0 && !(o.volumesFrom ?? []).length) throw invalid(`Duplicate mount point: ${r.target}`);
      if (dup >= 0) mounts.splice(dup, 1);
      mounts.push(r);
    }
    for (const v of Object.keys(image.Volumes ?? {})) {
      const target = posix.normalize(v);
      if (!mounts.some((m) => m.target === target)) mounts.push(resolveMount({ type: 'volume', source: '', target, readOnly: false }, deps.volumes, 'mount'));
    }
    const plan = deps.networking.planForCreate(id, net, {
      ...(o.ip ? { ip: o.ip } : {}),
      aliases: o.networkAliases ?? [],
      ports: o.ports?.length ?? 0,
      publishAll: !!o.publishAll,
      dns: o.dns?.length ?? 0,
      extraHosts: o.extraHosts?.length ?? 0,
      hostname: o.hostname !== undefined,
    });
    warnings.push(...plan.warnings);
    const mode = plan.mode;
    const spec: ContainerSpec = {
      path: argv[0]!,
      args: argv.slice(1),
      entrypoint,
      cmd,
      env: [...env.values()],
      workdir,
      user: o.user ?? image.User ?? '',
      hostname: o.hostname ?? (mode === 'host' || host.utsMode === 'host' ? '' : id.slice(0, 12)),
      tty: o.tty ?? false,
      openStdin: o.openStdin ?? false,
      autoRemove: o.autoRemove ?? false,
      restartPolicy: { name: restart.name, maximumRetryCount: restart.maximumRetryCount ?? 0 },
      labels: { ...(image.Labels ?? {}), ...(o.labels ?? {}) },
      mounts,
      volumesFrom: o.volumesFrom ?? [],
      limits: {
        memory: o.memory ?? 0,
        memorySwap: o.memorySwap ?? 0,
        nanoCpus: o.nanoCpus ?? 0,
        cpuShares: o.cpuShares ?? 0,
        pidsLimit: o.pidsLimit ?? 0,
        cpusetCpus: o.cpusetCpus ?? '',
        cpusetMems: o.cpusetMems ?? '',
        cpuPeriod: o.cpuPeriod ?? 0,
        cpuQuota: o.cpuQuota ?? 0,
        memoryReservation: o.memoryReservation ?? 0,
        oomKillDisable: !!o.oomKillDisable,
        blkioWeight: o.blkioWeight ?? 0,
        kernelMemory: o.kernelMemory ?? 0,
      },
      resources,
      cgroupsPath: cgroupsPathFor(id, { driver: deps.cgroupDriver() }),
      networkMode: mode,
      ...(o.ip ? { ip: o.ip } : {}),
      networkAliases: o.networkAliases ?? [],
      ports: mode === 'host' ? [] : (o.ports ?? []),
      publishAll: o.publishAll ?? false,
      exposedPorts: [...new Set([...Object.keys(image.ExposedPorts ?? {}), ...exposed])],
      extraHosts: o.extraHosts ?? [],
      dns: o.dns ?? [],
      stopSignal: o.stopSignal ?? image.StopSignal ?? 'SIGTERM',
      stopTimeout: o.stopTimeout ?? 10,
      imageConfig: image,
      host,
      ...(healthcheck ? { healthcheck } : {}),
    };
    const container: Container = {
      id,
      name,
      image_id: row.id,
      image_name: o.image,
      spec,
      created: new Date().toISOString(),
      state: 'created',
      pid: 0,
      conmon_pid: 0,
      exit_code: 0,
      started_at: '',
      finished_at: '',
      error: '',
      restart_count: 0,
      mounted: 0,
    };
    deps.records.insert(container);
    if (plan.endpoint)
      deps.networking.addEndpoint({ containerId: id, ...plan.endpoint, ...(o.endpoint && Object.keys(o.endpoint).length ? { settings: o.endpoint } : {}) });
    for (const m of mounts)
      if (m.type === 'volume')
        deps.store.db.run('INSERT OR REPLACE INTO container_volumes (container_id, volume, target) VALUES (?, ?, ?)', id, m.name!, m.target);
    mkdirSync(deps.containerDir(id), { recursive: true, mode: 0o700 });
    if (statSync(deps.containerDir(id)).isDirectory()) return { container, warnings };
    throw notFound('container directory vanished');
  });
}
