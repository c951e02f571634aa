/**
 * Resolving a path inside a root without ever leaving it: `..` and absolute components are
 * refused, and symlinks met on the way are either refused (layer extraction) or followed as the
 * container would see them, re-rooted at `root` (docker cp semantics).
 */
import { lstatSync, readlinkSync } from 'node:fs';
import { join, posix } from 'node:path';
import { invalid } from '../errors.js';

/** Joins `rel` under `root`, refusing `..`, absolute paths and symlinked parents. */
export function joinNoSymlinks(root: string, rel: string): string {
  const clean = posix.normalize(`/${rel}`).slice(1);
  if (rel.split('/').includes('..') || clean.startsWith('..')) throw invalid(`path escapes its root: ${rel}`);
  const parts = clean.split('/').filter(Boolean);
  let cur = root;
  for (let i = 0; i < parts.length; i++) {
    // every component but the last must not be a symlink; the last is checked by the caller's use
    cur = join(cur, parts[i]!);
    try {
      if (i < parts.length - 1 && lstatSync(cur).isSymbolicLink()) throw invalid(`path goes through a symlink: ${rel}`);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') break;
      throw e;
    }
  }
  return join(root, ...parts);
}

/**
 * Resolves `path` as a process chrooted at `root` would, following symlinks (absolute ones
 * re-rooted), so the result is always inside `root`. The last component is followed too unless
 * `followLast` is false. At most 255 links, like the kernel's limit on a lookup.
 */
export function resolveInRoot(root: string, path: string, followLast = true): string {
  let pending = posix.normalize(`/${path}`).split('/').filter(Boolean);
  const done: string[] = [];
  let links = 0;
  while (pending.length > 0) {
    const part = pending.shift()!;
    if (part === '.') continue;
    if (part === '..') {
      done.pop();
      continue;
    }
    const candidate = join(root, ...done, part);
    let isLink = false;
    try {
      isLink = lstatSync(candidate).isSymbolicLink();
    } catch {
      isLink = false;
    }
    if (isLink && (followLast || pending.length > 0)) {
      if (++links > 255) throw invalid(`too many levels of symbolic links: ${path}`);
      const target = readlinkSync(candidate);
      const targetParts = target.split('/').filter(Boolean);
      if (target.startsWith('/')) done.length = 0;
      pending = [...targetParts, ...pending];
      continue;
    }
    done.push(part);
  }
  return join(root, ...done);
}
