/**
 * `docker diff`: the container's changes against its image, read from the overlay upper dir
 * with the meaning dockerd gives them on kernels like these, whose overlayfs makes it compare
 * the container's tree with its image's (archive.ChangesDirs, "naive diff"): a path the image
 * has is changed (C), one it lacks added (A), a 0/0 char device deleted (D); a directory
 * removed and made again (opaque) is changed, and what the image had in it deleted; every
 * directory above a change is changed too. A directory the image has whose mode, owner and
 * mtime are unchanged is not a change by itself. dockerd's order is a Go map's (random);
 * berth sorts by path, parents first.
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
  const lowers = [
    ctx.rootfs(c.id).init,
    ...ctx.store
      .layersOf(c.image_id)
      .map((d) => ctx.store.diffDir(d))
      .reverse(),
  ];
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
  const found = new Map<string, number>();
  const isEngineStub = (path: string, st: Stats, abs: string) => stubs.has(path) && !below(path) && isStub(st, abs);
  /** What the image has in a directory (the union of the lower layers, whiteouts aside). */
  const lowerNames = (path: string): string[] => {
    const names = new Set<string>();
    for (const l of lowers) {
      try {
        for (const n of readdirSync(join(l, path))) names.add(n);
      } catch {
        /* not a directory here */
      }
    }
    return [...names].filter((n) => {
      const st = below(`${path}/${n}`);
      return st !== undefined && !(st.isCharacterDevice() && st.rdev === 0);
    });
  };

  const walk = (dir: string, rel: string): void => {
    for (const name of readdirSync(dir)) {
      const abs = join(dir, name);
      const path = `${rel}/${name}`;
      const st = lstatSync(abs);
      if (isEngineStub(path, st, abs)) continue;
      const low = below(path);
      if (st.isCharacterDevice() && st.rdev === 0) {
        if (low) found.set(path, DELETE);
        continue;
      }
      if (!low) {
        found.set(path, ADD);
      } else if (st.isDirectory() && low.isDirectory() && isOpaque(abs)) {
        found.set(path, MODIFY);
        const kept = new Set(readdirSync(abs));
        for (const n of lowerNames(path)) if (!kept.has(n)) found.set(`${path}/${n}`, DELETE);
      } else if (st.isDirectory() && low.isDirectory()) {
        const onlyStubs = readdirSync(abs).every((n) => {
          const a = join(abs, n);
          return isEngineStub(`${path}/${n}`, lstatSync(a), a);
        });
        const same =
          st.mode === low.mode && st.uid === low.uid && st.gid === low.gid && (onlyStubs || Math.floor(st.mtimeMs / 1000) === Math.floor(low.mtimeMs / 1000));
        if (!same) found.set(path, MODIFY);
      } else {
        found.set(path, MODIFY);
      }
      if (st.isDirectory()) walk(abs, path);
    }
  };
  walk(upper, '');
  // every directory above a change is changed (unless it was added)
  for (const p of [...found.keys()]) {
    for (let i = p.lastIndexOf('/'); i > 0; i = p.lastIndexOf('/', i - 1)) {
      const parent = p.slice(0, i);
      if (!found.has(parent)) found.set(parent, MODIFY);
    }
  }
  return [...found].sort(([a], [b]) => byPath(a, b)).map(([path, kind]) => ({ path, kind: kind as ContainerChange['kind'] }));
}

/** Component by component, so a directory comes right before what is in it. */
function byPath(a: string, b: string): number {
  const x = a.split('/');
  const y = b.split('/');
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1;
  return x.length - y.length;
}
