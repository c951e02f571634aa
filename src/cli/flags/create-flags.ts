/**
 * The flags `create` and `run` share (docker's names), and their conversion to the engine's
 * ContainerCreateOptions. Only syntax is checked here (run-parsers.ts); the engine validates
 * meaning. Every flag listed does something: none is accepted and ignored.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import type { ContainerCreateOptions, HealthConfig, PortBinding } from '../../engine/api.js';
import { parseGoDuration } from '../../engine/index.js';
import { collect } from '../context.js';
import { parseBytes } from '../format/units.js';
import { parseMountFlag, parseVolumeFlag } from './mounts.js';
import { keyValues } from './key-values.js';
import { parseExtraHost, parsePortSpec } from '../../net/index.js';
import { usageError } from './usage-error.js';
import { invalidFlagValue, parseIntReason } from './flag-messages.js';
import {
  checkMac,
  checkModes,
  envFile,
  envFlag,
  labelFile,
  parseDevice,
  parseExpose,
  parseLogOpts,
  parseSecurityOpts,
  parseSysctls,
  parseUlimit,
} from './run-parsers.js';

export interface CreateFlags {
  name?: string;
  interactive?: boolean;
  tty?: boolean;
  rm?: boolean;
  env?: string[];
  envFile?: string[];
  workdir?: string;
  user?: string;
  entrypoint?: string;
  hostname?: string;
  restart?: string;
  label?: string[];
  volume?: string[];
  mount?: string[];
  tmpfs?: string[];
  volumesFrom?: string[];
  memory?: string;
  memorySwap?: string;
  cpus?: string;
  cpuShares?: string;
  pidsLimit?: string;
  network?: string;
  net?: string;
  ip?: string;
  networkAlias?: string[];
  netAlias?: string[];
  publish?: string[];
  publishAll?: boolean;
  addHost?: string[];
  dns?: string[];
  stopSignal?: string;
  stopTimeout?: string;
  pull?: string;
  detachKeys?: string;
  // privilege and security
  privileged?: boolean;
  capAdd?: string[];
  capDrop?: string[];
  securityOpt?: string[];
  groupAdd?: string[];
  readOnly?: boolean;
  // devices and limits
  device?: string[];
  ulimit?: string[];
  shmSize?: string;
  sysctl?: string[];
  cpusetCpus?: string;
  cpusetMems?: string;
  cpuPeriod?: string;
  cpuQuota?: string;
  memoryReservation?: string;
  oomKillDisable?: boolean;
  blkioWeight?: string;
  kernelMemory?: string;
  // process and namespaces
  init?: boolean;
  ipc?: string;
  pid?: string;
  uts?: string;
  cgroupns?: string;
  userns?: string;
  cidfile?: string;
  expose?: string[];
  labelFile?: string[];
  dnsSearch?: string[];
  dnsOption?: string[];
  dnsOpt?: string[];
  macAddress?: string;
  platform?: string;
  domainname?: string;
  // logs
  logDriver?: string;
  logOpt?: string[];
  // healthcheck
  healthCmd?: string;
  healthInterval?: string;
  healthTimeout?: string;
  healthRetries?: string;
  healthStartPeriod?: string;
  /** false with --no-healthcheck (commander's negation; true by default). */
  healthcheck?: boolean;
}

