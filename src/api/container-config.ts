/**
 * docker's create body (Config + HostConfig + NetworkingConfig, as docker's CLI, docker-py and
 * compose send it) → the engine's ContainerCreateOptions, the types checked once here: a field
 * of the wrong type is docker's 400; null, absent and docker's zero values mean "unset". The
 * string forms (-v's Binds, Tmpfs options) go through the CLI's own parsers, so a bind means
 * the same through the socket as on berth's command line.
 */
import {
  MOUNT_PROPAGATIONS,
  type ContainerCreateOptions,
  type ContainerUpdateOptions,
  type HealthConfig,
  type MountPropagation,
  type MountSpec,
  type PortBinding,
} from '../engine/api.js';
import { parseVolumeFlag } from '../cli/flags/mounts.js';
import { badRequest } from './errors.js';
import { endpointRequestOf } from './endpoint-config.js';

type Json = Record<string, unknown>;

/** Typed readers: `where` names the field for docker's "cannot unmarshal" style message. */
function typeError(where: string, want: string, v: unknown): Error {
  const got = Array.isArray(v) ? 'array' : typeof v === 'object' ? 'object' : typeof v;
  return badRequest(`json: cannot unmarshal ${got} into Go struct field ${where} of type ${want}`);
}
const absent = (v: unknown) => v === undefined || v === null;
export function objOf(v: unknown, where: string): Json | undefined {
  if (absent(v)) return undefined;
  if (typeof v === 'object' && !Array.isArray(v)) return v as Json;
  throw typeError(where, 'object', v);
}
function strOf(v: unknown, where: string): string | undefined {
  if (absent(v)) return undefined;
  if (typeof v === 'string') return v;
  throw typeError(where, 'string', v);
}
function numOf(v: unknown, where: string): number | undefined {
  if (absent(v)) return undefined;
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  throw typeError(where, 'int64', v);
}
function boolOf(v: unknown, where: string): boolean | undefined {
  if (absent(v)) return undefined;
  if (typeof v === 'boolean') return v;
  throw typeError(where, 'bool', v);
}
function strsOf(v: unknown, where: string): string[] | undefined {
  if (absent(v)) return undefined;
  // docker's strslice: a lone string is a one-element list (Cmd: "echo hi" → ["echo hi"])
  if (typeof v === 'string') return [v];
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
  throw typeError(where, '[]string', v);
}
function strMapOf(v: unknown, where: string): Record<string, string> | undefined {
  const o = objOf(v, where);
  if (!o) return undefined;
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(o)) {
    if (typeof x !== 'string') throw typeError(`${where}.${k}`, 'string', x);
    out[k] = x;
  }
  return out;
}
function listOf(v: unknown, where: string): Json[] {
  if (absent(v)) return [];
  if (!Array.isArray(v)) throw typeError(where, 'array', v);
  return v.map((x, i) => objOf(x, `${where}[${i}]`) ?? {});
}
/** A positive number, else unset (docker's 0 = no limit). */
const positive = (n: number | undefined) => (n !== undefined && n > 0 ? n : undefined);

function set<K extends keyof ContainerCreateOptions>(o: ContainerCreateOptions, k: K, v: ContainerCreateOptions[K] | undefined): void {
  if (v === undefined || (Array.isArray(v) && v.length === 0)) return;
  o[k] = v;
}

function restartPolicyOf(v: unknown): ContainerCreateOptions['restartPolicy'] {
  const rp = objOf(v, 'HostConfig.RestartPolicy');
  if (!rp) return undefined;
  const name = strOf(rp.Name, 'RestartPolicy.Name') ?? '';
  const max = numOf(rp.MaximumRetryCount, 'RestartPolicy.MaximumRetryCount') ?? 0;
  if (name === '' || name === 'no') return { name: 'no' };
  if (name !== 'always' && name !== 'unless-stopped' && name !== 'on-failure') throw badRequest(`invalid restart policy '${name}'`);
  if (max < 0) throw badRequest('invalid restart policy: maximum retry count cannot be negative');
  if (max > 0 && name !== 'on-failure') throw badRequest(`invalid restart policy: maximum retry count can only be used with 'on-failure'`);
  return { name, ...(max ? { maximumRetryCount: max } : {}) };
}

