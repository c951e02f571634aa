/**
 * The real monitor process of a state root, without containers: "containers" are sleep
 * processes and the runtime a stand-in script that runs the probe here (what `runc exec` runs
 * inside the container). 20 processes make sure the monitor runs at the same moment: exactly
 * one starts. It runs every job, drops a removed one at once, is started again after a SIGKILL
 * and re-arms the live jobs, ends by itself after its last container is gone, and at once when
 * the runroot is removed (`system reset`).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { healthPaths, removeJob, writeJob, type HealthJob } from '../../src/engine/containers/health-jobs.js';
import { ensureHealthMonitor, monitorArg } from '../../src/engine/containers/health-launch.js';
import { processStart } from '../../src/engine/process-alive.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until<T>(what: string, f: () => T | undefined, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

function monitorsOf(paths: { root: string; runRoot: string }): number[] {
  const arg = monitorArg(paths);
  return readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .filter((p) => {
      try {
        const argv = readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0');
        return argv.some((a) => a.endsWith('/health-monitor.js')) && argv.includes(arg);
      } catch {
        return false;
      }
    })
    .map(Number);
}

interface Health {
  Status: string;
  Log: { Start: string; End: string; ExitCode: number }[];
}

function world() {
  const dir = mkdtempSync(join(tmpdir(), 'berth-health-proc-'));
  const paths = { root: join(dir, 'root'), runRoot: join(dir, 'run') };
  const runtime = join(dir, 'runtime');
  writeFileSync(runtime, '#!/bin/sh\n# --root R exec ID CMD...\nshift 4\nexec "$@"\n');
  chmodSync(runtime, 0o755);
  const sleeps: ChildProcess[] = [];
  /** A "container": a sleep process, its directory, its job. */
  const container = (name: string, argv = ['true']): HealthJob => {
    const s = spawn('sleep', ['300'], { stdio: 'ignore' });
    sleeps.push(s);
    const id = Buffer.from(name).toString('hex').padEnd(64, '0');
    mkdirSync(join(paths.root, 'containers', id), { recursive: true });
    writeFileSync(join(paths.root, 'containers', id, 'health.json'), JSON.stringify({ Status: 'starting', FailingStreak: 0, Log: [] }));
    const job: HealthJob = {
      id,
      pid: s.pid!,
      pidStart: processStart(s.pid!),
      startedAt: Date.now(),
      runtime,
      argv,
      intervalMs: 200,
      timeoutMs: 5000,
      startPeriodMs: 0,
      retries: 1,
    };
    writeJob(paths.runRoot, job);
    return job;
  };
  const health = (job: HealthJob): Health => JSON.parse(readFileSync(join(paths.root, 'containers', job.id, 'health.json'), 'utf8'));
  const dispose = () => {
    for (const s of sleeps) s.kill('SIGKILL');
    for (const pid of monitorsOf(paths)) process.kill(pid, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  return { dir, paths, container, health, sleeps, dispose };
}

/** `ensureHealthMonitor` from `n` separate processes at the same moment. */
async function ensureFromProcesses(paths: { root: string; runRoot: string }, n: number): Promise<void> {
  const mod = new URL('../../src/engine/containers/health-launch.js', import.meta.url).href;
  const code = `const { ensureHealthMonitor } = await import(${JSON.stringify(mod)}); await ensureHealthMonitor(${JSON.stringify(paths)});`;
  const codes = await Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<number | null>((resolve) => {
          const c = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', '--input-type=module', '-e', code], { stdio: 'ignore' });
          c.on('close', resolve);
        }),
    ),
  );
  assert.deepEqual(new Set(codes), new Set([0]));
}

test('20 processes make sure at once: one monitor; it runs every job and drops a removed one', async () => {
  const w = world();
  try {
    const jobs = [w.container('a'), w.container('b'), w.container('c', ['false'])];
    await ensureFromProcesses(w.paths, 20);
    const mons = monitorsOf(w.paths);
    assert.equal(mons.length, 1, `monitors: ${mons.join(' ')}`);
    assert.equal(Number(readFileSync(healthPaths(w.paths.runRoot).pidFile, 'utf8')), mons[0]);
    await until('a and b healthy, c unhealthy', () =>
      w.health(jobs[0]!).Status === 'healthy' && w.health(jobs[1]!).Status === 'healthy' && w.health(jobs[2]!).Status === 'unhealthy' ? true : undefined,
    );
    // a start in this process finds it running
    await ensureHealthMonitor(w.paths);
    assert.deepEqual(monitorsOf(w.paths), mons);
    // removing b's job (stop, rm) ends its probes; a's go on
    const removedAt = new Date().toISOString();
    removeJob(w.paths.runRoot, jobs[1]!.id);
    // a probe of a that started after the removal: the monitor has seen it (b's result is never written after)
    await until('a probed after the removal', () => (w.health(jobs[0]!).Log.some((l) => l.Start > removedAt) ? true : undefined));
    const frozen = readFileSync(join(w.paths.root, 'containers', jobs[1]!.id, 'health.json'), 'utf8');
    const aEnd = w.health(jobs[0]!).Log.at(-1)!.End;
    await until('a probed twice more', () => (w.health(jobs[0]!).Log.filter((l) => l.End > aEnd).length >= 2 ? true : undefined));
    assert.equal(readFileSync(join(w.paths.root, 'containers', jobs[1]!.id, 'health.json'), 'utf8'), frozen);
    // the containers end: the monitor ends by itself, its pid file with it
    for (const s of w.sleeps) s.kill('SIGKILL');
    await until('the monitor to end', () => (monitorsOf(w.paths).length === 0 ? true : undefined), 15_000);
    assert.equal(existsSync(healthPaths(w.paths.runRoot).pidFile), false);
  } finally {
    w.dispose();
  }
});

test('after a SIGKILL the next start runs a new monitor that re-arms every live job; a removed runroot ends it at once', async () => {
  const w = world();
  try {
    const a = w.container('a');
    await ensureHealthMonitor(w.paths);
    await until('a healthy', () => (w.health(a).Status === 'healthy' ? true : undefined));
    const [old] = monitorsOf(w.paths);
    process.kill(old!, 'SIGKILL');
    await until('the monitor to die', () => (monitorsOf(w.paths).length === 0 ? true : undefined));
    const killedAt = new Date().toISOString();
    const b = w.container('b');
    await ensureHealthMonitor(w.paths);
    const mons = monitorsOf(w.paths);
    assert.equal(mons.length, 1);
    assert.notEqual(mons[0], old);
    await until('a and b probed by the new monitor', () =>
      [a, b].every((j) => w.health(j).Status === 'healthy' && w.health(j).Log.some((l) => l.Start > killedAt)) ? true : undefined,
    );
    // `system reset` removes the runroot: the monitor ends without waiting for its jobs
    rmSync(w.paths.runRoot, { recursive: true, force: true });
    await until('the monitor to end', () => (monitorsOf(w.paths).length === 0 ? true : undefined), 10_000);
    assert.equal(existsSync(w.paths.runRoot), false, 'the monitor did not make the runroot again');
  } finally {
    w.dispose();
  }
});
