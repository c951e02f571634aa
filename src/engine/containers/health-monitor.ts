/**
 * The healthcheck monitor process of one state root (src/cli/health-monitor.ts is its entry;
 * health.ts starts it when a container with a healthcheck starts and none runs): it runs every
 * job in `<runroot>/health/jobs` with the scheduler (health-scheduler.ts), probing with `runc
 * exec`, writing each container's health file and `health_status` events, and ends by itself
 * a short while after its last job ended. dockerd runs all probes in its one daemon; this is
 * the same, minus the daemon: one small process, only while a container needs it.
 */
import { readFileSync, rmSync, watch } from 'node:fs';
import { join } from 'node:path';
import { StateDb } from '../state/db.js';
import { enginePaths } from '../paths.js';
import { withHostLock } from '../../net/cni-lock.js';
import { ContainerRecords } from './records.js';
import { containerEvent } from './events.js';
import { readHealth, writeHealth, type HealthState } from './health.js';
import { healthPaths, jobCurrent, readJobs } from './health-jobs.js';
import { HealthScheduler, realClock } from './health-scheduler.js';
import { probe } from './health-probe.js';

/** What the monitor is started with: its state root (on its command line, where tests and the leak audit find it). */
export interface HealthMonitorArgs {
  root: string;
  runRoot: string;
}

/** A missed change of the jobs directory is picked up this late at most. */
const RESCAN_MS = 1000;
/** How long the monitor outlives its last job (a restart's new job usually comes sooner). */
const IDLE_MS = 2000;

export function runHealthMonitor(a: HealthMonitorArgs): void {
  const paths = enginePaths(a);
  const hp = healthPaths(paths.runRoot);
  const dirOf = (id: string) => join(paths.containers, id);
  let ending = false;

  const scheduler = new HealthScheduler({
    probe: (job, signal) => probe({ runtime: job.runtime, runtimeRoot: paths.runc, id: job.id, argv: job.argv, timeoutMs: job.timeoutMs }, signal),
    alive: (job) => jobCurrent(paths.runRoot, job),
    initial: (job) => rearmed(dirOf(job.id)),
    record: (job, next, prev) => {
      writeHealth(dirOf(job.id), next);
      if (next.Status === prev.Status) return;
      try {
        recordTransition(paths.db, job.id, next.Status);
      } catch {
        // the journal busy or gone: a missed event is better than a check that ends
      }
    },
    clock: realClock,
    idleMs: IDLE_MS,
    onIdle: () => void endIfIdle(),
  });

  const end = () => {
    ending = true;
    scheduler.stop(); // kills the probes in flight
    try {
      if (Number(readFileSync(hp.pidFile, 'utf8')) === process.pid) rmSync(hp.pidFile, { force: true });
    } catch {
      /* no pid file (the runroot is gone) */
    }
    process.exit(0);
  };
  const rescan = () => {
    if (ending) return;
    let jobs;
    try {
      jobs = readJobs(paths.runRoot);
    } catch {
      return; // the directory could not be read this time: the jobs stay as they are
    }
    if (!jobs) return end(); // the runroot is gone (`system reset`): nothing is left to check
    scheduler.update(jobs);
  };
  // Ending is decided under the lock that starters take to find or start the monitor: a job
  // written before this rescan keeps the monitor; one written after finds no monitor (its pid file
  // is gone before the lock is released, at exit) and starts a new one.
  const endIfIdle = async (): Promise<void> => {
    rescan();
    if (ending || scheduler.size) return;
    await withHostLock(hp.lockFile, async () => {
      rescan();
      if (!ending && !scheduler.size) end();
    }).catch(() => setTimeout(() => void endIfIdle(), IDLE_MS));
  };

  // a new job is seen at once through inotify; the periodic rescan covers what a watch can miss
  try {
    watch(hp.jobs, { persistent: false }, () => rescan()).on('error', () => undefined);
  } catch {
    /* the directory is gone: the first rescan ends the monitor */
  }
  setInterval(rescan, RESCAN_MS);
  rescan();
}

/**
 * The state a job starts from. A fresh start wrote "starting" (health.ts); a monitor started
 * again (the previous one was killed) re-arms the checks of the containers still running, as
 * dockerd does for every running container when it restarts (initHealthMonitor): the status goes
 * back to "starting" with no failing streak, the last results are kept.
 */
function rearmed(dir: string): HealthState {
  const prev = readHealth(dir);
  const s: HealthState = { Status: 'starting', FailingStreak: 0, Log: prev?.Log ?? [] };
  if (prev?.Status !== 'starting' || prev.FailingStreak !== 0) {
    try {
      writeHealth(dir, s);
    } catch {
      /* the container's directory is gone: the job is dropped at its first probe */
    }
  }
  return s;
}

function recordTransition(db: string, id: string, status: string): void {
  const d = new StateDb(db);
  try {
    const c = new ContainerRecords(d).byId(id);
    if (c) containerEvent(d, c, `health_status: ${status}`);
  } finally {
    d.close();
  }
}