function healthOf(v: unknown): HealthConfig | undefined {
  const h = objOf(v, 'Config.Healthcheck');
  if (!h) return undefined;
  const out: HealthConfig = {};
  const test = strsOf(h.Test, 'Healthcheck.Test');
  if (test?.length) out.test = test;
  for (const [k, f] of [
    ['Interval', 'interval'],
    ['Timeout', 'timeout'],
    ['StartPeriod', 'startPeriod'],
    ['Retries', 'retries'],
  ] as const) {
    const n = numOf(h[k], `Healthcheck.${k}`);
    if (n !== undefined && n < 0) throw badRequest(`${k} in Healthcheck cannot be negative`);
    if (n) out[f] = n;
  }
  return out;
}

function portsOf(v: unknown): PortBinding[] {
  const pb = objOf(v, 'HostConfig.PortBindings');
  if (!pb) return [];
  const out: PortBinding[] = [];
  for (const [key, list] of Object.entries(pb)) {
    const m = /^(\d+)(?:-(\d+))?(?:\/(tcp|udp|sctp))?$/.exec(key);
    if (!m) throw badRequest(`invalid port specification: "${key}"`);
    if (m[3] === 'sctp') throw badRequest('sctp ports are not supported');
    for (const [i, b] of listOf(list, `PortBindings[${key}]`).entries()) {
      const hostPortRaw = strOf(b.HostPort, `PortBindings[${key}][${i}].HostPort`) ?? '';
      const hostPort = hostPortRaw === '' ? 0 : Number(hostPortRaw.split('-')[0]);
      if (!Number.isInteger(hostPort) || hostPort < 0 || hostPort > 65535) throw badRequest(`invalid port specification: "${hostPortRaw}"`);
      const hostIp = strOf(b.HostIp, 'HostIp') ?? '';
      out.push({ hostIp: hostIp === '0.0.0.0' ? '' : hostIp, hostPort, containerPort: Number(m[1]), protocol: (m[3] ?? 'tcp') as 'tcp' | 'udp' });
    }
  }
  return out;
}

function mountsOf(host: Json, config: Json): MountSpec[] {
  const out: MountSpec[] = [];
  for (const b of strsOf(host.Binds, 'HostConfig.Binds') ?? []) {
    try {
      out.push(parseVolumeFlag(b));
    } catch (e) {
      throw badRequest(`invalid volume specification: '${b}': ${(e as Error).message}`);
    }
  }
  for (const [i, m] of listOf(host.Mounts, 'HostConfig.Mounts').entries()) {
    const w = `HostConfig.Mounts[${i}]`;
    const type = strOf(m.Type, `${w}.Type`) ?? 'volume';
    const target = strOf(m.Target, `${w}.Target`) ?? '';
    if (!target) throw badRequest('invalid mount config: Target must not be empty');
    if (type !== 'bind' && type !== 'volume' && type !== 'tmpfs') throw badRequest(`invalid mount config for type "${type}": mount type unknown`);
    const readOnly = boolOf(m.ReadOnly, `${w}.ReadOnly`) ?? false;
    const options: string[] = [];
    if (type === 'tmpfs') {
      const t = objOf(m.TmpfsOptions, `${w}.TmpfsOptions`);
      const size = numOf(t?.SizeBytes, 'TmpfsOptions.SizeBytes');
      const mode = numOf(t?.Mode, 'TmpfsOptions.Mode');
      if (size) options.push(`size=${size}`);
      if (mode) options.push(`mode=${mode.toString(8)}`);
    }
    const source = strOf(m.Source, `${w}.Source`) ?? '';
    if (type === 'bind' && !source) throw badRequest('invalid mount config for type "bind": field Source must not be empty');
    const bindOptions = objOf(m.BindOptions, `${w}.BindOptions`);
    if (bindOptions && type !== 'bind') throw badRequest(`invalid mount config for type "${type}": field BindOptions must not be specified`);
    const pg = strOf(bindOptions?.Propagation, `${w}.BindOptions.Propagation`) || undefined;
    if (pg !== undefined && !MOUNT_PROPAGATIONS.includes(pg as MountPropagation)) throw badRequest(`invalid propagation mode: ${pg}`);
    out.push({
      type,
      source: type === 'tmpfs' ? '' : source,
      target,
      readOnly,
      ...(options.length ? { options } : {}),
      ...(pg ? { propagation: pg as MountPropagation } : {}),
    });
  }
  for (const [target, opts] of Object.entries(strMapOf(host.Tmpfs, 'HostConfig.Tmpfs') ?? {}))
    out.push({ type: 'tmpfs', source: '', target, readOnly: false, ...(opts ? { options: opts.split(',') } : {}) });
  // Config.Volumes: anonymous volumes (compose and docker-py send these), unless mounted already.
  for (const target of Object.keys(objOf(config.Volumes, 'Config.Volumes') ?? {}))
    if (!out.some((m) => m.target === target)) out.push({ type: 'volume', source: '', target, readOnly: false });
  return out;
}

