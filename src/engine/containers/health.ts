/**
 * Healthchecks, daemonless: the container's HEALTHCHECK (its own flags merged over its image's,
 * as dockerd merges them) is run by a small monitor process started with the container (like
 * conmon and the log writer: detached, outliving the berth command that started it, ending
 * with the container and killed when berth releases the container). The monitor writes the
 * state — docker's State.Health — to a file in the container's directory, atomically, and
 * appends `health_status: …` events to the journal when the status changes. berth reads the
 * file for inspect, ps and the `health=` filter. Docker's rules: the first probe after one
 * interval; failures inside the start period do not count while "starting"; `retries`
 * consecutive failures make it unhealthy, one success healthy; the last 5 results are kept.
 */
import { spawn } from 'node:child_process';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HealthConfig, OciImageConfigBody } from '../api.js';
import { invalid } from '../errors.js';
import { healthMonitorPath } from '../install.js';
import { alive } from '../process-alive.js';

/** docker's defaults (container/health.go) and minimum (api/types/container.MinimumDuration). */
export const DEFAULT_INTERVAL_NS = 30e9;
export const DEFAULT_TIMEOUT_NS = 30e9;
export const DEFAULT_RETRIES = 3;
export const MIN_DURATION_NS = 1e6;
export const MAX_LOG_ENTRIES = 5;
export const MAX_OUTPUT_LEN = 4096;

export type HealthStatus = 'starting' | 'healthy' | 'unhealthy';

export interface HealthLogEntry {
  Start: string;
  End: string;
  ExitCode: number;
  Output: string;
}

/** docker's State.Health. */
export interface HealthState {
  Status: HealthStatus;
  FailingStreak: number;
  Log: HealthLogEntry[];
}

/** dockerd's merge of the user's healthcheck over the image's (daemon/commit.go merge). */
export function mergeHealth(user: HealthConfig | undefined, image: OciImageConfigBody['Healthcheck']): HealthConfig | undefined {
  const img: HealthConfig | undefined = image
    ? {
        ...(image.Test ? { test: image.Test } : {}),
        ...(image.Interval ? { interval: image.Interval } : {}),
        ...(image.Timeout ? { timeout: image.Timeout } : {}),
        ...(image.StartPeriod ? { startPeriod: image.StartPeriod } : {}),
        ...(image.Retries ? { retries: image.Retries } : {}),
      }
    : undefined;
  if (!user) return img;
  if (!img) return user;
  return {
    test: user.test?.length ? user.test : img.test,
    interval: user.interval || img.interval,
    timeout: user.timeout || img.timeout,
    startPeriod: user.startPeriod || img.startPeriod,
    retries: user.retries || img.retries,
  } as HealthConfig;
}

/** dockerd's verifyContainerSettings for Healthcheck (its messages). */
export function checkHealth(h: HealthConfig | undefined): void {
  if (!h) return;
  if (h.interval && h.interval < MIN_DURATION_NS) throw invalid('Interval in Healthcheck cannot be less than 1ms');
  if (h.timeout && h.timeout < MIN_DURATION_NS) throw invalid('Timeout in Healthcheck cannot be less than 1ms');
  if ((h.retries ?? 0) < 0) throw invalid('Retries in Healthcheck cannot be negative');
  if (h.startPeriod && h.startPeriod < MIN_DURATION_NS) throw invalid('StartPeriod in Healthcheck cannot be less than 1ms');
  const kind = h.test?.[0];
  if (kind !== undefined && !['NONE', 'CMD', 'CMD-SHELL'].includes(kind)) throw invalid(`unknown healthcheck type '${kind}' (expected NONE, CMD or CMD-SHELL)`);
}

/** The probe's argv, or undefined when the container has no (enabled) healthcheck. */
export function probeArgv(h: HealthConfig | undefined): string[] | undefined {
  const t = h?.test;
  if (!t?.length || t[0] === 'NONE') return undefined;
  if (t[0] === 'CMD-SHELL') return ['/bin/sh', '-c', t.slice(1).join(' ')];
  if (t[0] === 'CMD') return t.length > 1 ? t.slice(1) : undefined;
  return undefined;
}

export function healthFiles(dir: string) {
  return { state: join(dir, 'health.json'), pid: join(dir, 'health-monitor.pid') };
}

export function readHealth(dir: string): HealthState | undefined {
  try {
    const v = JSON.parse(readFileSync(healthFiles(dir).state, 'utf8')) as HealthState;
    if (v && ['starting', 'healthy', 'unhealthy'].includes(v.Status) && Array.isArray(v.Log)) return v;
  } catch {
    /* none yet */
  }
  return undefined;
}

export function writeHealth(dir: string, s: HealthState): void {
  const f = healthFiles(dir).state;
  const tmp = `${f}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(s));
  renameSync(tmp, f);
}

/** What the monitor needs, passed on its command line (it opens nothing of berth's but the journal). */
export interface MonitorArgs {
  id: string;
  dir: string;
  db: string;
  runtime: string;
  runtimeRoot: string;
  pid: number;
  startedAt: number;
  argv: string[];
  intervalMs: number;
  timeoutMs: number;
  startPeriodMs: number;
  retries: number;
}

/** Starts the monitor of a container that has just started (a fresh "starting" state first). */
export function startHealthMonitor(a: Omit<MonitorArgs, 'intervalMs' | 'timeoutMs' | 'startPeriodMs' | 'retries'>, h: HealthConfig): void {
  const args: MonitorArgs = {
    ...a,
    intervalMs: (h.interval || DEFAULT_INTERVAL_NS) / 1e6,
    timeoutMs: (h.timeout || DEFAULT_TIMEOUT_NS) / 1e6,
    startPeriodMs: (h.startPeriod ?? 0) / 1e6,
    retries: h.retries || DEFAULT_RETRIES,
  };
  stopHealthMonitor(a.dir);
  writeHealth(a.dir, { Status: 'starting', FailingStreak: 0, Log: [] });
  // its own small entry (src/cli/health-monitor.ts), not the CLI: it lives as long as the container
  const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', '--max-old-space-size=32', healthMonitorPath, JSON.stringify(args)], {
    detached: true,
    stdio: 'ignore',
  });
  child.unref();
  if (child.pid) writeFileSync(healthFiles(a.dir).pid, String(child.pid));
}

function monitorPid(dir: string): number | undefined {
  try {
    const pid = Number(readFileSync(healthFiles(dir).pid, 'utf8'));
    if (!Number.isInteger(pid) || pid <= 0 || !alive(pid)) return undefined;
    // pids are reused: only a monitor of this very container is ours
    const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return cmd.includes('health-monitor') && cmd.includes(dir) ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Ends the container's monitor (stop, rm, reset; a new start replaces it). */
export function stopHealthMonitor(dir: string): void {
  const pid = monitorPid(dir);
  if (pid !== undefined) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
  rmSync(healthFiles(dir).pid, { force: true });
}

/** docker's Health.String() in ps' Status: "health: starting", "healthy", "unhealthy". */
export function healthText(s: HealthStatus): string {
  return s === 'starting' ? 'health: starting' : s;
}
