/**
 * Joining an archive member's path under a root without ever leaving it: `..` is refused, and
 * so is a symlinked parent (layer extraction). Following links the way a container does is
 * scoped-path.ts.
 */
import { lstatSync } from 'node:fs';
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
