/**
 * What the private daemons of these tests (dockerd.ts, podman.ts) do alike around their own
 * logic: wait for the API to answer after the spawn, and clean their directory up after a stop.
 */
import { spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Polls `probe` until it answers. Fails when the daemon exits first or after 30 s, with the end
 * of its log: a daemon that will not start says why there, not in the probe's error.
 */
export async function waitForApi(child: ChildProcess, probe: () => Promise<unknown>, what: string, logFile: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      await probe();
      return;
    } catch (e) {
      if (child.exitCode !== null || Date.now() > deadline) {
        throw new Error(`${what} did not start: ${(e as Error).message}\n${readFileSync(logFile, 'utf8').slice(-2000)}`);
      }
      await sleep(200);
    }
  }
}

/** Unmounts whatever the daemon left mounted under `dir` (overlay layers, netns, shm), deepest first, then removes `dir`. */
export function unmountAndRemove(dir: string): void {
  const mounts = readFileSync('/proc/self/mounts', 'utf8')
    .split('\n')
    .map((l) => l.split(' ')[1]?.replace(/\\040/g, ' ') ?? '')
    .filter((m) => m.startsWith(`${dir}/`))
    .sort((a, b) => b.length - a.length);
  for (const m of mounts) spawnSync('umount', ['-l', m]);
  rmSync(dir, { recursive: true, force: true });
}
