/**
 * Which cgroup layout the host has. Detected once at startup from the file tree (not from
 * /proc/mounts) so tests can point `root` at a recorded tree.
 *
 *  - v2:     <root>/cgroup.controllers exists (pure unified hierarchy; most hosts today).
 *  - hybrid: v1 controllers, plus a cgroup2 mount at <root>/unified (systemd's hybrid mode);
 *            berth uses the v1 controllers, exactly as runc does.
 *  - v1:     v1 controllers only.
 */
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const DEFAULT_CGROUP_ROOT = '/sys/fs/cgroup';

export type CgroupMode = 'v1' | 'hybrid' | 'v2';

export interface CgroupLayout {
  /** The version limits and stats use: hybrid hosts are version 1 for containers. */
  version: 1 | 2;
  mode: CgroupMode;
  root: string;
  /** Controllers available: v2 from cgroup.controllers, v1 from the mounted hierarchies. */
  controllers: string[];
  /** v1 only: controller name → its hierarchy's mount directory (co-mounts map twice). */
  v1Mounts: Record<string, string>;
  /** v1 only: every hierarchy directory once (named ones like name=systemd included): runc
   *  makes a container's cgroup in all of them, so cleanup must visit all of them. */
  v1Hierarchies: string[];
  /** hybrid only: the cgroup2 mount. */
  unified?: string;
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

export function detectCgroups(root: string = DEFAULT_CGROUP_ROOT): CgroupLayout {
  const controllersFile = join(root, 'cgroup.controllers');
  if (existsSync(controllersFile)) {
    const controllers = readFileSync(controllersFile, 'utf8').split(/\s+/).filter(Boolean);
    return { version: 2, mode: 'v2', root, controllers, v1Mounts: {}, v1Hierarchies: [] };
  }

  const v1Mounts: Record<string, string> = {};
  const v1Hierarchies: string[] = [];
  const seen = new Set<string>();
  let entries: string[] = [];
  try {
    entries = readdirSync(root).sort();
  } catch {
    // No cgroup tree at all (e.g. a minimal container): an empty v1 layout; limits still
    // produce OCI config, the sampler simply finds nothing.
  }
  let unified: string | undefined;
  for (const name of entries) {
    const dir = join(root, name);
    if (!isDir(dir)) continue;
    if (existsSync(join(dir, 'cgroup.controllers'))) {
      unified = dir; // the hybrid cgroup2 mount (usually "unified")
      continue;
    }
    // A v1 hierarchy root always has cgroup.procs; anything else is not a hierarchy.
    if (!existsSync(join(dir, 'cgroup.procs'))) continue;
    // Distros symlink cpu → cpu,cpuacct: visit each real hierarchy once.
    let real = dir;
    try {
      real = realpathSync(dir);
    } catch {
      /* keep dir */
    }
    if (!seen.has(real)) {
      seen.add(real);
      v1Hierarchies.push(dir);
    }
    for (const c of name.split(',')) {
      // Named hierarchies ("systemd" is mounted as name=systemd) carry no controller files.
      const key = c === 'systemd' ? 'name=systemd' : c;
      if (!(key in v1Mounts) || name === c) v1Mounts[key] = dir;
    }
  }
  const controllers = Object.keys(v1Mounts)
    .filter((c) => !c.startsWith('name='))
    .sort();
  const layout: CgroupLayout = {
    version: 1,
    mode: unified ? 'hybrid' : 'v1',
    root,
    controllers,
    v1Mounts,
    v1Hierarchies,
  };
  if (unified) layout.unified = unified;
  return layout;
}
