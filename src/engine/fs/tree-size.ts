/**
 * The bytes of the files under a directory, as docker counts a container's writable layer
 * (SizeRw): every entry but directories, by lstat size, a hard-linked inode once. A missing
 * directory (a container never started) is 0.
 */
import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export function treeSize(dir: string): number {
  const seen = new Set<string>();
  let total = 0;
  const walk = (d: string): void => {
    let names: string[];
    try {
      names = readdirSync(d);
    } catch {
      return; // gone meanwhile, or not a directory
    }
    for (const n of names) {
      const p = join(d, n);
      const st = lstatSync(p, { throwIfNoEntry: false });
      if (!st) continue;
      if (st.isDirectory()) {
        walk(p);
        continue;
      }
      if (st.nlink > 1) {
        const key = `${st.dev}:${st.ino}`;
        if (seen.has(key)) continue;
        seen.add(key);
      }
      total += st.size;
    }
  };
  walk(dir);
  return total;
}
