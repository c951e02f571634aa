/** A container row as the API's summary and docker's inspect document. */
import type { ContainerSummary, DockerContainerInspect, HealthConfig, OciImageConfigBody, PortBinding } from '../api.js';
import { healthText, readHealth, type HealthStatus } from './health.js';
import { etcPaths, type ContainerContext } from './context.js';
import type { Container } from './records.js';
import { humanDuration } from '../human-time.js';
import { logPlan } from '../runtime/log-config.js';
import { MASKED_PATHS, READONLY_PATHS } from '../runtime/defaults.js';

function since(iso: string, now: number): string {
  return humanDuration(Math.max(0, now - Date.parse(iso)));
}

/** docker's Config.Healthcheck (its names; zero durations left out, as Go's omitempty). */
function healthcheckDoc(h: HealthConfig): NonNullable<OciImageConfigBody['Healthcheck']> {
  return {
    ...(h.test ? { Test: h.test } : {}),
    ...(h.interval ? { Interval: h.interval } : {}),
    ...(h.timeout ? { Timeout: h.timeout } : {}),
    ...(h.startPeriod ? { StartPeriod: h.startPeriod } : {}),
    ...(h.retries ? { Retries: h.retries } : {}),
  };
}

/** ps' Status; `health` is the healthcheck's status while it runs ("Up 3 minutes (healthy)"). */
export function statusText(c: Container, now = Date.now(), health?: HealthStatus): string {
  switch (c.state) {
    case 'running':
      return `Up ${since(c.started_at, now)}${health ? ` (${healthText(health)})` : ''}`;
    case 'paused':
      return `Up ${since(c.started_at, now)} (Paused)`;
    case 'exited':
      return `Exited (${c.exit_code}) ${since(c.finished_at, now)} ago`;
    case 'restarting':
      return `Restarting (${c.exit_code}) ${since(c.finished_at, now)} ago`;
    case 'removing':
      return 'Removal In Progress';
    case 'dead':
      return 'Dead';
    default:
      return 'Created';
  }
}

/** The command as docker lists it: path, then the args, those with a space in single quotes. */
export function commandText(c: Container): string {
  return [c.spec.path, ...c.spec.args.map((a) => (a.includes(' ') ? `'${a}'` : a))].join(' ');
}

export function toSummary(c: Container, now = Date.now(), dir?: string): ContainerSummary {
  // the healthcheck's status, while it runs (docker shows none for a stopped container)
  const health = dir && c.spec.healthcheck && c.state === 'running' ? readHealth(dir)?.Status : undefined;
  return {
    id: c.id,
    names: [c.name],
    image: c.image_name,
    imageId: c.image_id,
    command: commandText(c),
    created: c.created,
    state: c.state,
    status: statusText(c, now, health),
    ...(health ? { health } : {}),
    restartCount: c.restart_count,
    ...(c.started_at ? { startedAt: c.started_at } : {}),
    ...(c.finished_at ? { finishedAt: c.finished_at } : {}),
    exitCode: c.exit_code,
    ports: c.spec.ports,
    labels: c.spec.labels,
    networks: [c.spec.networkMode],
    mounts: c.spec.mounts.map((m) => m.name ?? m.source),
  };
}

function portMap(ports: PortBinding[], exposed: string[]): Record<string, { HostIp: string; HostPort: string }[] | null> {
  const out: Record<string, { HostIp: string; HostPort: string }[] | null> = {};
  for (const e of exposed) out[e] = null;
  for (const p of ports) (out[`${p.containerPort}/${p.protocol}`] ??= [])!.push({ HostIp: p.hostIp || '0.0.0.0', HostPort: String(p.hostPort) });
  return out;
}

