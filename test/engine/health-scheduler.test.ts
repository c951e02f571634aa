/**
 * The healthcheck monitor's scheduling without containers or real time: a fake clock, probes
 * the test resolves by hand, and "alive" as a set. docker's timing (first probe one interval
 * after arming, the next one interval after the previous ended), the start period and retries,
 * a job dropped while its probe runs, two jobs that do not wait on each other, a replaced job,
 * and the end of the monitor a while after its last job.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HealthScheduler, realClock, type Clock, type ProbeResult } from '../../src/engine/containers/health-scheduler.js';
import type { HealthJob } from '../../src/engine/containers/health-jobs.js';
import type { HealthState } from '../../src/engine/containers/health.js';

const flush = () => new Promise<void>((r) => setImmediate(r));

class FakeClock implements Clock {
  t = 1_700_000_000_000;
  private seq = 0;
  private readonly timers = new Map<number, { at: number; fn: () => void }>();
  now = () => this.t;
  setTimeout = (fn: () => void, ms: number) => {
    this.timers.set(++this.seq, { at: this.t + ms, fn });
    return this.seq;
  };
  clearTimeout = (h: unknown) => void this.timers.delete(h as number);
  /** Moves time on, firing due timers in order and letting promises settle after each. */
  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    for (;;) {
      const next = [...this.timers.entries()].filter(([, v]) => v.at <= end).sort((a, b) => a[1].at - b[1].at || a[0] - b[0])[0];
      if (!next) break;
      this.timers.delete(next[0]);
      this.t = next[1].at;
      next[1].fn();
      await flush();
    }
    this.t = end;
    await flush();
  }
}

interface Pending {
  job: HealthJob;
  signal: AbortSignal;
  at: number;
  finish(r: ProbeResult): Promise<void>;
}

/** A scheduler with a fake clock; probes wait until the test finishes them (or `auto` answers). */
function harness(o: { auto?: (job: HealthJob) => ProbeResult | undefined; idleMs?: number } = {}) {
  const clock = new FakeClock();
  const live = new Set<string>();
  const pending: Pending[] = [];
  const records: { id: string; next: HealthState; prev: HealthState; at: number }[] = [];
  let idle = 0;
  const s = new HealthScheduler({
    clock,
    idleMs: o.idleMs ?? 2000,
    onIdle: () => idle++,
    alive: (j) => live.has(`${j.id}/${j.pid}`),
    initial: () => ({ Status: 'starting', FailingStreak: 0, Log: [] }),
    record: (job, next, prev) => void records.push({ id: job.id, next, prev, at: clock.now() }),
    probe: (job, signal) => {
      const auto = o.auto?.(job);
      if (auto) return Promise.resolve(auto);
      return new Promise<ProbeResult>((resolve) => {
        pending.push({
          job,
          signal,
          at: clock.now(),
          finish: async (r) => {
            resolve(r);
            await flush();
          },
        });
      });
    },
  });
  const job = (name: string, over: Partial<HealthJob> = {}): HealthJob => {
    const j: HealthJob = {
      id: name.padEnd(64, '0'),
      pid: 100,
      pidStart: '1',
      startedAt: clock.now(),
      runtime: 'runc',
      argv: ['true'],
      intervalMs: 1000,
      timeoutMs: 500,
      startPeriodMs: 0,
      retries: 3,
      ...over,
    };
    live.add(`${j.id}/${j.pid}`);
    return j;
  };
  return { s, clock, live, pending, records, job, idle: () => idle };
}

const ok: ProbeResult = { exitCode: 0, output: 'fine\n' };
const fail: ProbeResult = { exitCode: 1, output: 'no\n' };

test('the first probe comes one interval after arming, the next one interval after the previous ended', async () => {
  const h = harness();
  const a = h.job('a', { intervalMs: 1000 });
  const t0 = h.clock.now();
  h.s.update([a]);
  await h.clock.advance(999);
  assert.equal(h.pending.length, 0);
  await h.clock.advance(1);
  assert.equal(h.pending.length, 1);
  assert.equal(h.pending[0]!.at - t0, 1000);
  // the probe takes 300 ms: the next starts 1000 ms after it ended, not on a fixed beat
  await h.clock.advance(300);
  await h.pending[0]!.finish(ok);
  assert.equal(h.records.length, 1);
  assert.deepEqual([h.records[0]!.prev.Status, h.records[0]!.next.Status], ['starting', 'healthy']);
  assert.equal(h.records[0]!.next.Log[0]!.Start, new Date(t0 + 1000).toISOString());
  assert.equal(h.records[0]!.next.Log[0]!.End, new Date(t0 + 1300).toISOString());
  assert.equal(h.records[0]!.next.Log[0]!.Output, 'fine\n');
  await h.clock.advance(999);
  assert.equal(h.pending.length, 1);
  await h.clock.advance(1);
  assert.equal(h.pending.length, 2);
  assert.equal(h.pending[1]!.at - t0, 2300);
  h.s.stop();
});

