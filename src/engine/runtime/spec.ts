/**
 * OCI config.json from a typed description of one container, with docker's defaults (caps,
 * masked paths, devices, kernel mounts, environment). Knows nothing about images: the caller
 * hands it a rootfs path and the image's decisions already applied (args, env, user string).
 */
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, normalize } from 'node:path';
import { invalid } from '../errors.js';
import {
  DEFAULT_CAPS,
  DEFAULT_DEVICE_RULES,
  DEFAULT_PATH,
  DEFAULT_RLIMITS,
  MASKED_PATHS,
  READONLY_PATHS,
  standardMounts,
  type OciMount,
} from './defaults.js';
import { clampRlimits, type Rlimit } from './rlimits.js';
import { resolveUser } from './user.js';

export type Propagation = 'private' | 'rprivate' | 'shared' | 'rshared' | 'slave' | 'rslave';

export interface SpecMount {
  type: 'bind' | 'tmpfs';
  /** Host path (bind); ignored for tmpfs. */
  source?: string;
  destination: string;
  readOnly?: boolean;
  /** Bind recursively (`rbind`, docker's default) or only the top mount (`bind`). */
  recursive?: boolean;
  propagation?: Propagation;
  /** Extra mount options (tmpfs: "size=64m", "mode=1777", ...). */
  options?: string[];
}