export function toInspect(
  ctx: ContainerContext,
  c: Container,
  extra: { networks?: DockerContainerInspect['NetworkSettings']['Networks']; sandboxKey?: string; ports?: PortBinding[] } = {},
): DockerContainerInspect {
  const s = c.spec;
  const etc = etcPaths(ctx.dir(c.id));
  const rootfs = ctx.rootfs(c.id);
  const layers = ctx.store.layersOf(c.image_id);
  const nets = extra.networks ?? {};
  const first = Object.values(nets)[0];
  const health = s.healthcheck ? readHealth(ctx.dir(c.id)) : undefined;
  return {
    Id: c.id,
    Created: c.created,
    Path: s.path,
    Args: s.args,
    State: {
      Status: c.state,
      // docker counts a container waiting out its restart delay as running
      Running: c.state === 'running' || c.state === 'paused' || c.state === 'restarting',
      Paused: c.state === 'paused',
      Restarting: c.state === 'restarting',
      OOMKilled: false,
      Dead: c.state === 'dead',
      Pid: c.pid,
      ExitCode: c.exit_code,
      Error: c.error,
      StartedAt: c.started_at || '0001-01-01T00:00:00Z',
      FinishedAt: c.finished_at || '0001-01-01T00:00:00Z',
      ...(health ? { Health: health } : {}),
    },
    Image: c.image_id,
    ResolvConfPath: etc.resolv,
    HostnamePath: etc.hostname,
    HostsPath: etc.hosts,
    LogPath: logPlan(s.host.logConfig, ctx.dir(c.id), c.id).path,
    Name: `/${c.name}`,
    RestartCount: c.restart_count,
    Driver: 'overlay',
    Platform: 'linux',
    HostConfig: hostConfig(c),
    GraphDriver: {
      Name: 'overlay',
      Data: {
        LowerDir: layers
          .map((d) => ctx.store.diffDir(d))
          .reverse()
          .join(':'),
        UpperDir: rootfs.upper,
        WorkDir: rootfs.work,
        MergedDir: rootfs.merged,
      },
    },
    Mounts: s.mounts.map((m) => ({
      Type: m.type,
      ...(m.name ? { Name: m.name, Driver: 'local' } : {}),
      Source: m.source,
      Destination: m.target,
      Mode: m.readOnly ? 'ro' : m.type === 'volume' ? 'z' : '',
      RW: !m.readOnly,
      Propagation: m.type === 'bind' ? (m.propagation ?? 'rprivate') : '',
    })),
    Config: {
      ...s.imageConfig,
      ...(s.healthcheck ? { Healthcheck: healthcheckDoc(s.healthcheck) } : {}),
      Hostname: s.hostname,
      User: s.user,
      Env: s.env,
      Cmd: s.cmd,
      Entrypoint: s.entrypoint,
      WorkingDir: s.workdir === '/' && !s.imageConfig.WorkingDir ? '' : s.workdir,
      Labels: s.labels,
      Tty: s.tty,
      OpenStdin: s.openStdin,
      StopSignal: s.stopSignal,
      // docker shows it only when given; 10 s is its default
      ...(s.stopTimeout !== 10 ? { StopTimeout: s.stopTimeout } : {}),
      Image: c.image_name,
      ExposedPorts: Object.fromEntries(s.exposedPorts.map((p) => [p, {}])),
      Domainname: s.host.domainname,
      ...(s.host.macAddress ? { MacAddress: s.host.macAddress } : {}),
    },
    NetworkSettings: {
      Ports: portMap(extra.ports ?? [], s.exposedPorts),
      SandboxKey: extra.sandboxKey ?? '',
      IPAddress: first?.IPAddress ?? '',
      Gateway: first?.Gateway ?? '',
      MacAddress: first?.MacAddress ?? '',
      Networks: nets,
    },
  };
}

