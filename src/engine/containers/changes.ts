/**
 * `docker diff`: the container's changes against its image, read from the overlay upper dir
 * as moby's archive.OverlayChanges reads it — a 0/0 char device is a deleted path, an opaque
 * directory that existed below was deleted (and re-made), anything else is changed when a
 * lower layer has the path and added when none has; a directory whose mode, size and mtime
 * match the one below is not a change by itself, and the parent of an addition or deletion
 * is reported changed. The order is moby's: the walk's (names sorted, parents first).
 *
 * Docker keeps the mount points runc needs (/etc/hosts, /proc, …) in an init layer below the
 * container's; runc makes berth's in the upper dir, so those (empty, made for a mount of the
 * container's config that is not one of the user's) are left out, and so is the mtime change
 * they alone caused in their directory.
 */
import { existsSync, lstatSync, readdirSync, readFileSync, statSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import type { ContainerChange } from '../api.js';
import { isOpaque } from '../fs/whiteout.js';
import type { ContainerContext } from './context.js';
import type { Container } from './records.js';

const MODIFY = 0;
const ADD = 1;
const DELETE = 2;

/** Mount targets runc made in the upper dir for the engine's own mounts (not the user's). */
function engineMountTargets(ctx: ContainerContext, c: Container): Set<string> {
  const out = new Set(['/etc/hostname', '/etc/hosts', '/etc/resolv.conf', '/proc', '/sys', '/dev', '/dev/shm', '/dev/pts', '/dev/mqueue', '/sys/fs/cgroup']);
  try {
    const cfg = JSON.parse(readFileSync(join(ctx.dir(c.id), 'config.json'), 'utf8')) as { mounts?: { destination?: string }[] };
    for (const m of cfg.mounts ?? []) if (typeof m.destination === 'string') out.add(m.destination);
  } catch {
    /* never started: no config yet, the defaults above */
  }
  for (const m of c.spec.mounts) out.delete(m.target);
  return out;
}

function isStub(st: Stats, abs: string): boolean {
  if (st.isFile()) return st.size === 0;
  if (st.isDirectory()) return readdirSync(abs).length === 0;
  return false;
}

export function containerChanges(ctx: ContainerContext, c: Container): ContainerChange[] {
  const upper = ctx.rootfs(c.id).upper;
  if (!existsSync(upper)) return [];
  const lowers = [ctx.rootfs(c.id).init, ...ctx.store.layersOf(c.image_id).map((d) => ctx.store.diffDir(d)).reverse()];
  const stubs = engineMountTargets(ctx, c);
  const below = (path: string): Stats | undefined => {
    for (const l of lowers) {
      // os.Stat in moby: links followed
      try {
        return statSync(join(l, path));
      } catch {
        /* not in this layer */
      }
    }
    return undefined;
  };
  const out: ContainerChange[] = [];
  const changedDirs = new Set<string>();
  const isEngineStub = (path: string, st: Stats, abs: string) => stubs.has(path) && !below(path) && isStub(st, abs);

  const walk = (dir: string, rel: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const abs = join(dir, name);
      const path = `${rel}/${name}`;
      const st = lstatSync(abs);
      if (isEngineStub(path, st, abs)) continue;
      let kind: number;
      if (st.isCharacterDevice() && st.rdev === 0) kind = DELETE;
      else if (st.isDirectory() && isOpaque(abs) && below(path)) kind = DELETE;
      else {
        kind = ADD;
        const low = below(path);
        if (low) {
          kind = MODIFY;
          if (low.isDirectory() && st.isDirectory()) {
            const onlyStubs = readdirSync(abs).every((n) => {
              const p = `${path}/${n}`;
              const a = join(abs, n);
              return isEngineStub(p, lstatSync(a), a);
            });
            const same = (st.mode === low.mode && Math.floor(st.mtimeMs / 1000) === Math.floor(low.mtimeMs / 1000)) || (st.mode === low.mode && onlyStubs);
            if (same) {
              walk(abs, path);
              continue;
            }
          }
        }
      }
      if (st.isDirectory()) changedDirs.add(path);
      if (kind !== MODIFY) {
        const parent = rel || '/';
        if (!changedDirs.has(parent) && parent !== '/') {
          out.push({ path: parent, kind: MODIFY });
          changedDirs.add(parent);
        }
      }
      out.push({ path, kind: kind as ContainerChange['kind'] });
      if (st.isDirectory()) walk(abs, path);
    }
  };
  walk(upper, '');
  return out;
}
