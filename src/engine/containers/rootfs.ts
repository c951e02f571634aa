/**
 * A container's root filesystem: an overlay of its image's layer diffs (lowerdirs, shared and
 * read-only), then the container's init layer (what docker's init layer adds for every
 * container: /etc/mtab -> /proc/mounts), under its own upper and work dirs. Node cannot mount, so mount(8)/umount(8) do it;
 * lowerdirs are given relative to the layers dir (the mount runs there) so that long layer
 * chains fit in the kernel's one-page option limit.
 */
import { execFile } from 'node:child_process';
import { chmodSync, chownSync, existsSync, lstatSync, mkdirSync, readFileSync, renameSync, rmSync, symlinkSync, utimesSync } from 'node:fs';
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
  /** The init layer: kept out of the container's changes (commit, diff) like docker's. */
  init: string;
}

export function rootfsDirs(containersDir: string, id: string): RootfsDirs {
  const dir = join(containersDir, id);
  return { dir, upper: join(dir, 'upper'), work: join(dir, 'work'), merged: join(dir, 'merged'), init: join(dir, 'init') };
}

/**
 * Makes the init layer once: /etc/mtab -> /proc/mounts, its /etc with the image's own mode,
 * owner and times (an overlay directory shows the topmost layer's attributes).
 */
function makeInitLayer(init: string, lowers: string[]): void {
  if (lstatSync(join(init, 'etc/mtab'), { throwIfNoEntry: false })) return;
  const tmp = `${init}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(join(tmp, 'etc'), { recursive: true, mode: 0o755 });
  const etc = lowers.map((l) => lstatSync(join(l, 'etc'), { throwIfNoEntry: false })).find((st) => st?.isDirectory());
  symlinkSync('/proc/mounts', join(tmp, 'etc/mtab'));
  if (etc) {
    chownSync(join(tmp, 'etc'), etc.uid, etc.gid);
    chmodSync(join(tmp, 'etc'), etc.mode & 0o7777);
    utimesSync(join(tmp, 'etc'), etc.atime, etc.mtime);
  } else chmodSync(join(tmp, 'etc'), 0o755);
  rmSync(init, { recursive: true, force: true });
  renameSync(tmp, init);
}

export function isMounted(path: string): boolean {
  try {
    return readFileSync('/proc/self/mountinfo', 'utf8')
      .split('\n')
      .some((l) => l.split(' ')[4] === path);
  } catch {
    return false;
  }
}

export async function mountRootfs(d: RootfsDirs, layersDir: string, diffIds: string[]): Promise<void> {
  for (const p of [d.upper, d.work, d.merged]) mkdirSync(p, { recursive: true });
  if (isMounted(d.merged)) return;
  // overlay wants the topmost layer first
  const layers = diffIds.map((x) => `${hexOf(x)}/diff`).reverse();
  makeInitLayer(
    d.init,
    layers.map((l) => join(layersDir, l)),
  );
  const lower = [d.init, ...layers].join(':');
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