/** docker's HostConfig, field for field where berth has the option (docker's defaults elsewhere). */
function hostConfig(c: Container): Record<string, unknown> {
  const s = c.spec;
  const h = s.host;
  const l = s.limits;
  const orNull = <T>(a: T[]) => (a.length ? a : null);
  return {
    Binds: s.mounts.filter((m) => m.type !== 'tmpfs').map((m) => `${m.name ?? m.source}:${m.target}${bindMode(m)}`),
    // --tmpfs and --mount type=tmpfs are kept alike: both show here, as --tmpfs's do in docker
    ...(s.mounts.some((m) => m.type === 'tmpfs')
      ? { Tmpfs: Object.fromEntries(s.mounts.filter((m) => m.type === 'tmpfs').map((m) => [m.target, (m.options ?? []).join(',')])) }
      : {}),
    ContainerIDFile: '',
    LogConfig: { Type: h.logConfig.type, Config: h.logConfig.config },
    NetworkMode: s.networkMode,
    PortBindings: Object.fromEntries(Object.entries(portMap(s.ports, [])).map(([k, v]) => [k, v])),
    RestartPolicy: { Name: s.restartPolicy.name, MaximumRetryCount: s.restartPolicy.maximumRetryCount },
    AutoRemove: s.autoRemove,
    VolumeDriver: '',
    VolumesFrom: s.volumesFrom.length ? s.volumesFrom : null,
    CapAdd: orNull(h.capAdd),
    CapDrop: orNull(h.capDrop),
    CgroupnsMode: h.cgroupnsMode,
    Dns: s.dns,
    DnsOptions: h.dnsOptions,
    DnsSearch: h.dnsSearch,
    ExtraHosts: s.extraHosts.length ? s.extraHosts : null,
    GroupAdd: orNull(h.groupAdd),
    IpcMode: h.ipcMode,
    Cgroup: '',
    Links: null,
    OomScoreAdj: 0,
    PidMode: h.pidMode,
    Privileged: h.privileged,
    PublishAllPorts: s.publishAll,
    ReadonlyRootfs: h.readOnly,
    SecurityOpt: orNull(h.securityOpt),
    UTSMode: h.utsMode,
    UsernsMode: h.usernsMode,
    ShmSize: h.shmSize,
    ...(Object.keys(h.sysctls).length ? { Sysctls: h.sysctls } : {}),
    Runtime: 'runc',
    Isolation: '',
    CpuShares: l.cpuShares,
    Memory: l.memory,
    NanoCpus: l.nanoCpus,
    // cgroupfs "/berth/<id>" → "/berth"; systemd "machine.slice:berth:<id>" → "machine.slice"
    CgroupParent: s.cgroupsPath.includes(':') ? s.cgroupsPath.split(':')[0]! : s.cgroupsPath.replace(/\/[^/]+$/, ''),
    BlkioWeight: l.blkioWeight ?? 0,
    CpuPeriod: l.cpuPeriod ?? 0,
    CpuQuota: l.cpuQuota ?? 0,
    CpusetCpus: l.cpusetCpus ?? '',
    CpusetMems: l.cpusetMems ?? '',
    Devices: h.devices.map((d) => ({ PathOnHost: d.pathOnHost, PathInContainer: d.pathInContainer, CgroupPermissions: d.cgroupPermissions })),
    KernelMemory: l.kernelMemory ?? 0,
    MemoryReservation: l.memoryReservation ?? 0,
    MemorySwap: l.memorySwap,
    OomKillDisable: l.oomKillDisable ?? false,
    PidsLimit: l.pidsLimit || null,
    Ulimits: h.ulimits.map((u) => ({ Name: u.name, Hard: u.hard, Soft: u.soft })),
    MaskedPaths: h.privileged ? null : [...MASKED_PATHS],
    ReadonlyPaths: h.privileged ? null : [...READONLY_PATHS],
    ...(h.init ? { Init: true } : {}),
  };
}

/** A Binds entry's mode, as docker writes it back: ":ro", ":rshared", ":ro,rslave" or nothing. */
function bindMode(m: { readOnly: boolean; propagation?: string }): string {
  const modes = [...(m.readOnly ? ['ro'] : []), ...(m.propagation ? [m.propagation] : [])];
  return modes.length ? `:${modes.join(',')}` : '';
}
