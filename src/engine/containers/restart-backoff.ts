/**
 * A restart policy's wait between runs, as dockerd's restart manager keeps it: 100 ms before the
 * first restart, doubled before each next one up to a minute, and back to 100 ms once a run lasted
 * 10 s or more. Without it a container that exits at once (a bad command, a database that cannot
 * read its config) is started again and again as fast as the machine allows.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { alive, processStart } from '../process-alive.js';

export const FIRST_DELAY_MS = 100;
export const MAX_DELAY_MS = 60_000;
/** A run at least this long resets the delay. */
export const RESET_AFTER_MS = 10_000;

/** The wait before the next restart, from the one before (0: none yet) and how long the run lasted. */
export function nextRestartDelay(previousMs: number, ranMs: number): number {
  const prev = ranMs >= RESET_AFTER_MS ? 0 : previousMs;
  return prev > 0 ? Math.min(MAX_DELAY_MS, prev * 2) : FIRST_DELAY_MS;
}

/** The delay last used (0 when none is recorded or the file is unreadable). */
export function readDelay(file: string): number {
  try {
    const n = Number(readFileSync(file, 'utf8').trim());
    return Number.isFinite(n) && n > 0 ? n : 0;
  } catch {
    return 0;
  }
}

export function writeDelay(file: string, ms: number): void {
  writeFileSync(file, String(ms));
}

/** Records this process as the one waiting out the delay (pid and start time: a reused pid is not it). */
export function writeRestarter(file: string): void {
  writeFileSync(file, `${process.pid} ${processStart(process.pid)}`);
}

/** Removes the record if it is this process's (the next run's exit may have a waiter of its own by now). */
export function clearRestarter(file: string): void {
  try {
    if (readFileSync(file, 'utf8').trim() === `${process.pid} ${processStart(process.pid)}`) rmSync(file, { force: true });
  } catch {
    /* none */
  }
}

/** Whether a "restarting" row's waiter is still there (else the row is stale: a killed process, a reboot). */
export function restarterAlive(file: string): boolean {
  try {
    const [pid, start] = readFileSync(file, 'utf8').trim().split(' ');
    const n = Number(pid);
    return alive(n) && processStart(n) === start;
  } catch {
    return false;
  }
}