test("start period and retries: docker's rules over consecutive results", async () => {
  const h = harness({ auto: () => fail });
  // failures in the first 2.5 s do not count while starting; then 2 failures make it unhealthy
  const a = h.job('a', { intervalMs: 1000, startPeriodMs: 2500, retries: 2 });
  h.s.update([a]);
  await h.clock.advance(2000);
  assert.deepEqual(
    h.records.map((r) => [r.next.Status, r.next.FailingStreak]),
    [
      ['starting', 0],
      ['starting', 0],
    ],
  );
  await h.clock.advance(1000); // t = 3 s: out of the start period
  assert.deepEqual(h.records.at(-1)!.next.FailingStreak, 1);
  assert.equal(h.records.at(-1)!.next.Status, 'starting');
  await h.clock.advance(1000);
  assert.deepEqual([h.records.at(-1)!.next.Status, h.records.at(-1)!.next.FailingStreak], ['unhealthy', 2]);
  // the last 5 results only
  await h.clock.advance(5000);
  assert.equal(h.records.at(-1)!.next.Log.length, 5);
  h.s.stop();
});

test('a job removed while its probe runs: the probe is aborted and its result never recorded', async () => {
  const h = harness({ idleMs: 2000 });
  const a = h.job('a');
  h.s.update([a]);
  await h.clock.advance(1000);
  assert.equal(h.pending.length, 1);
  h.s.update([]); // its job file is gone (stop, rm)
  assert.equal(h.pending[0]!.signal.aborted, true);
  await h.pending[0]!.finish(ok);
  assert.equal(h.records.length, 0);
  assert.equal(h.s.size, 0);
  // no further probes
  await h.clock.advance(10_000);
  assert.equal(h.pending.length, 1);
});

test('a container gone during its probe: no result is written, the job is dropped', async () => {
  const h = harness();
  const a = h.job('a');
  h.s.update([a]);
  await h.clock.advance(1000);
  h.live.clear();
  await h.pending[0]!.finish(ok);
  assert.equal(h.records.length, 0);
  assert.equal(h.s.size, 0);
});

test('a dead container is never armed, and one that dies between probes is dropped at the next', async () => {
  const h = harness({ auto: () => ok });
  const dead = h.job('d');
  h.live.delete(`${dead.id}/${dead.pid}`);
  const a = h.job('a');
  h.s.update([dead, a]);
  assert.equal(h.s.size, 1);
  await h.clock.advance(1000);
  assert.equal(h.records.length, 1);
  h.live.clear();
  await h.clock.advance(1000);
  assert.equal(h.records.length, 1);
  assert.equal(h.s.size, 0);
});

test("a slow probe of one container never delays another container's probes", async () => {
  const h = harness({ auto: (j) => (j.id.startsWith('fast') ? ok : undefined) });
  const slow = h.job('slow', { intervalMs: 1000 });
  const fast = h.job('fast', { intervalMs: 500 });
  h.s.update([slow, fast]);
  await h.clock.advance(1000);
  assert.equal(h.pending.length, 1); // slow's probe hangs
  await h.clock.advance(5000);
  const fastAt = h.records.filter((r) => r.id === fast.id).map((r) => r.at - (h.clock.now() - 6000));
  assert.deepEqual(fastAt, [500, 1000, 1500, 2000, 2500, 3000, 3500, 4000, 4500, 5000, 5500, 6000]);
  assert.equal(h.pending.length, 1);
  await h.pending[0]!.finish(fail);
  assert.equal(h.records.filter((r) => r.id === slow.id).length, 1);
  h.s.stop();
});