/** The options of HostConfig that `update` shares with create (docker's units). */
export function resourcesOf(h: Json): ContainerUpdateOptions {
  const r: ContainerUpdateOptions = {};
  const n = (k: string) => numOf(h[k], `HostConfig.${k}`);
  const put = <K extends keyof ContainerUpdateOptions>(k: K, v: ContainerUpdateOptions[K] | undefined) => {
    if (v !== undefined) r[k] = v;
  };
  put('memory', positive(n('Memory')));
  const swap = n('MemorySwap');
  put('memorySwap', swap === -1 ? -1 : positive(swap));
  put('memoryReservation', positive(n('MemoryReservation')));
  put('nanoCpus', positive(n('NanoCpus')));
  put('cpuShares', positive(n('CpuShares')));
  put('cpuPeriod', positive(n('CpuPeriod')));
  put('cpuQuota', positive(n('CpuQuota')));
  put('cpusetCpus', strOf(h.CpusetCpus, 'HostConfig.CpusetCpus') || undefined);
  put('cpusetMems', strOf(h.CpusetMems, 'HostConfig.CpusetMems') || undefined);
  put('pidsLimit', positive(n('PidsLimit')));
  put('blkioWeight', positive(n('BlkioWeight')));
  return r;
}

/**
 * HostConfig fields berth does not implement: unset, or docker's zero for them, passes; any other
 * value is refused, so a client never gets a container that silently lacks what it asked for.
 * (Links are let through: on a user network, compose's service names already resolve as aliases.)
 */
const UNSUPPORTED_HOST_CONFIG: [string, (v: unknown) => boolean][] = [
  ['OomScoreAdj', (v) => v === 0],
  ['MemorySwappiness', (v) => v === -1],
  ['CgroupParent', (v) => v === ''],
  ['Cgroup', (v) => v === ''],
  ['Runtime', (v) => v === '' || v === 'runc'],
  ['Isolation', (v) => v === '' || v === 'default'],
  ['VolumeDriver', (v) => v === '' || v === 'local'],
  ['CpuRealtimePeriod', (v) => v === 0],
  ['CpuRealtimeRuntime', (v) => v === 0],
  ['CpuCount', (v) => v === 0],
  ['CpuPercent', (v) => v === 0],
  ['IOMaximumBandwidth', (v) => v === 0],
  ['IOMaximumIOps', (v) => v === 0],
  ['DeviceCgroupRules', (v) => Array.isArray(v) && v.length === 0],
  ['DeviceRequests', (v) => Array.isArray(v) && v.length === 0],
  ['BlkioWeightDevice', (v) => Array.isArray(v) && v.length === 0],
  ['BlkioDeviceReadBps', (v) => Array.isArray(v) && v.length === 0],
  ['BlkioDeviceWriteBps', (v) => Array.isArray(v) && v.length === 0],
  ['BlkioDeviceReadIOps', (v) => Array.isArray(v) && v.length === 0],
  ['BlkioDeviceWriteIOps', (v) => Array.isArray(v) && v.length === 0],
  ['StorageOpt', (v) => typeof v === 'object' && v !== null && Object.keys(v).length === 0],
];

function refuseUnsupported(h: Json): void {
  for (const [k, isZero] of UNSUPPORTED_HOST_CONFIG)
    if (!absent(h[k]) && !isZero(h[k])) throw badRequest(`berth does not support HostConfig.${k} (got ${JSON.stringify(h[k])})`);
}

