/**
 * Resolving a path as a process inside a container would: one component at a time, symlinks
 * followed relative to the container's root (an absolute link starts again at its "/", ".."
 * stops there), never out of it. An image's /etc/passwd may be a symlink to /etc/shadow, a
 * container's /data a link to "/": read naively, both would reach the host's files.
 * `toHost` maps a container path to where it lives on the host — the rootfs, or the mount
 * that holds it (so a link into a volume reaches the volume).
 */
import { lstatSync, readlinkSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { invalid } from '../errors.js';
import { bytesPath, fromBytes } from '../tar/bytes-path.js';

const MAX_LINKS = 40; // the kernel's ELOOP limit

export function resolveScoped(path: string, toHost: (containerPath: string) => string, followLast = true, bytes = false): string {
  return toHost(resolveInside(path, toHost, followLast, bytes));
}

/**
 * The same resolution, answering the path as the container sees it ("/usr/bin" for "/bin").
 * `bytes`: `path` and what `toHost` returns are byte strings (tar/bytes-path.ts, as the tar
 * applier uses them), looked up and read as bytes — else a link with a non-ASCII name would be
 * looked up under another name, taken for missing, and written through by the caller.
 */
export function resolveInside(path: string, toHost: (containerPath: string) => string, followLast = true, bytes = false): string {
  let pending = posix.normalize(`/${path}`).split('/').filter(Boolean);
  const done: string[] = [];
  let links = 0;
  while (pending.length > 0) {
    const part = pending.shift()!;
    if (part === '.') continue;
    if (part === '..') {
      done.pop(); // '..' at the root stays at the root, as in the container
      continue;
    }
    const host = toHost(`/${[...done, part].join('/')}`);
    const fsPath = bytes ? bytesPath(host) : host;
    let isLink = false;
    try {
      isLink = lstatSync(fsPath).isSymbolicLink();
    } catch {
      // missing: the rest is looked up as given
    }
    if (isLink && (followLast || pending.length > 0)) {
      if (++links > MAX_LINKS) throw invalid(`too many levels of symbolic links: ${path}`);
      const target = bytes ? fromBytes(readlinkSync(fsPath, { encoding: 'buffer' })) : readlinkSync(host);
      if (target.startsWith('/')) done.length = 0;
      pending = [...target.split('/').filter(Boolean), ...pending];
      continue;
    }
    done.push(part);
  }
  return `/${done.join('/')}`;
}

/** The host path of `path` inside the rootfs `root`; it may not exist. */
export function scopedPath(root: string, path: string): string {
  return resolveScoped(path, (p) => join(root, p));
}

/** A file inside the rootfs as text, or undefined when missing. */
export function readScoped(root: string, path: string): string | undefined {
  try {
    return readFileSync(scopedPath(root, path), 'utf8');
  } catch {
    return undefined;
  }
}
