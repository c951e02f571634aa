/**
 * Finding or starting a state root's healthcheck monitor (health-monitor.ts). Any number of
 * berth processes may start healthchecked containers at once (two `berth start`s, the API
 * server's clients): the check of the pid file and the start happen under one host lock, and
 * the monitor decides to end under the same lock, so there is never a second monitor, and never
 * a job written with no monitor to run it.
 */
import { spawn } from 'node:child_process';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { withHostLock } from '../../net/cni-lock.js';
import { healthMonitorPath } from '../install.js';
import type { EnginePaths } from '../paths.js';
import { alive } from '../process-alive.js';
import { healthPaths } from './health-jobs.js';

/** The monitor's argument: its state root, which names it on its command line. */
export function monitorArg(paths: Pick<EnginePaths, 'root' | 'runRoot'>): string {
  return JSON.stringify({ root: paths.root, runRoot: paths.runRoot });
}

/** The pid of the root's running monitor, if one runs. */
export function healthMonitorPid(paths: Pick<EnginePaths, 'root' | 'runRoot'>): number | undefined {
  try {
    const pid = Number(readFileSync(healthPaths(paths.runRoot).pidFile, 'utf8'));
    if (!Number.isInteger(pid) || pid <= 0 || !alive(pid)) return undefined;
    // pids are reused: only a monitor entry (bundled or not) started for this very root is ours
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    const i = argv.findIndex((s) => s.endsWith('/health-monitor.js'));
    return i >= 0 && argv[i + 1] === monitorArg(paths) ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Starts the root's monitor unless it runs (it picks up every job there is when it starts). */
export async function ensureHealthMonitor(paths: Pick<EnginePaths, 'root' | 'runRoot'>): Promise<void> {
  const hp = healthPaths(paths.runRoot);
  await withHostLock(hp.lockFile, async () => {
    if (healthMonitorPid(paths) !== undefined) return; // it sees the new job within a second
    // its own small entry (src/cli/health-monitor.ts), not the CLI; cwd / so that it pins no directory
    const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', '--max-old-space-size=32', healthMonitorPath, monitorArg(paths)], {
      detached: true,
      stdio: 'ignore',
      cwd: '/',
    });
    child.unref();
    if (!child.pid) return;
    const tmp = `${hp.pidFile}.${process.pid}.tmp`;
    writeFileSync(tmp, String(child.pid));
    renameSync(tmp, hp.pidFile);
  });
}
