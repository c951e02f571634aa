/**
 * Reading a build state's filesystem without mounting it (its layers' directories, top down:
 * a path's metadata, a small file's text, --chown's names), and mounting it when COPY --from
 * needs a whole tree.
 */
import { execFile } from 'node:child_process';
import { lstatSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { invalid } from '../errors.js';
import type { Staging } from '../image/staging.js';
import type { ImageStore } from '../image/store.js';
import type { Layer, State } from './build-state.js';

const run = promisify(execFile);

/** A path's metadata in the state's filesystem, read from its layers top down. */
export function statIn(store: ImageStore, state: State, abs: string): { isDir: boolean; mode: number; uid: number; gid: number; mtime: Date } | undefined {
  const parts = abs.split('/').filter(Boolean);
  for (let i = state.layers.length - 1; i >= 0; i--) {
    const root = store.diffDir(state.layers[i]!.diffId);
    let cur = root;
    let ok = true;
    for (let j = 0; j < parts.length; j++) {
      cur = join(cur, parts[j]!);
      let st;
      try {
        st = lstatSync(cur);
      } catch {
        ok = false;
        break;
      }
      if (st.isCharacterDevice() && st.rdev === 0) return undefined; // whiteout
      if (j === parts.length - 1) return { isDir: st.isDirectory(), mode: st.mode & 0o7777, uid: st.uid, gid: st.gid, mtime: st.mtime };
      if (!st.isDirectory()) {
        ok = false;
        break;
      }
    }
    if (!ok) continue;
    if (parts.length === 0) return { isDir: true, mode: 0o755, uid: 0, gid: 0, mtime: new Date(0) };
  }
  return undefined;
}

/** A regular file's text in the state's filesystem (the topmost layer that has the path). */
export function fileIn(store: ImageStore, state: State, abs: string): string | undefined {
  for (let i = state.layers.length - 1; i >= 0; i--) {
    const p = join(store.diffDir(state.layers[i]!.diffId), abs);
    try {
      const st = lstatSync(p);
      if (st.isFile()) return readFileSync(p, 'utf8');
      return undefined;
    } catch {
      /* next layer */
    }
  }
  return undefined;
}

/** --chown's user and group as ids, names looked up in the state's /etc/passwd and /etc/group. */
export function chownIds(store: ImageStore, state: State, chown: string | undefined, line: number): { uid: number; gid: number } {
  if (!chown) return { uid: 0, gid: 0 };
  const [u, g] = chown.split(':');
  const lookup = (name: string, file: string): number => {
    if (/^\d+$/.test(name)) return Number(name);
    const row = (fileIn(store, state, file) ?? '').split('\n').find((l) => l.split(':')[0] === name);
    if (!row)
      throw invalid(
        `Dockerfile line ${line}: unable to convert uid/gid chown string to host mapping: can't find ${file === '/etc/passwd' ? 'uid' : 'gid'} for ${file === '/etc/passwd' ? 'user' : 'group'} ${name}`,
      );
    return Number(row.split(':')[2]);
  };
  const uid = lookup(u!, '/etc/passwd');
  let gid = uid;
  if (g) gid = lookup(g, '/etc/group');
  else if (!/^\d+$/.test(u!))
    gid = Number(((fileIn(store, state, '/etc/passwd') ?? '').split('\n').find((l) => l.split(':')[0] === u) ?? '').split(':')[3] ?? uid);
  return { uid, gid };
}

/** Layers mounted read-only (overlay) under the staging dir: the source of COPY --from. */
export async function mountImage(store: ImageStore, layers: Layer[], stage: Staging): Promise<{ dir: string; release: () => Promise<void> }> {
  const dir = stage.file('from-mnt');
  const empty = stage.file('from-empty');
  mkdirSync(dir);
  mkdirSync(empty);
  const lowers = layers.map((l) => store.diffDir(l.diffId)).reverse();
  if (lowers.length < 2) lowers.push(empty);
  try {
    await run('mount', ['-t', 'overlay', 'overlay', '-o', `ro,lowerdir=${lowers.join(':')}`, dir]);
  } catch (e) {
    throw invalid(`cannot mount the source image: ${(e as { stderr?: string }).stderr?.trim() ?? (e as Error).message}`);
  }
  return {
    dir,
    release: () =>
      run('umount', [dir]).then(
        () => undefined,
        () => undefined,
      ),
  };
}
