/**
 * OCI config.json from a typed description of one container, with docker's defaults (caps,
 * masked paths, devices, kernel mounts, environment). Knows nothing about images: the caller
 * hands it a rootfs path and the image's decisions already applied (args, env, user string).
 */
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { invalid } from '../errors.js';
import { DEFAULT_DEVICE_RULES, DEFAULT_PATH, DEFAULT_RLIMITS, MASKED_PATHS, READONLY_PATHS, type OciMount } from './defaults.js';
import { effectiveCaps } from './capabilities.js';
import type { OciDevice } from './devices.js';
import { buildNamespaces, type NamespaceModes, type OciNamespace } from './namespaces.js';
import { clampRlimits, type Rlimit } from './rlimits.js';
import type { OciSeccomp } from './seccomp.js';
import { buildMounts, INIT_PATH, rootfsPropagation, type ShmChoice, type SpecMount } from './spec-mounts.js';
import { resolveUser } from './user.js';

export type { Propagation, SpecMount, ShmChoice } from './spec-mounts.js';

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
  /** pid/ipc/uts/cgroup namespaces (namespaces.ts); each private when absent, cgroup the host's. */
  namespaces?: Omit<NamespaceModes, 'network'>;
  /**
   * docker's --privileged: every capability the engine holds, every host device (pass them in
   * `devices`) usable, no masked or read-only /proc paths, /sys and the cgroups writable.
   * Seccomp stays the caller's choice (docker runs privileged containers without).
   */
  privileged?: boolean;
  capAdd?: string[];
  capDrop?: string[];
  noNewPrivileges?: boolean;
  seccomp?: OciSeccomp;
  apparmorProfile?: string;
  /** Device nodes runc creates in the container's /dev; their cgroup rules go in `resources`. */
  devices?: OciDevice[];
  /** /dev/shm (spec-mounts.ts); docker's 64 MiB tmpfs when absent. */
  shm?: ShmChoice;
  /** Host path of a static init (tini): bind-mounted read-only and run as pid 1 with the
   *  command after "--", when the container has a pid namespace of its own (docker's --init). */
  init?: string;
  domainname?: string;
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
    namespaces: OciNamespace[];
    devices?: OciDevice[];
    resources: Record<string, unknown>;
    cgroupsPath?: string;
    maskedPaths: string[];
    readonlyPaths: string[];
    sysctl?: Record<string, string>;
    seccomp?: OciSeccomp;
    rootfsPropagation?: string;
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
  apparmorProfile?: string;
}