export function addCreateFlags(cmd: Command): Command {
  return (
    cmd
      .option('--name <string>', 'Assign a name to the container')
      .option('-i, --interactive', 'Keep STDIN open even if not attached')
      .option('-t, --tty', 'Allocate a pseudo-TTY')
      .option('--rm', 'Automatically remove the container when it exits')
      .option('-e, --env <list>', 'Set environment variables', collect)
      .option('--env-file <file>', 'Read in a file of environment variables', collect)
      .option('-w, --workdir <string>', 'Working directory inside the container')
      .option('-u, --user <string>', 'Username or UID (format: <name|uid>[:<group|gid>])')
      .option('--entrypoint <string>', 'Overwrite the default ENTRYPOINT of the image')
      .option('-h, --hostname <string>', 'Container host name')
      .option('--restart <string>', 'Restart policy to apply when a container exits (no, on-failure[:max-retries], always, unless-stopped)', 'no')
      .option('-l, --label <list>', 'Set meta data on a container', collect)
      .option('-v, --volume <list>', 'Bind mount a volume', collect)
      .option('--mount <mount>', 'Attach a filesystem mount to the container', collect)
      .option('--tmpfs <list>', 'Mount a tmpfs directory', collect)
      .option('--volumes-from <list>', 'Mount volumes from the specified container(s)', collect)
      .option('-m, --memory <bytes>', 'Memory limit')
      .option('--memory-swap <bytes>', "Swap limit equal to memory plus swap: '-1' to enable unlimited swap")
      .option('--cpus <decimal>', 'Number of CPUs')
      .option('-c, --cpu-shares <int>', 'CPU shares (relative weight)')
      .option('--pids-limit <int>', 'Tune container pids limit (set -1 for unlimited)')
      .option('--network <network>', 'Connect a container to a network')
      .option('--net <network>', 'Connect a container to a network')
      .option('--ip <address>', 'IPv4 address (e.g., 172.30.100.104)')
      .option('--network-alias <list>', 'Add network-scoped alias for the container', collect)
      .option('--net-alias <list>', 'Add network-scoped alias for the container', collect)
      .option('-p, --publish <list>', "Publish a container's port(s) to the host", collect)
      .option('-P, --publish-all', 'Publish all exposed ports to random ports')
      .option('--add-host <list>', 'Add a custom host-to-IP mapping (host:ip)', collect)
      .option('--dns <list>', 'Set custom DNS servers', collect)
      .option('--stop-signal <string>', 'Signal to stop the container')
      .option('--stop-timeout <int>', 'Timeout (in seconds) to stop a container')
      .option('--pull <string>', 'Pull image before running ("always", "missing", "never")', 'missing')
      .option('--domainname <string>', 'Container NIS domain name')
      .option('--label-file <list>', 'Read in a line delimited file of labels', collect)
      .option('--expose <list>', 'Expose a port or a range of ports', collect)
      .option('--dns-search <list>', 'Set custom DNS search domains', collect)
      .option('--dns-option <list>', 'Set DNS options', collect)
      .addOption(hidden('--dns-opt <list>', 'Set DNS options', collect))
      .option('--mac-address <string>', 'Container MAC address (e.g., 92:d0:c6:0a:29:33)')
      .option('--platform <string>', 'Set platform if server is multi-platform capable')
      .option('--cidfile <string>', 'Write the container ID to the file')
      // security
      .option('--privileged', 'Give extended privileges to this container')
      .option('--cap-add <list>', 'Add Linux capabilities', collect)
      .option('--cap-drop <list>', 'Drop Linux capabilities', collect)
      .option('--security-opt <list>', 'Security Options', collect)
      .option('--group-add <list>', 'Add additional groups to join', collect)
      .option('--read-only', "Mount the container's root filesystem as read only")
      .option('--userns <string>', 'User namespace to use')
      .option('--cgroupns <string>', 'Cgroup namespace to use (host|private)')
      // devices and resources
      .option('--device <list>', 'Add a host device to the container', collect)
      .option('--ulimit <ulimit>', 'Ulimit options', collect)
      .option('--shm-size <bytes>', 'Size of /dev/shm')
      .option('--sysctl <map>', 'Sysctl options', collect)
      .option('--cpuset-cpus <string>', 'CPUs in which to allow execution (0-3, 0,1)')
      .option('--cpuset-mems <string>', 'MEMs in which to allow execution (0-3, 0,1)')
      .option('--cpu-period <int>', 'Limit CPU CFS (Completely Fair Scheduler) period')
      .option('--cpu-quota <int>', 'Limit CPU CFS (Completely Fair Scheduler) quota')
      .option('--memory-reservation <bytes>', 'Memory soft limit')
      .option('--oom-kill-disable', 'Disable OOM Killer')
      .option('--blkio-weight <uint16>', 'Block IO (relative weight), between 10 and 1000, or 0 to disable (default 0)')
      .option('--kernel-memory <bytes>', 'Kernel memory limit (deprecated: warned about, not applied, as docker 20.10 with runc 1.1)')
      // process and namespaces
      .option('--init', 'Run an init inside the container that forwards signals and reaps processes')
      .option('--ipc <string>', 'IPC mode to use')
      .option('--pid <string>', 'PID namespace to use')
      .option('--uts <string>', 'UTS namespace to use')
      // logging
      .option('--log-driver <string>', 'Logging driver for the container (json-file, k8s-file, none)')
      .option('--log-opt <list>', 'Log driver options (max-size, max-file)', collect)
      // healthcheck
      .option('--health-cmd <string>', 'Command to run to check health')
      .option('--health-interval <duration>', 'Time between running the check (ms|s|m|h) (default 0s)')
      .option('--health-timeout <duration>', 'Maximum time to allow one check to run (ms|s|m|h) (default 0s)')
      .option('--health-retries <int>', 'Consecutive failures needed to report unhealthy')
      .option(
        '--health-start-period <duration>',
        'Start period for the container to initialize before starting health-retries countdown (ms|s|m|h) (default 0s)',
      )
      .option('--no-healthcheck', 'Disable any container-specified HEALTHCHECK')
  );
}

