/**
 * Healthchecks, daemonless: the container's HEALTHCHECK (its own flags merged over its image's,
 * as dockerd merges them) is a job of its state root's one monitor process (health-jobs.ts,
 * health-launch.ts, health-monitor.ts): detached like conmon, outliving the berth command that
 * started the container, running while any container of the root has a healthcheck. The monitor
 * writes the state — docker's State.Health — to a file in the container's directory, atomically,
 * and appends `health_status: …` events to the journal when the status changes. berth reads the
 * file for inspect, ps and the `health=` filter. Docker's rules (health-scheduler.ts): the first
 * probe after one interval; failures inside the start period do not count while "starting";
 * `retries` consecutive failures make it unhealthy, one success healthy; the last 5 results are kept.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HealthConfig, OciImageConfigBody } from '../api.js';
import { invalid } from '../errors.js';
import type { EnginePaths } from '../paths.js';
import { processStart } from '../process-alive.js';
import { removeJob, writeJob, type HealthJob } from './health-jobs.js';
import { ensureHealthMonitor } from './health-launch.js';

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
  return { state: join(dir, 'health.json') };
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

/** What a container's check needs from the start that arms it. */
export type HealthStart = Pick<HealthJob, 'id' | 'pid' | 'startedAt' | 'runtime' | 'argv'>;

/**
 * Arms the healthcheck of a container that has just started: a fresh "starting" state, its job
 * (replacing the previous run's), and the state root's monitor, started if none runs.
 */
export async function startHealthCheck(paths: EnginePaths, c: HealthStart, h: HealthConfig): Promise<void> {
  writeHealth(join(paths.containers, c.id), { Status: 'starting', FailingStreak: 0, Log: [] });
  writeJob(paths.runRoot, {
    ...c,
    pidStart: processStart(c.pid),
    intervalMs: (h.interval || DEFAULT_INTERVAL_NS) / 1e6,
    timeoutMs: (h.timeout || DEFAULT_TIMEOUT_NS) / 1e6,
    startPeriodMs: (h.startPeriod ?? 0) / 1e6,
    retries: h.retries || DEFAULT_RETRIES,
  });
  await ensureHealthMonitor(paths);
}

/**
 * Ends the container's checks (stop, kill, rm, reset, a new start): its job goes, and the
 * monitor drops it at once (a probe in flight is killed, its result never written).
 */
export function stopHealthCheck(paths: EnginePaths, id: string): void {
  removeJob(paths.runRoot, id);
}

/** docker's Health.String() in ps' Status: "health: starting", "healthy", "unhealthy". */
export function healthText(s: HealthStatus): string {
  return s === 'starting' ? 'health: starting' : s;
}
