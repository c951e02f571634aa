/**
 * A container's root filesystem: an overlay of its image's layer diffs (lowerdirs, shared and
 * read-only) under its own upper and work dirs. Node cannot mount, so mount(8)/umount(8) do it;
 * lowerdirs are given relative to the layers dir (the mount runs there) so that long layer
 * chains fit in the kernel's one-page option limit.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { runtimeError } from '../errors.js';
import { hexOf } from '../image/digest.js';

const run = promisify(execFile);

export interface RootfsDirs {
  dir: string; // <root>/containers/<id>
  upper: string;
  work: string;
  merged: string;
  /** An empty dir stands in for an image without layers (overlay needs one lowerdir). */
  empty: string;
}

export function rootfsDirs(containersDir: string, id: string): RootfsDirs {
  const dir = join(containersDir, id);
  return { dir, upper: join(dir, 'upper'), work: join(dir, 'work'), merged: join(dir, 'merged'), empty: join(dir, 'empty') };
}

export function isMounted(path: string): boolean {
  try {
    return readFileSync('/proc/self/mountinfo', 'utf8').split('\n').some((l) => l.split(' ')[4] === path);
  } catch {
    return false;
  }
}

export async function mountRootfs(d: RootfsDirs, layersDir: string, diffIds: string[]): Promise<void> {
  for (const p of [d.upper, d.work, d.merged, d.empty]) mkdirSync(p, { recursive: true });
  if (isMounted(d.merged)) return;
  // overlay wants the topmost layer first
  const lower = diffIds.length ? diffIds.map((x) => `${hexOf(x)}/diff`).reverse().join(':') : d.empty;
  const opts = `lowerdir=${lower},upperdir=${d.upper},workdir=${d.work}`;
  try {
    await run('mount', ['-t', 'overlay', 'overlay', '-o', opts, d.merged], { cwd: layersDir });
  } catch (e) {
    throw runtimeError(`cannot mount the container's root filesystem: ${(e as { stderr?: string }).stderr?.trim() || (e as Error).message}`, e);
  }
}

export async function unmountRootfs(d: RootfsDirs): Promise<void> {
  if (!existsSync(d.merged) || !isMounted(d.merged)) return;
  try {
    await run('umount', [d.merged]);
  } catch (e) {
    // Another cleanup of the same container (conmon's exit command and a listing's sync run
    // concurrently) got there first: the goal is reached.
    if (!isMounted(d.merged)) return;
    // Busy (a `cp` in flight): detach lazily so nothing stays pinned.
    try {
      await run('umount', ['-l', d.merged]);
    } catch {
      if (!isMounted(d.merged)) return;
      throw runtimeError(`cannot unmount ${d.merged}: ${(e as Error).message}`, e);
    }
  }
}
