/**
 * Crash recovery. `runc delete` removes a container's cgroup; when berth (or runc) died before
 * that, the directories stay behind. These find and remove them. Removing is rmdir only: a
 * cgroup with processes still in it is reported busy, never emptied by killing anything.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { CgroupLayout } from './detect.js';
import { type CgroupRef, DEFAULT_PARENT, cgroupsPathFor, distinctDirs, relativeCgroupPath, resolveDirs } from './paths.js';

export interface RemoveReport {
  removed: string[];
  /** Still holding processes (EBUSY): left in place. */
  busy: string[];
}

function subdirs(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
}

/** rmdir `dir` after its child cgroups (a container may have made its own, e.g. systemd inside). */
function removeTree(dir: string, report: RemoveReport): void {
  for (const child of subdirs(dir)) removeTree(join(dir, child), report);
  try {
    rmdirSync(dir);
    report.removed.push(dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return; // already gone: the goal
    if (code === 'EBUSY' || code === 'ENOTEMPTY') {
      report.busy.push(dir);
      return;
    }
    throw e;
  }
}

/**
 * Removes a container's cgroup: its directory in every v1 hierarchy (runc makes one in each,
 * named hierarchies included), or its v2 directory. Missing directories are fine.
 */
export function removeContainerCgroup(layout: CgroupLayout, ref: CgroupRef): RemoveReport {
  const report: RemoveReport = { removed: [], busy: [] };
  const dirs = resolveDirs(layout, ref);
  const all = new Set(distinctDirs(dirs));
  if (typeof ref === 'string' && layout.version === 1) {
    const rel = relativeCgroupPath(ref);
    for (const h of layout.v1Hierarchies) all.add(join(h, rel));
  }
  // A hierarchy root here would mean rmdir'ing every empty cgroup on the host.
  const roots = new Set([layout.root, ...layout.v1Hierarchies, ...Object.values(layout.v1Mounts)].map((d) => join(d, '/')));
  for (const dir of all) if (roots.has(join(dir, '/'))) throw new Error(`refusing to remove the cgroup root ${dir}`);
  for (const dir of all) removeTree(dir, report);
  return report;
}

/** The directories of berth's parent cgroup: one per v1 hierarchy, or one on v2. */
function parentDirs(layout: CgroupLayout, parent: string): string[] {
  const rel = relativeCgroupPath(parent);
  if (layout.version === 2) return [join(layout.root, rel)];
  return layout.v1Hierarchies.map((h) => join(h, rel));
}

/**
 * Child cgroups under berth's parent (the union over v1 hierarchies), i.e. the ids of containers
 * that have or had a cgroup there. The engine compares them with its state to find leftovers.
 */
export function listChildCgroups(layout: CgroupLayout, parent: string = DEFAULT_PARENT): string[] {
  const names = new Set<string>();
  for (const dir of parentDirs(layout, parent)) for (const n of subdirs(dir)) names.add(n);
  return [...names].sort();
}

/**
 * Every container cgroup berth may have made here, by either driver: the children of /berth
 * (cgroupfs) and, on v2, the berth-<id>.scope units in berth's slice (systemd; the
 * berth-conmon-… scopes of the monitors are not containers). For crash cleanup.
 */
export function listContainerCgroups(layout: CgroupLayout): { id: string; cgroupsPath: string }[] {
  const out = listChildCgroups(layout, DEFAULT_PARENT).map((id) => ({ id, cgroupsPath: cgroupsPathFor(id) }));
  if (layout.version === 2) {
    const slice = join(layout.root, dirname(relativeCgroupPath(cgroupsPathFor('x', { driver: 'systemd' }))));
    for (const name of subdirs(slice)) {
      const id = /^berth-([A-Za-z0-9][A-Za-z0-9_.-]*)\.scope$/.exec(name)?.[1];
      if (id && !id.startsWith('conmon-')) out.push({ id, cgroupsPath: cgroupsPathFor(id, { driver: 'systemd' }) });
    }
  }
  return out;
}

/** How long ago the youngest of a container's cgroup directories was made or changed; Infinity when none exists. */
export function cgroupAgeMs(layout: CgroupLayout, ref: CgroupRef, now = Date.now()): number {
  let youngest = Infinity;
  for (const dir of distinctDirs(resolveDirs(layout, ref))) {
    try {
      youngest = Math.min(youngest, now - statSync(dir).mtimeMs);
    } catch {
      /* not in this hierarchy */
    }
  }
  return youngest;
}

/** Whether a cgroup directory still has processes (cgroup.procs not empty). */
export function cgroupHasProcesses(dir: string): boolean {
  try {
    return readFileSync(join(dir, 'cgroup.procs'), 'latin1').trim() !== '';
  } catch {
    return false;
  }
}

/**
 * Makes berth's parent cgroup. runc creates missing parents itself; this is for doing it once
 * up front so a v1 cpuset parent is usable (a new v1 cpuset cgroup starts with empty cpus/mems
 * and refuses tasks) and v2 controllers are delegated to the children.
 */
export function ensureParent(layout: CgroupLayout, parent: string = DEFAULT_PARENT): void {
  const rel = relativeCgroupPath(parent);
  if (layout.version === 2) {
    const dir = join(layout.root, rel);
    mkdirSync(dir, { recursive: true });
    // Enable the controllers we use in each ancestor's subtree_control, top down (v2's rule:
    // a controller is usable in a cgroup only when its parent delegates it).
    const wanted = ['cpu', 'memory', 'pids', 'io', 'cpuset'].filter((c) => layout.controllers.includes(c));
    const chain: string[] = [];
    for (let d = dir; d.startsWith(layout.root) && d !== layout.root; d = dirname(d)) chain.unshift(d);
    for (const d of [layout.root, ...chain]) {
      const ctl = join(d, 'cgroup.subtree_control');
      if (!existsSync(ctl)) continue;
      const have = readFileSync(ctl, 'latin1').split(/\s+/);
      const missing = wanted.filter((c) => !have.includes(c));
      if (missing.length) writeFileSync(ctl, missing.map((c) => `+${c}`).join(' '));
    }
    return;
  }
  for (const h of layout.v1Hierarchies) mkdirSync(join(h, rel), { recursive: true });
  const cpuset = layout.v1Mounts['cpuset'];
  if (cpuset) {
    // Copy cpus/mems down from the nearest non-empty ancestor, top down.
    const chain: string[] = [];
    for (let d = join(cpuset, rel); d.startsWith(cpuset) && d !== cpuset; d = dirname(d)) chain.unshift(d);
    let prev = cpuset;
    for (const d of chain) {
      for (const f of ['cpuset.cpus', 'cpuset.mems']) {
        const mine = join(d, f);
        if (!existsSync(mine) || readFileSync(mine, 'latin1').trim() !== '') continue;
        writeFileSync(mine, readFileSync(join(prev, f), 'latin1').trim());
      }
      prev = d;
    }
  }
}