export interface SpecInput {
  args: string[];
  env?: string[];
  /** Working directory inside the container (absolute); "/" by default. */
  cwd?: string;
  /** docker's --user: "name", "uid", "uid:gid", "name:group" (resolved in the rootfs). */
  user?: string;
  /** docker's --group-add: group names (from the rootfs) or gids. */
  groupAdd?: string[];
  hostname?: string;
  terminal?: boolean;
  /** Host path of the container's root filesystem (already mounted/prepared by the caller). */
  rootfs: string;
  readonlyRootfs?: boolean;
  mounts?: SpecMount[];
  /**
   * 'new': a fresh network namespace (docker's --network none, or one CNI will set up after
   * create); { path }: join this namespace (e.g. /var/run/netns/X); undefined: the host's.
   */
  network?: 'new' | { path: string };
  capAdd?: string[];
  capDrop?: string[];
  /** linux.resources as built by src/cgroups (opaque here); docker's device rules are merged in. */
  resources?: Record<string, unknown>;
  cgroupsPath?: string;
  /** Wanted limits; each is lowered to the engine's own hard limit (see rlimits.ts). */
  rlimits?: { type: string; soft: number | bigint; hard: number | bigint }[];
  oomScoreAdj?: number;
  sysctl?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** The parts of the OCI runtime spec berth writes. */
export interface OciSpec {
  ociVersion: string;
  process: OciProcess;
  root: { path: string; readonly: boolean };
  hostname?: string;
  mounts: OciMount[];
  annotations?: Record<string, string>;
  linux: {
    namespaces: { type: string; path?: string }[];
    resources: Record<string, unknown>;
    cgroupsPath?: string;
    maskedPaths: string[];
    readonlyPaths: string[];
    sysctl?: Record<string, string>;
  };
}

export interface OciProcess {
  terminal: boolean;
  user: { uid: number; gid: number; additionalGids?: number[] };
  args: string[];
  env: string[];
  cwd: string;
  capabilities: { bounding: string[]; effective: string[]; permitted: string[]; inheritable: string[]; ambient: string[] };
  rlimits?: Rlimit[];
  noNewPrivileges: boolean;
  oomScoreAdj?: number;
  /** The pty's size when runc makes it, before the process starts (runc ≥ 1.1). */
  consoleSize?: { height: number; width: number };
}

export interface BuiltSpec {
  spec: OciSpec;
  warnings: string[];
}

const ALL_CAPS = new Set([
  'CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_DAC_READ_SEARCH', 'CAP_FOWNER', 'CAP_FSETID', 'CAP_KILL', 'CAP_SETGID',
  'CAP_SETUID', 'CAP_SETPCAP', 'CAP_LINUX_IMMUTABLE', 'CAP_NET_BIND_SERVICE', 'CAP_NET_BROADCAST', 'CAP_NET_ADMIN',
  'CAP_NET_RAW', 'CAP_IPC_LOCK', 'CAP_IPC_OWNER', 'CAP_SYS_MODULE', 'CAP_SYS_RAWIO', 'CAP_SYS_CHROOT', 'CAP_SYS_PTRACE',
  'CAP_SYS_PACCT', 'CAP_SYS_ADMIN', 'CAP_SYS_BOOT', 'CAP_SYS_NICE', 'CAP_SYS_RESOURCE', 'CAP_SYS_TIME',
  'CAP_SYS_TTY_CONFIG', 'CAP_MKNOD', 'CAP_LEASE', 'CAP_AUDIT_WRITE', 'CAP_AUDIT_CONTROL', 'CAP_SETFCAP',
  'CAP_MAC_OVERRIDE', 'CAP_MAC_ADMIN', 'CAP_SYSLOG', 'CAP_WAKE_ALARM', 'CAP_BLOCK_SUSPEND', 'CAP_AUDIT_READ',
  'CAP_PERFMON', 'CAP_BPF', 'CAP_CHECKPOINT_RESTORE',
]);

export function buildSpec(input: SpecInput): BuiltSpec {
  const warnings: string[] = [];
  validateArgs(input.args);
  if (!isAbsolute(input.rootfs)) throw invalid(`rootfs must be an absolute path: ${input.rootfs}`);
  if (!existsSync(input.rootfs)) throw invalid(`rootfs does not exist: ${input.rootfs}`);
  const cwd = input.cwd || '/';
  if (!isAbsolute(cwd)) throw invalid(`working directory must be absolute: ${cwd}`);
  if (input.hostname !== undefined && !/^[A-Za-z0-9]([A-Za-z0-9.-]{0,62})$/.test(input.hostname)) {
    throw invalid(`invalid hostname: ${JSON.stringify(input.hostname)}`);
  }
  if (input.oomScoreAdj !== undefined && (!Number.isInteger(input.oomScoreAdj) || Math.abs(input.oomScoreAdj) > 1000)) {
    throw invalid(`oom score adjustment must be an integer in [-1000, 1000]: ${input.oomScoreAdj}`);
  }

  const user = resolveUser(input.rootfs, input.user, input.groupAdd);
  const env = buildEnv(input.env ?? [], { home: user.home, hostname: input.hostname, terminal: !!input.terminal });
  const caps = buildCaps(input.capAdd ?? [], input.capDrop ?? []);

  const wanted: Rlimit[] = (input.rlimits ?? []).map((r) => ({ type: r.type, soft: BigInt(r.soft), hard: BigInt(r.hard) }));
  const clamped = clampRlimits(wanted);
  warnings.push(...clamped.warnings);
  // Defaults fill in what the caller did not set, lowered silently: they are ours, not the user's.
  const defaults = clampRlimits(DEFAULT_RLIMITS.filter((d) => !wanted.some((w) => w.type === d.type)).map((d) => ({ type: d.type, soft: BigInt(d.soft), hard: BigInt(d.hard) })));
  const rlimits = [...clamped.rlimits, ...defaults.rlimits];

  const proc: OciProcess = {
    terminal: !!input.terminal,
    user: { uid: user.uid, gid: user.gid, ...(user.additionalGids.length ? { additionalGids: user.additionalGids } : {}) },
    args: [...input.args],
    env,
    cwd,
    capabilities: { bounding: caps, effective: caps, permitted: caps, inheritable: [], ambient: [] },
    rlimits,
    noNewPrivileges: false, // as docker: setuid binaries (su, ping) keep working
  };
  if (input.oomScoreAdj !== undefined) proc.oomScoreAdj = input.oomScoreAdj;

  const namespaces: { type: string; path?: string }[] = [{ type: 'pid' }, { type: 'mount' }, { type: 'uts' }, { type: 'ipc' }];
  if (input.network === 'new') namespaces.push({ type: 'network' });
  else if (input.network !== undefined) {
    if (!isAbsolute(input.network.path)) throw invalid(`network namespace path must be absolute: ${input.network.path}`);
    namespaces.push({ type: 'network', path: input.network.path });
  }

  const resources: Record<string, unknown> = { ...(input.resources ?? {}) };
  const callerDevices = Array.isArray(resources.devices) ? (resources.devices as unknown[]) : [];
  // Later rules win in the device cgroup: the caller's go after docker's defaults.
  resources.devices = [...DEFAULT_DEVICE_RULES, ...callerDevices];

  const spec: OciSpec = {
    ociVersion: '1.0.2',
    process: proc,
    root: { path: input.rootfs, readonly: !!input.readonlyRootfs },
    mounts: buildMounts(input.mounts ?? []),
    linux: {
      namespaces,
      resources,
      maskedPaths: [...MASKED_PATHS],
      readonlyPaths: [...READONLY_PATHS],
    },
  };
  if (input.hostname !== undefined) spec.hostname = input.hostname;
  if (input.cgroupsPath !== undefined) {
    if (!/^\/?[\w.\-/:]+$/.test(input.cgroupsPath) || input.cgroupsPath.split('/').includes('..')) {
      throw invalid(`invalid cgroups path: ${input.cgroupsPath}`);
    }
    spec.linux.cgroupsPath = input.cgroupsPath;
  }
  if (input.sysctl && Object.keys(input.sysctl).length) spec.linux.sysctl = { ...input.sysctl };
  if (input.annotations && Object.keys(input.annotations).length) spec.annotations = { ...input.annotations };
  return { spec, warnings };
}

function validateArgs(args: string[]): void {
  if (!Array.isArray(args) || args.length === 0) throw invalid('no command specified');
  for (const a of args) if (typeof a !== 'string' || a.includes('\0')) throw invalid('invalid command argument');
  if (args[0] === '') throw invalid('no command specified');
}

/** docker's environment: the given one, plus PATH, HOSTNAME, HOME and TERM when missing. */
export function buildEnv(given: string[], ctx: { home: string; hostname?: string | undefined; terminal: boolean }): string[] {
  const out = new Map<string, string>();
  for (const e of given) {
    const i = e.indexOf('=');
    if (i <= 0 || e.includes('\0')) throw invalid(`invalid environment variable: ${JSON.stringify(e)}`);
    out.set(e.slice(0, i), e); // last one wins, as docker
  }
  const add = (k: string, v: string) => {
    if (!out.has(k)) out.set(k, `${k}=${v}`);
  };
  add('PATH', DEFAULT_PATH);
  if (ctx.hostname) add('HOSTNAME', ctx.hostname);
  add('HOME', ctx.home);
  if (ctx.terminal) add('TERM', 'xterm');
  return [...out.values()];
}

function normCap(c: string): string {
  const u = c.trim().toUpperCase();
  return u.startsWith('CAP_') ? u : `CAP_${u}`;
}

export function buildCaps(add: string[], drop: string[]): string[] {
  const set = new Set<string>(DEFAULT_CAPS);
  const all = (l: string[]) => l.some((c) => c.trim().toUpperCase() === 'ALL');
  if (all(drop)) set.clear();
  for (const c of drop) if (c.trim().toUpperCase() !== 'ALL') set.delete(check(normCap(c)));
  if (all(add)) for (const c of ALL_CAPS) set.add(c);
  for (const c of add) if (c.trim().toUpperCase() !== 'ALL') set.add(check(normCap(c)));
  return [...set];
  function check(c: string): string {
    if (!ALL_CAPS.has(c)) throw invalid(`unknown capability: ${c}`);
    return c;
  }
}

const PROPAGATIONS = new Set(['private', 'rprivate', 'shared', 'rshared', 'slave', 'rslave']);

function buildMounts(mounts: SpecMount[]): OciMount[] {
  const seen = new Set<string>();
  const user: OciMount[] = [];
  for (const m of mounts) {
    if (!isAbsolute(m.destination)) throw invalid(`mount destination must be absolute: ${m.destination}`);
    const dest = normalize(m.destination).replace(/(.)\/$/, '$1');
    if (dest === '/') throw invalid('cannot mount over /');
    if (seen.has(dest)) throw invalid(`duplicate mount point: ${dest}`);
    seen.add(dest);
    if (m.propagation !== undefined && !PROPAGATIONS.has(m.propagation)) throw invalid(`invalid propagation: ${m.propagation}`);
    const extra = (m.options ?? []).map((o) => {
      if (typeof o !== 'string' || o === '' || o.includes(',') || o.includes('\0')) throw invalid(`invalid mount option: ${o}`);
      return o;
    });
    if (m.type === 'bind') {
      if (!m.source || !isAbsolute(m.source)) throw invalid(`bind source must be an absolute path: ${m.source ?? ''}`);
      if (!existsSync(m.source)) throw invalid(`bind source path does not exist: ${m.source}`);
      const opts = [m.recursive === false ? 'bind' : 'rbind', m.readOnly ? 'ro' : 'rw', ...extra];
      // rprivate is docker's default: mounts made later on the host do not leak in.
      opts.push(m.propagation ?? 'rprivate');
      user.push({ destination: dest, type: 'bind', source: m.source, options: opts });
    } else if (m.type === 'tmpfs') {
      // docker's tmpfs is world-writable (1777) unless a mode is given; runc's default would
      // copy the mount point's mode (0755 for one it creates).
      const mode = extra.some((o) => o.startsWith('mode=')) ? [] : ['mode=1777'];
      const opts = ['nosuid', 'nodev', 'noexec', ...(m.readOnly ? ['ro'] : []), ...mode, ...extra];
      if (m.propagation) opts.push(m.propagation);
      user.push({ destination: dest, type: 'tmpfs', source: 'tmpfs', options: opts });
    } else {
      throw invalid(`unsupported mount type: ${(m as { type: string }).type}`);
    }
  }
  // A caller mount on a standard destination (a bigger /dev/shm) replaces the standard one.
  const std = standardMounts().filter((s) => !seen.has(s.destination));
  // Parents before children, as docker sorts them, so /a/b is not hidden by a later /a.
  user.sort((a, b) => depth(a.destination) - depth(b.destination));
  return [...std, ...user];
}

const depth = (p: string) => p.split('/').filter(Boolean).length;

/**
 * Writes `spec` as BUNDLE/config.json (temp name + rename: runc never sees half a file).
 * rlimits are uint64 in the spec; JSON numbers lose precision above 2^53, so bigints are written
 * as their exact digits.
 */
export function writeSpec(bundle: string, spec: OciSpec): string {
  mkdirSync(bundle, { recursive: true });
  const file = join(bundle, 'config.json');
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, specToJson(spec));
  renameSync(tmp, file);
  return file;
}

export function specToJson(spec: OciSpec): string {
  return toExactJson(spec);
}

/** JSON.stringify that writes bigints as exact digits (uint64 rlimits). */
export function toExactJson(value: unknown): string {
  const marks: string[] = [];
  const json = JSON.stringify(
    value,
    (_k, v: unknown) => {
      if (typeof v === 'bigint') {
        marks.push(v.toString());
        return `\u0000big${marks.length - 1}\u0000`;
      }
      return v;
    },
    2,
  );
  return json.replace(/"\\u0000big(\d+)\\u0000"/g, (_m, i: string) => marks[Number(i)]!);
}

/** Reads a config.json berth wrote, rlimits back as exact bigints. */
export function parseSpecJson(text: string): OciSpec {
  // Quote long integers of soft/hard before JSON.parse rounds them to doubles.
  const spec = JSON.parse(text.replace(/("(?:soft|hard)"\s*:\s*)(\d+)/g, '$1"$2"')) as OciSpec;
  for (const r of spec.process?.rlimits ?? []) {
    r.soft = BigInt(r.soft as unknown as string);
    r.hard = BigInt(r.hard as unknown as string);
  }
  return spec;
}
