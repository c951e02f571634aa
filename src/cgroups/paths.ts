/**
 * Where a container's cgroup lives. runc makes the cgroup itself from the OCI config's
 * `linux.cgroupsPath`; berth only needs to name it, and later find the directories again to
 * read stats and to clean up after a crash.
 */
import { join } from 'node:path';
import type { CgroupLayout } from './detect.js';

export type CgroupDriver = 'cgroupfs' | 'systemd';

/** berth's parent: a cgroupfs path, or a systemd slice for the systemd driver. */
export const DEFAULT_PARENT = '/berth';
export const DEFAULT_SLICE = 'machine.slice';
/** systemd scope prefix, as podman uses "libpod" (scope "berth-<id>.scope"). */
export const SCOPE_PREFIX = 'berth';

/** A container's cgroup directories: one per v1 hierarchy, or the single v2 directory. */
export type CgroupDirs = { version: 1; byController: Record<string, string> } | { version: 2; dir: string };

/** Either a cgroupsPath (as given to runc) or directories already resolved. */
export type CgroupRef = string | CgroupDirs;

/**
 * The `linux.cgroupsPath` to give runc for a container.
 * cgroupfs: "/berth/<id>" (absolute: relative to each hierarchy's root, not to runc's own cgroup).
 * systemd:  "machine.slice:berth:<id>" (runc's slice:prefix:name form → berth-<id>.scope).
 */
export function cgroupsPathFor(id: string, opts: { driver?: CgroupDriver; parent?: string } = {}): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(id)) throw new Error(`invalid container id for a cgroup: ${JSON.stringify(id)}`);
  if ((opts.driver ?? 'cgroupfs') === 'systemd') {
    const slice = opts.parent ?? DEFAULT_SLICE;
    if (!slice.endsWith('.slice')) throw new Error(`systemd cgroup parent must be a slice, got ${JSON.stringify(slice)}`);
    return `${slice}:${SCOPE_PREFIX}:${id}`;
  }
  const parent = opts.parent ?? DEFAULT_PARENT;
  return `${parent.startsWith('/') ? '' : '/'}${parent.replace(/\/+$/, '')}/${id}`;
}

/** runc's systemd form "slice:prefix:name" (as opposed to a cgroupfs path). */
const SYSTEMD_PATH = /^([^:/]*\.slice):([^:]*):([^:]+)$/;

/** The driver a cgroupsPath was made for: each container keeps the one it was created with. */
export function driverOf(cgroupsPath: string): CgroupDriver {
  return SYSTEMD_PATH.test(cgroupsPath) ? 'systemd' : 'cgroupfs';
}

/** The transient scope runc makes for a container under the systemd driver. */
export function scopeUnitFor(id: string): string {
  return `${SCOPE_PREFIX}-${id}.scope`;
}

/** systemd's slice naming: "a-b.slice" lives at "a.slice/a-b.slice". */
function expandSlice(slice: string): string {
  if (slice === '-.slice') return '';
  const base = slice.slice(0, -'.slice'.length);
  const parts = base.split('-');
  const out: string[] = [];
  for (let i = 1; i <= parts.length; i++) out.push(`${parts.slice(0, i).join('-')}.slice`);
  return out.join('/');
}

/** The cgroupsPath as a path relative to a hierarchy root ("/berth/<id>", "/machine.slice/berth-<id>.scope"). */
export function relativeCgroupPath(cgroupsPath: string): string {
  const m = SYSTEMD_PATH.exec(cgroupsPath);
  if (m) {
    const [, slice = '', prefix = '', name = ''] = m;
    return `/${join(expandSlice(slice), `${prefix ? `${prefix}-` : ''}${name}.scope`)}`;
  }
  return cgroupsPath.startsWith('/') ? cgroupsPath : `/${cgroupsPath}`;
}

/** A container's directories for a cgroupsPath: every v1 hierarchy, or the one v2 directory. */
export function containerDirs(layout: CgroupLayout, cgroupsPath: string): CgroupDirs {
  const rel = relativeCgroupPath(cgroupsPath);
  if (layout.version === 2) return { version: 2, dir: join(layout.root, rel) };
  const byController: Record<string, string> = {};
  for (const [ctrl, mount] of Object.entries(layout.v1Mounts)) byController[ctrl] = join(mount, rel);
  return { version: 1, byController };
}

export function resolveDirs(layout: CgroupLayout, ref: CgroupRef): CgroupDirs {
  return typeof ref === 'string' ? containerDirs(layout, ref) : ref;
}

/** Each distinct directory once (co-mounted v1 controllers share one). */
export function distinctDirs(dirs: CgroupDirs): string[] {
  return dirs.version === 2 ? [dirs.dir] : [...new Set(Object.values(dirs.byController))];
}
