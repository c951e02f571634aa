/** Ending a child process a test started, by its handle (never by name: others share the host). */
import type { ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * SIGTERM, then waits for it to exit; with `killAfterMs`, SIGKILL if it has not by then (a
 * daemon stuck in shutdown must not hang the suite). No-op if it has already ended.
 */
export async function stopChild(child: ChildProcess | undefined, killAfterMs?: number): Promise<void> {
  if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
  // Waiting for 'exit' (not just for /proc to show it gone) lets node reap it: otherwise
  // a zombie is left to PID 1, which here is not an init that reaps.
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  if (killAfterMs === undefined) return exited;
  if (!(await Promise.race([exited.then(() => true), sleep(killAfterMs).then(() => false)]))) {
    child.kill('SIGKILL');
    await exited;
  }
}
