/**
 * The healthcheck monitor's scheduling, with no I/O of its own: every job (a container's
 * healthcheck) has its own timer, so probes of different containers run side by side and a slow
 * probe delays only its own container's next one. docker's rules (daemon/health.go): the first
 * probe one interval after the check is armed, the next one interval after the previous ended;
 * failures inside the start period do not count while "starting"; `retries` consecutive failures
 * make it unhealthy, one success healthy; the last 5 results are kept. A job that is dropped
 * (its file removed, its container gone, a new start replacing it) has its probe in flight
 * killed, and its result, if any, is never recorded. When the last job is gone the owner is told,
 * after `idleMs`, so the monitor process can end. While the container is paused its probes
 * give no result, as podman stops the check's timer on pause (dockerd counts them as failures).
 *
 * The probe, the clock, "is the container still there" and where results go are given, so the
 * whole loop is tested without containers (test/engine/health-scheduler.test.ts).
 */
import type { HealthJob } from './health-jobs.js';
import { MAX_LOG_ENTRIES, type HealthLogEntry, type HealthState } from './health.js';

export interface ProbeResult {
  exitCode: number;
  output: string;
  /** The probe could not run because the container is paused: no result (podman's rule). */
  paused?: boolean;
}

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Node's timers fire at once for more than 2^31-1 ms (~24.8 days); docker takes longer intervals. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export const realClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const at = Date.now() + ms;
    const h: { t?: NodeJS.Timeout } = {};
    const arm = () => {
      const left = at - Date.now();
      h.t = left > MAX_TIMER_MS ? setTimeout(arm, MAX_TIMER_MS) : setTimeout(fn, Math.max(0, left));
    };
    arm();
    return h;
  },
  clearTimeout: (h) => clearTimeout((h as { t?: NodeJS.Timeout }).t),
};

export interface SchedulerDeps {
  /** Runs the probe; `signal` aborts when the job is dropped (the probe is killed). */
  probe(job: HealthJob, signal: AbortSignal): Promise<ProbeResult>;
  /** Whether the job is still current and its container's process alive. */
  alive(job: HealthJob): boolean;
  /** The state a job starts from when armed. */
  initial(job: HealthJob): HealthState;
  /** Records a result's state (the health file, an event when the status changed). */
  record(job: HealthJob, next: HealthState, prev: HealthState): void;
  clock: Clock;
  /** How long after the last job ended `onIdle` is called. */
  idleMs: number;
  onIdle(): void;
}

interface Armed {
  job: HealthJob;
  state: HealthState;
  timer?: unknown;
  abort?: AbortController;
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

const sameRun = (a: HealthJob, b: HealthJob) => a.pid === b.pid && a.pidStart === b.pidStart && a.startedAt === b.startedAt;

export class HealthScheduler {
  private readonly armed = new Map<string, Armed>();
  private idleTimer?: unknown;

  constructor(private readonly deps: SchedulerDeps) {
    this.armIdle(); // a monitor started for a job that is already gone ends too
  }

  /** The number of jobs being run. */
  get size(): number {
    return this.armed.size;
  }

  /** Reconciles with the jobs on disk: arms new ones, drops those gone, replaced or dead. */
  update(jobs: HealthJob[]): void {
    const want = new Map(jobs.map((j) => [j.id, j]));
    for (const [id, a] of this.armed) {
      const j = want.get(id);
      if (!j || !sameRun(j, a.job) || !this.deps.alive(a.job)) this.drop(id);
    }
    for (const j of want.values()) if (!this.armed.has(j.id) && this.deps.alive(j)) this.arm(j);
  }

  /** Drops every job (the monitor is ending). */
  stop(): void {
    for (const id of [...this.armed.keys()]) this.drop(id);
    this.clearIdle();
  }

  private arm(job: HealthJob): void {
    this.clearIdle();
    const a: Armed = { job, state: this.deps.initial(job) };
    this.armed.set(job.id, a);
    this.schedule(a, job.intervalMs);
  }

  private schedule(a: Armed, ms: number): void {
    a.timer = this.deps.clock.setTimeout(() => {
      a.timer = undefined;
      this.run(a).catch(() => this.drop(a.job.id));
    }, ms);
  }

  private async run(a: Armed): Promise<void> {
    if (this.armed.get(a.job.id) !== a) return;
    if (!this.deps.alive(a.job)) return this.drop(a.job.id);
    const { clock } = this.deps;
    const start = clock.now();
    const abort = (a.abort = new AbortController());
    const r = await this.deps.probe(a.job, abort.signal).catch((e: unknown): ProbeResult => ({ exitCode: -1, output: (e as Error).message }));
    a.abort = undefined;
    // dropped meanwhile, or the container went: its last result is no result (docker's rule)
    if (abort.signal.aborted || this.armed.get(a.job.id) !== a) return;
    if (!this.deps.alive(a.job)) return this.drop(a.job.id);
    // A paused container is not unhealthy (dockerd counts it so: moby#46203); its checks wait.
    if (r.paused) return this.schedule(a, a.job.intervalMs);
    const entry: HealthLogEntry = { Start: new Date(start).toISOString(), End: new Date(clock.now()).toISOString(), ExitCode: r.exitCode, Output: r.output };
    const next = nextState(a.state, entry, start - a.job.startedAt < a.job.startPeriodMs, a.job.retries);
    const prev = a.state;
    a.state = next;
    this.schedule(a, a.job.intervalMs);
    this.deps.record(a.job, next, prev);
  }

  private drop(id: string): void {
    const a = this.armed.get(id);
    if (!a) return;
    this.armed.delete(id);
    if (a.timer !== undefined) this.deps.clock.clearTimeout(a.timer);
    a.abort?.abort();
    if (!this.armed.size) this.armIdle();
  }

  private armIdle(): void {
    this.clearIdle();
    this.idleTimer = this.deps.clock.setTimeout(() => {
      this.idleTimer = undefined;
      if (!this.armed.size) this.deps.onIdle();
    }, this.deps.idleMs);
  }

  private clearIdle(): void {
    if (this.idleTimer !== undefined) this.deps.clock.clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }
}
