/**
 * /dev/shm of a container with `--ipc shareable`: a tmpfs on the host, in the container's
 * directory, bind-mounted into it and into every container that joins its IPC namespace
 * (`--ipc container:X`), as docker does. It cannot be reached through /proc/PID/root instead:
 * the kernel refuses to bind a mount of another mount namespace.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { runtimeError } from '../errors.js';
import { isMounted } from './rootfs.js';

const run = promisify(execFile);

export const shmDir = (containerDir: string) => join(containerDir, 'shm');

export async function mountShm(containerDir: string, size: number): Promise<string> {
  const dir = shmDir(containerDir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (isMounted(dir)) return dir;
  try {
    await run('mount', ['-t', 'tmpfs', '-o', `nosuid,nodev,noexec,mode=1777,size=${size}`, 'shm', dir]);
  } catch (e) {
    throw runtimeError(`cannot mount the container's /dev/shm: ${(e as { stderr?: string }).stderr?.trim() || (e as Error).message}`, e);
  }
  return dir;
}

/** Idempotent; containers that joined keep their own mounts of it. */
export async function unmountShm(containerDir: string): Promise<void> {
  const dir = shmDir(containerDir);
  if (!existsSync(dir) || !isMounted(dir)) return;
  try {
    await run('umount', [dir]);
  } catch (e) {
    if (!isMounted(dir)) return;
    await run('umount', ['-l', dir]).catch(() => {
      throw runtimeError(`cannot unmount ${dir}: ${(e as Error).message}`, e);
    });
  }
}
