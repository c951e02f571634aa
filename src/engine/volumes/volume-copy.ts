/**
 * `cp` inside a volume: the same archive code as a container's copyFrom/copyTo (packStream,
 * ApplyStream, scoped-path.ts), with the volume's top as the root. Paths resolve as they would
 * in a container that mounts the volume at "/": symlinks followed but re-rooted at the volume
 * (an absolute link starts again at its top, ".." stops there), so a link such as
 * `data/link -> /etc` leads to the volume's own etc, never the host's, on the way in or out.
 */
import { existsSync, lstatSync, readlinkSync, statSync } from 'node:fs';
import { basename, join, posix } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PathStat } from '../api.js';
import { invalid, notFound } from '../errors.js';
import { ApplyStream } from '../fs/apply-tar.js';
import { packStream } from '../fs/pack-tree.js';
import { resolveScoped } from '../fs/scoped-path.js';
import { toBytes } from '../tar/bytes-path.js';

/** A trailing "/" (or "/.") asks for what a link as the last element points to, as in docker. */
const followsLast = (path: string) => path.endsWith('/') || path.endsWith('/.');

/** The host path of `path` in the volume rooted at `root`, resolved inside it. */
const inVolume = (root: string, path: string, followLast: boolean) => resolveScoped(path, (p) => join(root, p), followLast);

/** As containers' statOf (copy.ts): lstat, a link described with its target. */
function statOf(p: string, name: string): PathStat {
  const st = lstatSync(p);
  const link = st.isSymbolicLink() ? readlinkSync(p) : '';
  return { name, size: st.size, mode: st.mode, mtime: st.mtime.toISOString(), isDir: st.isDirectory(), linkTarget: link };
}

const missing = (path: string, volume: string) => notFound(`Could not find the file ${path} in volume ${volume}`);

/** What `path` is, a link as the last element described rather than followed (docker's archive HEAD). */
export function statInVolume(root: string, volume: string, path: string): PathStat {
  const p = inVolume(root, path, followsLast(path));
  if (!lstatSync(p, { throwIfNoEntry: false })) throw missing(path, volume);
  return statOf(p, basename(path.replace(/\/\.?$/, '')) || '/');
}

/** A tar of `path`: "/." gives a directory's contents, a link as the last element is the link. */
export function copyFromVolume(root: string, volume: string, path: string): { stream: Readable; stat: PathStat } {
  const p = inVolume(root, path.replace(/\/\.$/, '') || '/', followsLast(path));
  if (!lstatSync(p, { throwIfNoEntry: false })) throw missing(path, volume);
  const stat = statOf(p, basename(path.replace(/\/\.?$/, '')) || '/');
  return { stream: packStream(p, { as: stat.name === '/' ? '' : stat.name }), stat };
}

/**
 * Applies a tar stream at directory `path` of the volume. Each entry's directory resolves
 * inside the volume (a link in the volume, or one the archive itself makes, never leads out);
 * the applier refuses entries that climb out with "..", and replaces a link in the way rather
 * than writing through it. Files belong to root unless `copyUIDGID` (docker's cp -a).
 */
export async function copyToVolume(root: string, volume: string, path: string, tar: Readable, opts: { copyUIDGID?: boolean } = {}): Promise<void> {
  const dir = inVolume(root, path, true);
  if (!existsSync(dir)) throw missing(path, volume);
  if (!statSync(dir).isDirectory()) throw invalid(`extraction point is not a directory: ${path}`);
  // The applier speaks byte strings (tar/bytes-path.ts): so does the resolver it is given, and
  // it looks names up as bytes (a link named "café" is followed inside the volume too).
  const bytesRoot = toBytes(root);
  const resolveDir = (rel: string) => (rel ? resolveScoped(posix.join(toBytes(path), rel), (p) => join(bytesRoot, p), true, true) : toBytes(dir));
  const owner = opts.copyUIDGID ? undefined : { uid: 0, gid: 0 };
  await pipeline(tar, new ApplyStream(dir, { what: 'refused to copy', resolveDir, ...(owner ? { owner } : {}) }));
}
