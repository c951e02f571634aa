/**
 * The mounts of a container's OCI config: docker's standard kernel file systems, then the
 * caller's binds and tmpfs, with what docker changes for /dev/shm (--shm-size, --ipc),
 * --read-only, --privileged and --init.
 */
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { isAbsolute, normalize } from 'node:path';
import { invalid } from '../errors.js';
import { standardMounts, type OciMount } from './defaults.js';

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

/** /dev/shm: a tmpfs of this size, a host directory bound there (--ipc host or container:X), or none (--ipc none). */
export type ShmChoice = { size: number } | { bind: string } | 'none';

/** Where docker puts its init in the container, and so berth. */
export const INIT_PATH = '/sbin/docker-init';

export interface MountInput {
  mounts: SpecMount[];
  shm?: ShmChoice;
  privileged?: boolean;
  /** Host path of the init binary. */
  init?: string;
}

const PROPAGATIONS = new Set(['private', 'rprivate', 'shared', 'rshared', 'slave', 'rslave']);
const depth = (p: string) => p.split('/').filter(Boolean).length;

function userMount(m: SpecMount, dest: string): OciMount {
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
    return { destination: dest, type: 'bind', source: m.source, options: opts };
  }
  if (m.type === 'tmpfs') {
    // docker's tmpfs is world-writable (1777) unless a mode is given; runc's default would
    // copy the mount point's mode (0755 for one it creates).
    const mode = extra.some((o) => o.startsWith('mode=')) ? [] : ['mode=1777'];
    const opts = ['nosuid', 'nodev', 'noexec', ...(m.readOnly ? ['ro'] : []), ...mode, ...extra];
    if (m.propagation) opts.push(m.propagation);
    return { destination: dest, type: 'tmpfs', source: 'tmpfs', options: opts };
  }
  throw invalid(`unsupported mount type: ${(m as { type: string }).type}`);
}

/** docker's standard mounts as this container has them. */
function standard(o: MountInput): OciMount[] {
  const out: OciMount[] = [];
  for (const s of standardMounts()) {
    if (s.destination === '/dev/shm' && o.shm !== undefined) {
      if (o.shm === 'none') continue;
      if ('bind' in o.shm) {
        out.push({ destination: '/dev/shm', type: 'bind', source: o.shm.bind, options: ['rbind', 'nosuid', 'noexec', 'nodev', 'rprivate'] });
        continue;
      }
      if (!Number.isSafeInteger(o.shm.size) || o.shm.size <= 0) throw invalid(`invalid /dev/shm size: ${o.shm.size}`);
      out.push({ ...s, options: [...(s.options ?? []).filter((x) => !x.startsWith('size=')), `size=${o.shm.size}`] });
      continue;
    }
    if (o.privileged && (s.destination === '/sys' || s.type === 'cgroup')) {
      // docker: a privileged container may write /sys and its cgroups
      out.push({ ...s, options: (s.options ?? []).filter((x) => x !== 'ro') });
      continue;
    }
    out.push(s);
  }
  return out;
}

export function buildMounts(o: MountInput): OciMount[] {
  const seen = new Set<string>();
  const user: OciMount[] = [];
  for (const m of o.mounts) {
    if (!isAbsolute(m.destination)) throw invalid(`mount destination must be absolute: ${m.destination}`);
    const dest = normalize(m.destination).replace(/(.)\/$/, '$1');
    if (dest === '/') throw invalid('cannot mount over /');
    if (seen.has(dest)) throw invalid(`duplicate mount point: ${dest}`);
    seen.add(dest);
    user.push(userMount(m, dest));
  }
  if (o.init !== undefined) {
    if (!isAbsolute(o.init) || !existsSync(o.init)) throw invalid(`init binary not found: ${o.init}`);
    user.push({ destination: INIT_PATH, type: 'bind', source: o.init, options: ['bind', 'ro'] });
    seen.add(INIT_PATH);
  }
  // A caller mount on a standard destination (a bigger /dev/shm) replaces the standard one.
  const std = standard(o).filter((s) => !seen.has(s.destination));
  // Parents before children, as docker sorts them, so /a/b is not hidden by a later /a.
  user.sort((a, b) => depth(a.destination) - depth(b.destination));
  return [...std, ...user];
}

/**
 * The root file system's propagation that binds with shared or slave propagation need, and a
 * check that their sources can propagate at all, as dockerd's setMounts does (its messages):
 * a shared bind needs a shared source mount, a slave one a shared or slave source mount.
 */
export function rootfsPropagation(mounts: SpecMount[], mountinfo = () => readFileSync('/proc/self/mountinfo', 'utf8')): 'rshared' | 'rslave' | undefined {
  let out: 'rshared' | 'rslave' | undefined;
  for (const m of mounts) {
    if (m.type !== 'bind' || !m.source || !m.propagation) continue;
    const shared = m.propagation === 'shared' || m.propagation === 'rshared';
    const slave = m.propagation === 'slave' || m.propagation === 'rslave';
    if (!shared && !slave) continue;
    const src = sourceMount(m.source, mountinfo());
    if (shared && !src.shared) throw invalid(`path ${m.source} is mounted on ${src.point} but it is not a shared mount`);
    if (slave && !src.shared && !src.slave) throw invalid(`path ${m.source} is mounted on ${src.point} but it is not a shared or slave mount`);
    out = shared ? 'rshared' : (out ?? 'rslave');
  }
  return out;
}

/** The mount a path lives on (the longest mount point above it) and its propagation. */
function sourceMount(path: string, mountinfo: string): { point: string; shared: boolean; slave: boolean } {
  let real = path;
  try {
    real = realpathSync(path);
  } catch {
    /* checked when the bind is made */
  }
  let best = { point: '/', shared: false, slave: false };
  for (const line of mountinfo.split('\n')) {
    const f = line.split(' ');
    const dash = f.indexOf('-');
    if (f.length < 7 || dash < 6) continue;
    const point = f[4]!.replace(/\\(\d{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
    const under = point === '/' || real === point || real.startsWith(`${point}/`);
    if (!under || point.length < best.point.length) continue;
    const optional = f.slice(6, dash);
    best = { point, shared: optional.some((o) => o.startsWith('shared:')), slave: optional.some((o) => o.startsWith('master:')) };
  }
  return best;
}
