/**
 * The healthcheck monitor's loop (health.ts starts it, detached, with the container): every
 * interval it runs the probe inside the container with `runc exec` (the container's own
 * environment, user, capabilities and cgroup, as dockerd's exec of the probe), bounded by the
 * timeout, records the result in the container's health file and a `health_status` event when
 * the status changes. It ends when the container's process is gone.
 */
import { spawn } from 'node:child_process';
import { StateDb } from '../state/db.js';
import { alive } from '../process-alive.js';
import { ContainerRecords } from './records.js';
import { containerEvent } from './events.js';
import { MAX_LOG_ENTRIES, MAX_OUTPUT_LEN, readHealth, writeHealth, type HealthLogEntry, type HealthState, type MonitorArgs } from './health.js';

/** Waits `ms`, returning early (false) when the container's process is gone. */
async function sleepWhileAlive(pid: number, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (!alive(pid)) return false;
    await new Promise((r) => setTimeout(r, Math.min(500, Math.max(1, end - Date.now()))));
  }
  return alive(pid);
}

/** One probe: exit code and the first 4096 bytes of its output (docker's limitedBuffer). */
export function probe(a: Pick<MonitorArgs, 'runtime' | 'runtimeRoot' | 'id' | 'argv' | 'timeoutMs'>): Promise<{ exitCode: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(a.runtime, ['--root', a.runtimeRoot, 'exec', a.id, ...a.argv], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = Buffer.alloc(0);
    let truncated = false;
    const take = (b: Buffer) => {
      if (out.length + b.length > MAX_OUTPUT_LEN) {
        b = b.subarray(0, MAX_OUTPUT_LEN - out.length);
        truncated = true;
      }
      out = Buffer.concat([out, b]);
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGTERM'); // runc exec passes it on to the probe
      setTimeout(() => child.kill('SIGKILL'), 1000).unref();
    }, a.timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve({ exitCode: -1, output: e.message });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (timedOut) return resolve({ exitCode: -1, output: `Health check exceeded timeout (${goDuration(a.timeoutMs)})` });
      resolve({ exitCode: code ?? -1, output: out.toString('utf8') + (truncated ? '...' : '') });
    });
  });
}

/** Go's Duration.String() for whole milliseconds: "30s", "1.5s", "500ms", "1m0s". */
export function goDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = (ms % 60_000) / 1000;
  return `${h ? `${h}h` : ''}${h || m ? `${m}m` : ''}${s}s`;
}

/** docker's handleProbeResult: the next state after one result. */
export function nextState(prev: HealthState, entry: HealthLogEntry, inStartPeriod: boolean, retries: number): HealthState {
  const s: HealthState = { ...prev, Log: [...prev.Log, entry].slice(-MAX_LOG_ENTRIES) };
  if (entry.ExitCode === 0) return { ...s, Status: 'healthy', FailingStreak: 0 };
  // still starting and within the start period: the failure does not count
  if (prev.Status === 'starting' && inStartPeriod) return s;
  const streak = prev.FailingStreak + 1;
  return { ...s, FailingStreak: streak, Status: streak >= retries ? 'unhealthy' : prev.Status };
}

function recordTransition(a: MonitorArgs, status: string): void {
  const db = new StateDb(a.db);
  try {
    const c = new ContainerRecords(db).byId(a.id);
    if (c) containerEvent(db, c, `health_status: ${status}`);
  } finally {
    db.close();
  }
}

export async function runHealthMonitor(a: MonitorArgs): Promise<void> {
  let state: HealthState = readHealth(a.dir) ?? { Status: 'starting', FailingStreak: 0, Log: [] };
  while (await sleepWhileAlive(a.pid, a.intervalMs)) {
    const start = new Date();
    const r = await probe(a);
    if (!alive(a.pid)) return; // the container went meanwhile: its last result is no result
    const entry: HealthLogEntry = { Start: start.toISOString(), End: new Date().toISOString(), ExitCode: r.exitCode, Output: r.output };
    const next = nextState(state, entry, start.getTime() - a.startedAt < a.startPeriodMs, a.retries);
    writeHealth(a.dir, next);
    if (next.Status !== state.Status) recordTransition(a, next.Status);
    state = next;
  }
}