export interface BuiltSpec {
  spec: OciSpec;
  warnings: string[];
}

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
  const caps = effectiveCaps({ privileged: !!input.privileged, capAdd: input.capAdd ?? [], capDrop: input.capDrop ?? [] });

  const wanted: Rlimit[] = (input.rlimits ?? []).map((r) => ({ type: r.type, soft: BigInt(r.soft), hard: BigInt(r.hard) }));
  const clamped = clampRlimits(wanted);
  warnings.push(...clamped.warnings);
  // Defaults fill in what the caller did not set, lowered silently: they are ours, not the user's.
  const defaults = clampRlimits(
    DEFAULT_RLIMITS.filter((d) => !wanted.some((w) => w.type === d.type)).map((d) => ({ type: d.type, soft: BigInt(d.soft), hard: BigInt(d.hard) })),
  );
  const rlimits = [...clamped.rlimits, ...defaults.rlimits];

  const ns = input.namespaces ?? {};
  // docker adds its init only where the container has a pid namespace of its own: elsewhere
  // there already is an init (the host's, or the other container's).
  const init = input.init !== undefined && (ns.pid === undefined || ns.pid === 'private') ? input.init : undefined;
  const proc: OciProcess = {
    terminal: !!input.terminal,
    user: { uid: user.uid, gid: user.gid, ...(user.additionalGids.length ? { additionalGids: user.additionalGids } : {}) },
    args: init !== undefined ? [INIT_PATH, '--', ...input.args] : [...input.args],
    env,
    cwd,
    capabilities: { bounding: caps, effective: caps, permitted: caps, inheritable: [], ambient: [] },
    rlimits,
    // false by default, as docker: setuid binaries (su, ping) keep working
    noNewPrivileges: !!input.noNewPrivileges,
  };
  if (input.oomScoreAdj !== undefined) proc.oomScoreAdj = input.oomScoreAdj;
  if (input.apparmorProfile) proc.apparmorProfile = input.apparmorProfile;

  const namespaces = buildNamespaces({ ...ns, ...(input.network !== undefined ? { network: input.network } : {}) });
  const ownUts = namespaces.some((n) => n.type === 'uts' && !n.path);
  if (!ownUts && (input.domainname || input.hostname)) {
    // runc cannot set a name in a namespace that is not the container's own
    throw invalid('conflicting options: hostname and the UTS mode');
  }

  const resources: Record<string, unknown> = { ...(input.resources ?? {}) };
  const callerDevices = Array.isArray(resources.devices) ? (resources.devices as unknown[]) : [];
  // Later rules win in the device cgroup: the caller's go after docker's defaults. A privileged
  // container may use every device, as docker's.
  resources.devices = input.privileged ? [{ allow: true, access: 'rwm' }] : [...DEFAULT_DEVICE_RULES, ...callerDevices];

  const spec: OciSpec = {
    ociVersion: '1.0.2',
    process: proc,
    root: { path: input.rootfs, readonly: !!input.readonlyRootfs },
    mounts: buildMounts({
      mounts: input.mounts ?? [],
      ...(input.shm !== undefined ? { shm: input.shm } : {}),
      privileged: !!input.privileged,
      ...(init !== undefined ? { init } : {}),
    }),
    linux: {
      namespaces,
      resources,
      maskedPaths: input.privileged ? [] : [...MASKED_PATHS],
      readonlyPaths: input.privileged ? [] : [...READONLY_PATHS],
    },
  };
  const rootfsPg = rootfsPropagation(input.mounts ?? []);
  if (rootfsPg) spec.linux.rootfsPropagation = rootfsPg;
  if (input.devices?.length) spec.linux.devices = input.devices.map((d) => ({ ...d }));
  if (input.seccomp) spec.linux.seccomp = input.seccomp;
  if (input.hostname !== undefined) spec.hostname = input.hostname;
  if (input.cgroupsPath !== undefined) {
    if (!/^\/?[\w.\-/:]+$/.test(input.cgroupsPath) || input.cgroupsPath.split('/').includes('..')) {
      throw invalid(`invalid cgroups path: ${input.cgroupsPath}`);
    }
    spec.linux.cgroupsPath = input.cgroupsPath;
  }
  // the NIS domain name through its sysctl, as docker sets it (runc 1.1 has no field it applies)
  const sysctl = { ...(input.sysctl ?? {}), ...(input.domainname ? { 'kernel.domainname': input.domainname } : {}) };
  if (Object.keys(sysctl).length) spec.linux.sysctl = sysctl;
  if (input.annotations && Object.keys(input.annotations).length) spec.annotations = { ...input.annotations };
  return { spec, warnings };
}

function validateArgs(args: string[]): void {
  if (!Array.isArray(args) || args.length === 0) throw invalid('no command specified');
  for (const a of args) if (typeof a !== 'string' || a.includes('\0')) throw invalid('invalid command argument');
  if (args[0] === '') throw invalid('no command specified');
}

/**
 * docker's environment: the given one, plus PATH, HOSTNAME, HOME and TERM when missing. A bare
 * NAME (no '=') unsets NAME, defaults included (dockerd's ReplaceOrAppendEnvValues): runc takes
 * only NAME=VALUE, and `-e NAME` of a name the client's shell lacks means "not set".
 */
export function buildEnv(given: string[], ctx: { home: string; hostname?: string | undefined; terminal: boolean }): string[] {
  const out = new Map<string, string>();
  const unset = new Set<string>();
  for (const e of given) {
    const i = e.indexOf('=');
    if (i === 0 || e === '' || e.includes('\0')) throw invalid(`invalid environment variable: ${JSON.stringify(e)}`);
    if (i < 0) {
      out.delete(e);
      unset.add(e);
      continue;
    }
    out.set(e.slice(0, i), e); // last one wins, as docker
    unset.delete(e.slice(0, i));
  }
  const add = (k: string, v: string) => {
    if (!out.has(k) && !unset.has(k)) out.set(k, `${k}=${v}`);
  };
  add('PATH', DEFAULT_PATH);
  if (ctx.hostname) add('HOSTNAME', ctx.hostname);
  add('HOME', ctx.home);
  if (ctx.terminal) add('TERM', 'xterm');
  return [...out.values()];
}

/** docker's capability arithmetic (capabilities.ts), kept under its old name for exec. */
export function buildCaps(add: string[], drop: string[]): string[] {
  return effectiveCaps({ capAdd: add, capDrop: drop });
}

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
