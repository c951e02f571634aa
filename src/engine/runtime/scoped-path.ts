/**
 * Resolves a path inside a rootfs the way the container would see it: symlinks are followed, but
 * relative to the rootfs, never out of it. An image's /etc/passwd may be a symlink to anything
 * (say /etc/shadow on the host); reading it naively would read the host's file.
 */
import { lstatSync, readlinkSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const MAX_LINKS = 40; // as the kernel's ELOOP limit

/** The host path of `path` inside `root`; it may not exist. */
export function scopedPath(root: string, path: string): string {
  let pending = path.split('/').filter(Boolean);
  const done: string[] = [];
  let links = 0;
  while (pending.length > 0) {
    const part = pending.shift()!;
    if (part === '.') continue;
    if (part === '..') {
      done.pop(); // '..' at the root stays at the root, as in the container
      continue;
    }
    const host = join(root, ...done, part);
    let isLink = false;
    try {
      isLink = lstatSync(host).isSymbolicLink();
    } catch {
      // does not exist: the rest cannot be a link either
    }
    if (!isLink) {
      done.push(part);
      continue;
    }
    if (++links > MAX_LINKS) throw new Error(`too many symlinks resolving ${path}`);
    const target = readlinkSync(host);
    if (target.startsWith('/')) done.length = 0;
    pending = [...target.split('/').filter(Boolean), ...pending];
  }
  return join(root, ...done);
}

/** A file inside the rootfs as text, or undefined when missing. */
export function readScoped(root: string, path: string): string | undefined {
  try {
    return readFileSync(scopedPath(root, path), 'utf8');
  } catch {
    return undefined;
  }
}
