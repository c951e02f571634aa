/**
 * Host-wide locks: one around CNI ADD/DEL (plugins race on iptables and bridge set-up), and
 * the engine's per-container lock (a run's cleanup against the next run's start).
 *
 * Node has no flock(2), so the kernel lock comes from SQLite: `BEGIN EXCLUSIVE` on a small
 * database file takes a POSIX (fcntl) write lock, and the kernel drops it when its holder dies,
 * so a crashed berth never leaves a lock held. (An O_EXCL lock file would need stale-owner
 * detection by PID, racy and fooled by PID reuse; spawning flock(1) worked but cost a process per
 * lock, ~10 ms on every run.) SQLite's own wait is synchronous, so we try without waiting and
 * poll with growing sleeps, which keeps the event loop (the dashboard) alive while another
 * process holds the lock. A process-local queue in front keeps one process's callers in order.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
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

const SQLITE_BUSY = 5;
const isBusy = (e: unknown): boolean => (e as { errcode?: number }).errcode === SQLITE_BUSY;

async function acquire(lockFile: string, timeoutSec: number): Promise<() => void> {
  mkdirSync(dirname(lockFile), { recursive: true });
  let db: DatabaseSync;
  try {
    db = new DatabaseSync(lockFile, { timeout: 0 });
  } catch (e) {
    throw netRuntime(`cannot open the lock ${lockFile}: ${(e as Error).message}`, e);
  }
  const deadline = Date.now() + timeoutSec * 1000;
  for (let wait = 1; ; wait = Math.min(wait * 2, 25)) {
    try {
      db.exec('BEGIN EXCLUSIVE');
      return () => {
        try {
          db.exec('COMMIT');
        } finally {
          db.close();
        }
      };
    } catch (e) {
      if (!isBusy(e) || Date.now() >= deadline) {
        db.close();
        throw netRuntime(`cannot take the lock ${lockFile}: ${isBusy(e) ? `still held by another berth after ${timeoutSec} s` : (e as Error).message}`, e);
      }
    }
    await new Promise((r) => setTimeout(r, wait));
  }
}