/** The body of POST /containers/create (and its `name`, `platform` query values). */
export function createOptionsOf(body: unknown, query: { name?: string; platform?: string }): ContainerCreateOptions {
  const c = objOf(body, 'body');
  if (!c || Object.keys(c).length === 0) throw badRequest('config cannot be empty in order to create a container');
  const h = objOf(c.HostConfig, 'HostConfig') ?? {};
  const image = strOf(c.Image, 'Config.Image') ?? '';
  if (!image) throw badRequest('Config.Image must name an image');
  refuseUnsupported(h);
  const o: ContainerCreateOptions = { image };
  if (query.name) o.name = query.name.replace(/^\//, '');
  if (query.platform) o.platform = query.platform;
  set(o, 'cmd', strsOf(c.Cmd, 'Config.Cmd'));
  const ep = strsOf(c.Entrypoint, 'Config.Entrypoint');
  // [""] or [] is docker's "no entrypoint" (--entrypoint ''), absent keeps the image's.
  if (ep !== undefined) o.entrypoint = ep.length === 0 || (ep.length === 1 && ep[0] === '') ? [] : ep;
  set(o, 'env', strsOf(c.Env, 'Config.Env'));
  set(o, 'workdir', strOf(c.WorkingDir, 'Config.WorkingDir') || undefined);
  set(o, 'user', strOf(c.User, 'Config.User') || undefined);
  set(o, 'hostname', strOf(c.Hostname, 'Config.Hostname') || undefined);
  set(o, 'domainname', strOf(c.Domainname, 'Config.Domainname') || undefined);
  set(o, 'tty', boolOf(c.Tty, 'Config.Tty'));
  set(o, 'openStdin', boolOf(c.OpenStdin, 'Config.OpenStdin'));
  set(o, 'labels', strMapOf(c.Labels, 'Config.Labels'));
  set(o, 'stopSignal', strOf(c.StopSignal, 'Config.StopSignal') || undefined);
  set(o, 'stopTimeout', numOf(c.StopTimeout, 'Config.StopTimeout'));
  set(o, 'healthcheck', healthOf(c.Healthcheck));
  set(o, 'macAddress', strOf(c.MacAddress, 'Config.MacAddress') || undefined);
  const exposed = Object.keys(objOf(c.ExposedPorts, 'Config.ExposedPorts') ?? {});
  set(o, 'exposedPorts', exposed);

  set(o, 'autoRemove', boolOf(h.AutoRemove, 'HostConfig.AutoRemove'));
  set(o, 'restartPolicy', restartPolicyOf(h.RestartPolicy));
  set(o, 'mounts', mountsOf(h, c));
  set(o, 'volumesFrom', strsOf(h.VolumesFrom, 'HostConfig.VolumesFrom'));
  const res = resourcesOf(h);
  set(o, 'memory', res.memory);
  set(o, 'memorySwap', res.memorySwap);
  set(o, 'memoryReservation', res.memoryReservation);
  set(o, 'nanoCpus', res.nanoCpus);
  set(o, 'cpuShares', res.cpuShares);
  set(o, 'cpuPeriod', res.cpuPeriod);
  set(o, 'cpuQuota', res.cpuQuota);
  set(o, 'cpusetCpus', res.cpusetCpus);
  set(o, 'cpusetMems', res.cpusetMems);
  set(o, 'pidsLimit', res.pidsLimit);
  set(o, 'blkioWeight', res.blkioWeight);
  if (res.nanoCpus && (res.cpuPeriod || res.cpuQuota)) throw badRequest('Conflicting options: Nano CPUs and CPU Period cannot both be set');
  set(o, 'ports', portsOf(h.PortBindings));
  set(o, 'publishAll', boolOf(h.PublishAllPorts, 'HostConfig.PublishAllPorts'));
  set(o, 'extraHosts', strsOf(h.ExtraHosts, 'HostConfig.ExtraHosts'));
  set(o, 'dns', strsOf(h.Dns, 'HostConfig.Dns'));
  set(o, 'dnsSearch', strsOf(h.DnsSearch, 'HostConfig.DnsSearch'));
  set(o, 'dnsOptions', strsOf(h.DnsOptions, 'HostConfig.DnsOptions'));
  set(o, 'privileged', boolOf(h.Privileged, 'HostConfig.Privileged') || undefined);
  set(o, 'capAdd', strsOf(h.CapAdd, 'HostConfig.CapAdd'));
  set(o, 'capDrop', strsOf(h.CapDrop, 'HostConfig.CapDrop'));
  set(o, 'securityOpt', strsOf(h.SecurityOpt, 'HostConfig.SecurityOpt'));
  set(o, 'groupAdd', strsOf(h.GroupAdd, 'HostConfig.GroupAdd'));
  set(o, 'readOnly', boolOf(h.ReadonlyRootfs, 'HostConfig.ReadonlyRootfs') || undefined);
  set(
    o,
    'devices',
    listOf(h.Devices, 'HostConfig.Devices').map((d, i) => {
      const pathOnHost = strOf(d.PathOnHost, `Devices[${i}].PathOnHost`) ?? '';
      if (!pathOnHost) throw badRequest('invalid device mapping: PathOnHost must not be empty');
      const inCtr = strOf(d.PathInContainer, `Devices[${i}].PathInContainer`);
      const perms = strOf(d.CgroupPermissions, `Devices[${i}].CgroupPermissions`);
      return { pathOnHost, ...(inCtr ? { pathInContainer: inCtr } : {}), ...(perms ? { cgroupPermissions: perms } : {}) };
    }),
  );
  set(
    o,
    'ulimits',
    listOf(h.Ulimits, 'HostConfig.Ulimits').map((u, i) => ({
      name: strOf(u.Name, `Ulimits[${i}].Name`) ?? '',
      soft: numOf(u.Soft, `Ulimits[${i}].Soft`) ?? 0,
      hard: numOf(u.Hard, `Ulimits[${i}].Hard`) ?? 0,
    })),
  );
  set(o, 'shmSize', positive(numOf(h.ShmSize, 'HostConfig.ShmSize')));
  const sysctls = strMapOf(h.Sysctls, 'HostConfig.Sysctls');
  if (sysctls && Object.keys(sysctls).length) o.sysctls = sysctls;
  set(o, 'oomKillDisable', boolOf(h.OomKillDisable, 'HostConfig.OomKillDisable') || undefined);
  set(o, 'kernelMemory', positive(numOf(h.KernelMemory, 'HostConfig.KernelMemory')));
  set(o, 'init', boolOf(h.Init, 'HostConfig.Init') || undefined);
  set(o, 'ipcMode', strOf(h.IpcMode, 'HostConfig.IpcMode') || undefined);
  set(o, 'pidMode', strOf(h.PidMode, 'HostConfig.PidMode') || undefined);
  set(o, 'utsMode', strOf(h.UTSMode, 'HostConfig.UTSMode') || undefined);
  set(o, 'cgroupnsMode', strOf(h.CgroupnsMode, 'HostConfig.CgroupnsMode') || undefined);
  set(o, 'usernsMode', strOf(h.UsernsMode, 'HostConfig.UsernsMode') || undefined);
  const lc = objOf(h.LogConfig, 'HostConfig.LogConfig');
  if (lc && (strOf(lc.Type, 'LogConfig.Type') || Object.keys(objOf(lc.Config, 'LogConfig.Config') ?? {}).length))
    o.logConfig = { type: strOf(lc.Type, 'LogConfig.Type') ?? '', config: strMapOf(lc.Config, 'LogConfig.Config') ?? {} };

  // Networks: NetworkMode names the first network ('default' is docker's bridge); its endpoint
  // settings (a fixed address, aliases) come from NetworkingConfig.
  const mode = strOf(h.NetworkMode, 'HostConfig.NetworkMode') ?? '';
  const endpoints = objOf(objOf(c.NetworkingConfig, 'NetworkingConfig')?.EndpointsConfig, 'NetworkingConfig.EndpointsConfig') ?? {};
  const names = Object.keys(endpoints);
  // API < 1.44, as docker's daemon: one endpoint at create, the others by connect
  if (names.length > 1) throw badRequest(`Container cannot be connected to network endpoints: ${names.join(', ')}`);
  const network = mode && mode !== 'default' ? mode : names.length ? names[0]! : undefined;
  if (network) o.network = network;
  const endpoint = network ? objOf(endpoints[network], `EndpointsConfig.${network}`) : undefined;
  if (endpoint) {
    const { ip, aliases, mac, ...extras } = endpointRequestOf(endpoint, `EndpointsConfig.${network}`);
    set(o, 'ip', ip);
    set(o, 'networkAliases', aliases);
    if (!o.macAddress) set(o, 'macAddress', mac);
    if (Object.keys(extras).length) o.endpoint = extras; // Links, LinkLocalIPs, DriverOpts: echoed by inspect
  }
  return o;
}

/** POST /containers/{id}/update's body. */
export function updateOptionsOf(body: unknown): ContainerUpdateOptions {
  const h = objOf(body, 'body') ?? {};
  const r = resourcesOf(h);
  const rp = restartPolicyOf(h.RestartPolicy);
  if (rp && h.RestartPolicy && strOf(objOf(h.RestartPolicy, 'RestartPolicy')!.Name, 'RestartPolicy.Name') !== undefined) r.restartPolicy = rp;
  return r;
}