/** A Go duration flag (time.ParseDuration), in nanoseconds. */
function duration(label: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const ns = v === '0' ? 0 : parseGoDuration(v);
  if (ns === undefined) throw usageError(invalidFlagValue(v, label, `time: invalid duration "${v}"`));
  return ns;
}

/** docker's run flags → HostConfig.Healthcheck (cli/command/container/opts.go, its messages). */
export function healthConfig(f: CreateFlags): HealthConfig | undefined {
  const interval = duration('--health-interval', f.healthInterval) ?? 0;
  const timeout = duration('--health-timeout', f.healthTimeout) ?? 0;
  const startPeriod = duration('--health-start-period', f.healthStartPeriod) ?? 0;
  const retries = int('--health-retries', f.healthRetries) ?? 0;
  const cmd = f.healthCmd ?? '';
  const any = cmd !== '' || interval !== 0 || timeout !== 0 || startPeriod !== 0 || retries !== 0;
  if (f.healthcheck === false) {
    if (any) throw usageError('--no-healthcheck conflicts with --health-* options');
    return { test: ['NONE'] };
  }
  if (!any) return undefined;
  if (interval < 0) throw usageError('--health-interval cannot be negative');
  if (timeout < 0) throw usageError('--health-timeout cannot be negative');
  if (retries < 0) throw usageError('--health-retries cannot be negative');
  if (startPeriod < 0) throw usageError('--health-start-period cannot be negative');
  return { ...(cmd ? { test: ['CMD-SHELL', cmd] } : {}), interval, timeout, startPeriod, retries };
}

function hidden(flags: string, description: string, parse: (v: string, prev?: string[]) => string[]): Option {
  return new Option(flags, description).argParser(parse).hideHelp();
}

// Flag values are checked here, in the action, but before any engine is opened: a bad one is
// a usage error (exit 125) named as docker names the flag ("-c, --cpu-shares").
export function int(label: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!/^[+-]?\d+$/.test(v)) throw usageError(invalidFlagValue(v, label, parseIntReason(v)));
  return Number(v);
}

/** --add-host values, checked as docker's CLI checks them (host-gateway is the engine's to resolve). */
export function extraHosts(list: string[]): string[] {
  for (const h of list) {
    if (/[:=]host-gateway$/.test(h)) continue;
    try {
      parseExtraHost(h);
    } catch (e) {
      throw usageError(invalidFlagValue(h, '--add-host', (e as Error).message));
    }
  }
  return list;
}

/** A size flag (docker's MemBytes): "64m", "1g", bytes. */
export function bytes(label: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  try {
    return parseBytes(v);
  } catch (e) {
    throw usageError(invalidFlagValue(v, label, (e as Error).message));
  }
}

