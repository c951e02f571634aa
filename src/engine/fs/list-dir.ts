/**
 * A directory listing inside a root (a container's filesystem, a volume), read from the host
 * side: no process runs in the container, so images without `ls` (distroless, scratch) list too.
 * The directory is resolved with the resolver `cp` uses (scoped-path.ts): links followed inside
 * the root, never out of it; each entry is described as lstat sees it, a link's target resolved
 * the same way to tell whether it leads to a directory.
 */
import { lstatSync, readdirSync, readlinkSync, statSync, type Stats } from 'node:fs';
import { posix } from 'node:path';
import type { DirEntry } from '../api.js';
import { invalid, notFound } from '../errors.js';
import { resolveInside, resolveScoped } from './scoped-path.js';

function typeOf(st: Stats): DirEntry['type'] {
  if (st.isDirectory()) return 'dir';
  if (st.isSymbolicLink()) return 'symlink';
  if (st.isFIFO()) return 'fifo';
  if (st.isSocket()) return 'socket';
  if (st.isCharacterDevice()) return 'char-device';
  if (st.isBlockDevice()) return 'block-device';
  return 'file';
}

/**
 * The entries of `path` inside the root that `toHost` maps (a container path → where it lives on
 * the host), sorted by name. `what` names the root in errors ("container web").
 */
export function listScoped(path: string, toHost: (containerPath: string) => string, what: string): DirEntry[] {
  const dir = resolveInside(path, toHost, true);
  const host = toHost(dir);
  const st = lstatSync(host, { throwIfNoEntry: false });
  if (!st) throw notFound(`Could not find the file ${path} in ${what}`);
  if (!st.isDirectory()) throw invalid(`not a directory: ${path} in ${what}`);
  const out: DirEntry[] = [];
  for (const name of readdirSync(host).sort()) {
    const inside = posix.join(dir, name);
    let e: Stats;
    try {
      e = lstatSync(toHost(inside));
    } catch {
      continue; // removed while listing
    }
    const type = typeOf(e);
    let linkTarget = '';
    let targetIsDir = false;
    if (type === 'symlink') {
      try {
        linkTarget = readlinkSync(toHost(inside));
        targetIsDir = statSync(resolveScoped(inside, toHost, true)).isDirectory();
      } catch {
        // dangling, or a loop: listed as the link it is
      }
    }
    out.push({ name, type, mode: e.mode, size: e.size, mtime: e.mtime.toISOString(), linkTarget, targetIsDir });
  }
  return out;
}
