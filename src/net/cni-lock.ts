/**
 * Host-wide locks: one around CNI ADD/DEL (plugins race on iptables and bridge set-up), and
 * the engine's per-container lock (a run's cleanup against the next run's start).
 *
 * Why flock(1) from util-linux: Node has no flock(2). An O_EXCL lock file needs stale-owner
 * detection by PID, which is racy (check-then-steal) and fooled by PID reuse. A kernel flock
 * is released by the kernel when its holder dies, so a crashed berth never leaves the lock held.
 * We spawn `flock FILE cat` and queue a newline on its stdin: cat's echo of it says the lock is
 * ours; the holder lives until we close its stdin (or we die, which closes it too). Cost: one spawn.
 * A process-local queue in front keeps one berth process from spawning a waiter per call.
 */
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { netRuntime } from './errors.js';

// One queue per lock file: holding one lock (a container's) while taking another (CNI's) must
// not wait on itself.
const tails = new Map<string, Promise<void>>();

export async function withHostLock<T>(lockFile: string, fn: () => Promise<T>, timeoutSec = 120): Promise<T> {
  const prev = tails.get(lockFile) ?? Promise.resolve();
  let done!: () => void;
  const mine = new Promise<void>((r) => (done = r));
  tails.set(lockFile, mine);
  await prev;
  try {
    const release = await acquire(lockFile, timeoutSec);
    try {
      return await fn();
    } finally {
      release();
    }
  } finally {
    done();
    if (tails.get(lockFile) === mine) tails.delete(lockFile);
  }
}

function acquire(lockFile: string, timeoutSec: number): Promise<() => void> {
  mkdirSync(dirname(lockFile), { recursive: true });
  return new Promise((resolve, reject) => {
    // flock runs cat only once it holds the lock; cat echoes the newline we queue on its stdin,
    // which tells us so (one exec fewer than a shell that prints a line: this is on every run).
    const child = spawn('flock', ['-x', '-w', String(timeoutSec), lockFile, 'cat'], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let got = false;
    let err = '';
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    child.stdout.once('data', () => {
      got = true;
      resolve(() => {
        child.stdin.end();
        // cat exits on that EOF and the kernel drops the lock; a CLI need not wait for it to exit.
        child.unref();
        child.stdout.destroy();
        child.stderr.destroy();
      });
    });
    child.on('error', (e) => reject(netRuntime(`cannot take the CNI lock ${lockFile}: ${e.message}`, e)));
    child.on('exit', (code) => {
      if (!got) reject(netRuntime(`cannot take the CNI lock ${lockFile} (flock exit ${code}${err ? `: ${err.trim()}` : ''})`));
    });
    child.stdin.on('error', () => {});
    child.stdin.write('\n');
  });
}
