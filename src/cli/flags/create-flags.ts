/**
 * The flags `create` and `run` share (docker's names), and their conversion to the engine's
 * ContainerCreateOptions. Only syntax is checked here; the engine validates meaning.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { ContainerCreateOptions, PortBinding } from '../../engine/api.js';
import { collect } from '../context.js';
import { parseBytes } from '../format/units.js';
import { parseMountFlag, parseVolumeFlag } from './mounts.js';
import { keyValues } from './key-values.js';
import { parsePortSpec } from '../../net/index.js';
import { usageError } from './usage-error.js';
import { invalidFlagValue, parseIntReason } from './flag-messages.js';

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
}

export function addCreateFlags(cmd: Command): Command {
  return cmd
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
    .option('--pull <string>', 'Pull image before running ("always", "missing", "never")', 'missing');
}

// Flag values are checked here, in the action, but before any engine is opened: a bad one is
// a usage error (exit 125) named as docker names the flag ("-c, --cpu-shares").
function int(label: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!/^[+-]?\d+$/.test(v)) throw usageError(invalidFlagValue(v, label, parseIntReason(v)));
  return Number(v);
}

function bytes(label: string, v: string): number {
  try {
    return parseBytes(v);
  } catch (e) {
    throw usageError(invalidFlagValue(v, label, (e as Error).message));
  }
}

function envFile(path: string): string[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw usageError(`open ${path}: no such file or directory`);
  }
  return text
    .split('\n')
    .map((l) => l.replace(/^\s+/, ''))
    .filter((l) => l && !l.startsWith('#'));
}

function restartPolicy(s: string): ContainerCreateOptions['restartPolicy'] {
  const [name, max] = s.split(':');
  if (!['no', 'on-failure', 'always', 'unless-stopped'].includes(name!)) throw usageError(`invalid restart policy: ${s}`);
  if (max !== undefined && (name !== 'on-failure' || !/^\d+$/.test(max))) throw usageError(`invalid restart policy format: ${s}`);
  return { name: name as 'no', maximumRetryCount: max ? Number(max) : 0 };
}

export function toCreateOptions(image: string, command: string[], f: CreateFlags): ContainerCreateOptions {
  let memorySwap: number | undefined;
  if (f.memorySwap !== undefined) memorySwap = f.memorySwap === '-1' ? -1 : bytes('--memory-swap', f.memorySwap);
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
    env: [...(f.envFile ?? []).flatMap(envFile), ...(f.env ?? [])],
    tty: !!f.tty,
    openStdin: !!f.interactive,
    autoRemove: !!f.rm,
    restartPolicy: restartPolicy(f.restart ?? 'no'),
    labels: keyValues(f.label),
    mounts,
    volumesFrom: f.volumesFrom ?? [],
    ports,
    publishAll: !!f.publishAll,
    networkAliases: [...(f.networkAlias ?? []), ...(f.netAlias ?? [])],
    extraHosts: f.addHost ?? [],
    dns: f.dns ?? [],
  };
  if (f.name !== undefined) o.name = f.name;
  if (f.workdir !== undefined) o.workdir = f.workdir;
  if (f.user !== undefined) o.user = f.user;
  if (f.hostname !== undefined) o.hostname = f.hostname;
  if (f.memory !== undefined) o.memory = bytes('-m, --memory', f.memory);
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
  return o;
}
