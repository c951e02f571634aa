/**
 * The healthcheck's job files and its probe, without containers: jobs written atomically and
 * read back checked, a replaced or dead job no longer current, the jobs directory gone (a reset
 * runroot); the probe through a stand-in runtime (a script that runs what `runc exec` would run
 * inside the container): exit code, docker's 4096-byte output cap, its timeout message, and a
 * probe killed when its job is dropped.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { healthPaths, jobAlive, jobCurrent, parseJob, readJobs, removeJob, writeJob, type HealthJob } from '../../src/engine/containers/health-jobs.js';
import { healthMonitorPid, monitorArg } from '../../src/engine/containers/health-launch.js';
import { probe } from '../../src/engine/containers/health-probe.js';
import { processStart } from '../../src/engine/process-alive.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'berth-health-'));

const job = (over: Partial<HealthJob> = {}): HealthJob => ({
  id: 'a'.repeat(64),
  pid: process.pid,
  pidStart: processStart(process.pid),
  startedAt: Date.now(),
  runtime: '/usr/sbin/runc',
  argv: ['/bin/sh', '-c', 'true'],
  intervalMs: 1000,
  timeoutMs: 30_000,
  startPeriodMs: 0,
  retries: 3,
  ...over,
});

test('jobs: written atomically, read back checked, removed; the directory gone reads as undefined', () => {
  const run = tmp();
  try {
    assert.equal(readJobs(run), undefined);
    const a = job();
    const b = job({ id: 'b'.repeat(64), argv: ['curl', '-f', 'http://localhost/'] });
    writeJob(run, a);
    writeJob(run, b);
    const jobs = healthPaths(run).jobs;
    // a writer's half-written file, a foreign file, a file whose id is not its name: skipped
    writeFileSync(join(jobs, `${'c'.repeat(64)}.json.123.tmp`), '{"id"');
    writeFileSync(join(jobs, 'junk.json'), 'not json');
    writeFileSync(join(jobs, `${'d'.repeat(64)}.json`), JSON.stringify(a));
    assert.deepEqual(
      readJobs(run)!.sort((x, y) => x.id.localeCompare(y.id)),
      [a, b],
    );
    assert.equal(readdirSync(jobs).filter((f) => f.includes('.tmp') && !f.includes('123')).length, 0);
    removeJob(run, a.id);
    removeJob(run, a.id); // twice: no error
    assert.deepEqual(readJobs(run), [b]);
  } finally {
    rmSync(run, { recursive: true, force: true });
  }
});

test('jobs: parseJob refuses what the monitor could not run', () => {
  const good = job();
  assert.deepEqual(parseJob(JSON.stringify(good)), good);
  for (const bad of [
    { id: 'short' },
    { pid: 0 },
    { pid: 1.5 },
    { argv: [] },
    { argv: ['ok', 3] },
    { intervalMs: -1 },
    { retries: Number.NaN },
    { runtime: undefined },
    { pidStart: 7 },
  ]) {
    assert.equal(parseJob(JSON.stringify({ ...good, ...bad })), undefined, JSON.stringify(bad));
  }
  assert.equal(parseJob('null'), undefined);
  assert.equal(parseJob('{'), undefined);
});

test('jobs: current only while its file holds the same run and its process lives (a reused pid is not it)', () => {
  const run = tmp();
  try {
    const a = job();
    assert.equal(jobCurrent(run, a), false); // no file
    writeJob(run, a);
    assert.equal(jobAlive(a), true);
    assert.equal(jobCurrent(run, a), true);
    // a new start of the container wrote its own job over this one
    writeJob(run, { ...a, startedAt: a.startedAt + 1 });
    assert.equal(jobCurrent(run, a), false);
    // the same pid with another start time: another process
    assert.equal(jobAlive({ ...a, pidStart: String(Number(a.pidStart) + 1) }), false);
    assert.equal(jobAlive({ ...a, pid: 0x3ffffff, pidStart: '1' }), false);
  } finally {
    rmSync(run, { recursive: true, force: true });
  }
});

test("the monitor's argument names its state root (tests and the leak audit look for it)", () => {
  const arg = monitorArg({ root: '/var/lib/berth', runRoot: '/run/berth' });
  assert.equal(arg, '{"root":"/var/lib/berth","runRoot":"/run/berth"}');
  assert.match(`health-monitor.js ${arg}`, /health-monitor\.js \{/);
});

test("the monitor's pid file is trusted only for a live process whose command line is this root's monitor", () => {
  const run = tmp();
  try {
    const paths = { root: join(run, 'root'), runRoot: join(run, 'run') };
    assert.equal(healthMonitorPid(paths), undefined); // no pid file
    mkdirSync(healthPaths(paths.runRoot).dir, { recursive: true });
    const pidFile = healthPaths(paths.runRoot).pidFile;
    // a live process that is not a monitor (a reused pid): this test's own
    writeFileSync(pidFile, String(process.pid));
    assert.equal(healthMonitorPid(paths), undefined);
    for (const junk of ['', 'abc', '-1', '0', '1.5', String(0x3ffffff)]) {
      writeFileSync(pidFile, junk);
      assert.equal(healthMonitorPid(paths), undefined, junk);
    }
  } finally {
    rmSync(run, { recursive: true, force: true });
  }
});

/** A stand-in for `runc --root R exec ID CMD…`: runs CMD here. */
function fakeRuntime(dir: string): string {
  const f = join(dir, 'runtime');
  writeFileSync(f, '#!/bin/sh\n# --root R exec ID CMD...\nshift 4\nexec "$@"\n');
  chmodSync(f, 0o755);
  return f;
}

test("probe: exit code and output; docker's 4096-byte cap; its timeout message", async () => {
  const dir = tmp();
  try {
    const runtime = fakeRuntime(dir);
    const base = { runtime, runtimeRoot: '/nonexistent', id: 'x', timeoutMs: 30_000 };
    assert.deepEqual(await probe({ ...base, argv: ['/bin/sh', '-c', 'echo out; echo err >&2; exit 3'] }), { exitCode: 3, output: 'out\nerr\n' });
    const big = await probe({ ...base, argv: ['/bin/sh', '-c', 'head -c 10000 /dev/zero | tr "\\0" x'] });
    assert.equal(big.exitCode, 0);
    assert.equal(big.output, `${'x'.repeat(4096)}...`);
    const slow = await probe({ ...base, timeoutMs: 200, argv: ['sleep', '30'] });
    assert.deepEqual(slow, { exitCode: -1, output: 'Health check exceeded timeout (200ms)' });
    const missing = await probe({ ...base, runtime: join(dir, 'no-such-runtime'), argv: ['true'] });
    assert.equal(missing.exitCode, -1);
    assert.match(missing.output, /ENOENT/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('probe: aborting it (its job dropped) kills the probe at once', async () => {
  const dir = tmp();
  try {
    const ac = new AbortController();
    const p = probe({ runtime: fakeRuntime(dir), runtimeRoot: '/nonexistent', id: 'x', timeoutMs: 60_000, argv: ['sleep', '60'] }, ac.signal);
    setTimeout(() => ac.abort(), 100);
    const r = await p; // resolves long before the 60 s of sleep or the timeout
    assert.equal(r.exitCode, -1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