export function uint16(label: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v)) throw usageError(invalidFlagValue(v, label, `strconv.ParseUint: parsing "${v}": invalid syntax`));
  if (Number(v) > 65535) throw usageError(invalidFlagValue(v, label, `strconv.ParseUint: parsing "${v}": value out of range`));
  return Number(v);
}

export function restartPolicy(s: string): ContainerCreateOptions['restartPolicy'] {
  const [name, max] = s.split(':');
  if (!['no', 'on-failure', 'always', 'unless-stopped'].includes(name!)) throw usageError(`invalid restart policy: ${s}`);
  if (max !== undefined && (name !== 'on-failure' || !/^\d+$/.test(max))) throw usageError(`invalid restart policy format: ${s}`);
  return { name: name as 'no', maximumRetryCount: max ? Number(max) : 0 };
}

export function toCreateOptions(image: string, command: string[], f: CreateFlags): ContainerCreateOptions {
  let memorySwap: number | undefined;
  if (f.memorySwap !== undefined) memorySwap = f.memorySwap === '-1' ? -1 : bytes('--memory-swap', f.memorySwap)!;
  let nanoCpus: number | undefined;
  if (f.cpus !== undefined) {
    const n = Number(f.cpus);
    if (!Number.isFinite(n) || n < 0) throw usageError(`invalid argument "${f.cpus}" for "--cpus" flag: failed to parse ${f.cpus} as a rational number`);
    nanoCpus = Math.round(n * 1e9);
  }
  const ports: PortBinding[] = (f.publish ?? []).flatMap(parsePortSpec).map((r) => ({
    hostIp: r.hostIp,
    // a host range means "the first free port in it": the engine allocates from its start
    hostPort: r.hostPortStart,
    containerPort: r.containerPort,
    protocol: r.protocol,
  }));
  const mounts = [
    ...(f.volume ?? []).map(parseVolumeFlag),
    ...(f.mount ?? []).map(parseMountFlag),
    ...(f.tmpfs ?? []).map((t) => {
      const [target, opts] = t.split(':');
      return { type: 'tmpfs' as const, source: '', target: target!, readOnly: false, ...(opts ? { options: opts.split(',') } : {}) };
    }),
  ];
  const o: ContainerCreateOptions = {
    image,
    ...(command.length ? { cmd: command } : {}),
    ...(f.entrypoint !== undefined ? { entrypoint: f.entrypoint === '' ? [] : [f.entrypoint] } : {}),
    env: [...(f.envFile ?? []).flatMap(envFile), ...(f.env ?? []).map(envFlag)],
    tty: !!f.tty,
    openStdin: !!f.interactive,
    autoRemove: !!f.rm,
    restartPolicy: restartPolicy(f.restart ?? 'no'),
    labels: keyValues([...(f.labelFile ?? []).flatMap(labelFile), ...(f.label ?? [])]),
    mounts,
    volumesFrom: f.volumesFrom ?? [],
    ports,
    publishAll: !!f.publishAll,
    networkAliases: [...(f.networkAlias ?? []), ...(f.netAlias ?? [])],
    extraHosts: extraHosts(f.addHost ?? []),
    dns: f.dns ?? [],
  };
  if (f.name !== undefined) o.name = f.name;
  if (f.workdir !== undefined) o.workdir = f.workdir;
  if (f.user !== undefined) o.user = f.user;
  if (f.hostname !== undefined) o.hostname = f.hostname;
  const memory = bytes('-m, --memory', f.memory);
  if (memory !== undefined) o.memory = memory;
  if (memorySwap !== undefined) o.memorySwap = memorySwap;
  if (nanoCpus !== undefined) o.nanoCpus = nanoCpus;
  const shares = int('-c, --cpu-shares', f.cpuShares);
  if (shares !== undefined) o.cpuShares = shares;
  const pids = int('--pids-limit', f.pidsLimit);
  if (pids !== undefined) o.pidsLimit = pids;
  const net = f.network ?? f.net;
  if (net !== undefined) o.network = net;
  if (f.ip !== undefined) o.ip = f.ip;
  if (f.stopSignal !== undefined) o.stopSignal = f.stopSignal;
  const st = int('--stop-timeout', f.stopTimeout);
  if (st !== undefined) o.stopTimeout = st;
  if (f.pull !== undefined) {
    if (!['missing', 'always', 'never'].includes(f.pull)) throw usageError(`invalid pull option: '${f.pull}': must be one of "always", "missing" or "never"`);
    o.pull = f.pull as 'missing';
  }
  Object.assign(o, runOptions(f));
  return o;
}