test('a new start replaces the job: the old run is dropped (its probe aborted), the new one armed afresh', async () => {
  const h = harness();
  const old = h.job('a', { pid: 100 });
  h.s.update([old]);
  await h.clock.advance(1000);
  const t1 = h.clock.now();
  const fresh = h.job('a', { pid: 200, startedAt: t1 });
  h.s.update([fresh]);
  assert.equal(h.pending[0]!.signal.aborted, true);
  await h.pending[0]!.finish(ok);
  assert.equal(h.records.length, 0);
  await h.clock.advance(1000);
  assert.equal(h.pending.length, 2);
  assert.equal(h.pending[1]!.job.pid, 200);
  assert.equal(h.pending[1]!.at - t1, 1000);
  h.s.stop();
});

test('the owner is told a while after the last job ended, not before, and not while a job runs', async () => {
  const h = harness({ auto: () => ok, idleMs: 2000 });
  // a monitor that starts to find no job ends too
  await h.clock.advance(1999);
  assert.equal(h.idle(), 0);
  const a = h.job('a');
  h.s.update([a]);
  await h.clock.advance(10_000);
  assert.equal(h.idle(), 0);
  const b = h.job('b');
  h.s.update([a, b]);
  h.s.update([b]);
  await h.clock.advance(5000);
  assert.equal(h.idle(), 0);
  h.s.update([]);
  await h.clock.advance(1999);
  assert.equal(h.idle(), 0);
  await h.clock.advance(1);
  assert.equal(h.idle(), 1);
  // a job that comes back before the end keeps it
  const h2 = harness({ auto: () => ok, idleMs: 2000 });
  h2.s.update([h2.job('c')]);
  h2.s.update([]);
  await h2.clock.advance(1000);
  h2.s.update([h2.job('d')]);
  await h2.clock.advance(5000);
  assert.equal(h2.idle(), 0);
  h2.s.stop();
});

test('a probe that throws counts as a failed result (exit -1), not as the end of the job', async () => {
  const h = harness();
  const s = new HealthScheduler({
    clock: h.clock,
    idleMs: 2000,
    onIdle: () => undefined,
    alive: () => true,
    initial: () => ({ Status: 'starting', FailingStreak: 0, Log: [] }),
    record: (job, next) => void h.records.push({ id: job.id, next, prev: next, at: h.clock.now() }),
    probe: () => Promise.reject(new Error('spawn runc ENOENT')),
  });
  s.update([h.job('a', { retries: 1 })]);
  await h.clock.advance(2000);
  assert.deepEqual(
    h.records.map((r) => [r.next.Status, r.next.Log.at(-1)!.ExitCode, r.next.Log.at(-1)!.Output]),
    [
      ['unhealthy', -1, 'spawn runc ENOENT'],
      ['unhealthy', -1, 'spawn runc ENOENT'],
    ],
  );
  s.stop();
});

test("the real clock: an interval longer than node's timers allow (2^31-1 ms) does not fire at once; timers clear", async () => {
  let fired = 0;
  const long = realClock.setTimeout(() => fired++, 2 ** 32);
  const cleared = realClock.setTimeout(() => fired++, 1);
  realClock.clearTimeout(cleared);
  let soon = false;
  realClock.setTimeout(() => (soon = true), 5);
  while (!soon) await new Promise((r) => setTimeout(r, 5));
  await new Promise((r) => setTimeout(r, 20)); // an overflowed timer would have fired after 1 ms
  assert.equal(fired, 0);
  realClock.clearTimeout(long);
});

test('while paused the probes give no result (no failure counted), and the checks go on after unpause', async () => {
  let paused = false;
  const h = harness({ auto: () => (paused ? { exitCode: -1, output: 'cannot exec in a paused container', paused: true } : ok) });
  const a = h.job('a', { intervalMs: 1000, retries: 1 });
  h.s.update([a]);
  await h.clock.advance(1000);
  assert.deepEqual(
    h.records.map((r) => r.next.Status),
    ['healthy'],
  );
  paused = true;
  await h.clock.advance(5000);
  assert.equal(h.records.length, 1, 'nothing recorded while paused');
  paused = false;
  await h.clock.advance(1000);
  assert.equal(h.records.length, 2);
  assert.deepEqual([h.records[1]!.next.Status, h.records[1]!.next.FailingStreak, h.records[1]!.next.Log.length], ['healthy', 0, 2]);
  h.s.stop();
});