/** The options beyond the basics (security, devices, limits, namespaces, logs). */
function runOptions(f: CreateFlags): Partial<ContainerCreateOptions> {
  checkModes({ pid: f.pid, uts: f.uts, userns: f.userns, cgroupns: f.cgroupns });
  const o: Partial<ContainerCreateOptions> = {};
  if (f.privileged) o.privileged = true;
  if (f.capAdd?.length) o.capAdd = f.capAdd;
  if (f.capDrop?.length) o.capDrop = f.capDrop;
  if (f.securityOpt?.length) o.securityOpt = parseSecurityOpts(f.securityOpt);
  if (f.groupAdd?.length) o.groupAdd = f.groupAdd;
  if (f.readOnly) o.readOnly = true;
  if (f.device?.length) o.devices = f.device.map(parseDevice);
  if (f.ulimit?.length) {
    // the last of a name wins, as docker's map of them
    const byName = new Map(f.ulimit.map(parseUlimit).map((u) => [u.name, u]));
    o.ulimits = [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
  }
  const shm = bytes('--shm-size', f.shmSize);
  if (shm !== undefined) o.shmSize = shm;
  if (f.sysctl?.length) o.sysctls = parseSysctls(f.sysctl);
  if (f.cpusetCpus !== undefined) o.cpusetCpus = f.cpusetCpus;
  if (f.cpusetMems !== undefined) o.cpusetMems = f.cpusetMems;
  const period = int('--cpu-period', f.cpuPeriod);
  if (period !== undefined) o.cpuPeriod = period;
  const quota = int('--cpu-quota', f.cpuQuota);
  if (quota !== undefined) o.cpuQuota = quota;
  const reservation = bytes('--memory-reservation', f.memoryReservation);
  if (reservation !== undefined) o.memoryReservation = reservation;
  if (f.oomKillDisable) o.oomKillDisable = true;
  const weight = uint16('--blkio-weight', f.blkioWeight);
  if (weight !== undefined) o.blkioWeight = weight;
  const kmem = bytes('--kernel-memory', f.kernelMemory);
  if (kmem !== undefined) o.kernelMemory = kmem;
  if (f.init) o.init = true;
  if (f.ipc !== undefined) o.ipcMode = f.ipc;
  if (f.pid !== undefined) o.pidMode = f.pid;
  if (f.uts !== undefined) o.utsMode = f.uts;
  if (f.cgroupns !== undefined) o.cgroupnsMode = f.cgroupns;
  if (f.userns !== undefined) o.usernsMode = f.userns;
  if (f.expose?.length) o.exposedPorts = parseExpose(f.expose);
  if (f.dnsSearch?.length) o.dnsSearch = f.dnsSearch;
  const dnsOptions = [...(f.dnsOption ?? []), ...(f.dnsOpt ?? [])];
  if (dnsOptions.length) o.dnsOptions = dnsOptions;
  const mac = checkMac(f.macAddress);
  if (mac) o.macAddress = mac;
  if (f.platform) o.platform = f.platform;
  if (f.domainname !== undefined) o.domainname = f.domainname;
  const health = healthConfig(f);
  if (health) o.healthcheck = health;
  if (f.logDriver !== undefined || f.logOpt?.length) o.logConfig = { type: f.logDriver ?? '', config: parseLogOpts(f.logDriver, f.logOpt) };
  return o;
}

/**
 * --cidfile: refused when the file exists (docker's rule: another container may own it), and
 * written with the new container's id once it is created.
 */
export function cidFile(path: string | undefined): (id: string) => void {
  if (!path) return () => undefined;
  if (existsSync(path)) throw usageError(`Container ID file found, make sure the other container isn't running or delete ${path}`);
  return (id) => writeFileSync(path, id, { flag: 'wx' });
}
