/**
 * berth SIGKILLed in the middle of `run`: afterwards `ps -a` tells the truth (a container shown
 * running runs, none runs unseen) and `rm -f` cleans everything — no row, mount, conmon or cgroup.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BERTH } from '../helpers/berth.js';
import { Box, NONE, leaks, sleep, until } from './container-support.js';

let sb: Box;
before(() => {
  sb = new Box('berth-ctr-crash');
});
after(() => sb.disposeChecked());

/** Starts `berth ARGS` and SIGKILLs it after `ms` (if it is still running then). */
async function killedAfter(args: string[], ms: number): Promise<void> {
  const child = spawn(BERTH, args, { env: sb.env, stdio: 'ignore' });
  const exited = new Promise<void>((r) => child.on('exit', () => r()));
  await sleep(ms);
  // bin/berth execs node, so the pid is berth's own process
  child.kill('SIGKILL');
  await exited;
}

function runcList(): Array<{ id: string; status: string; pid: number }> {
  const r = spawnSync('runc', ['--root', join(sb.runRoot, 'runc'), 'list', '--format', 'json'], { encoding: 'utf8' });
  if (r.status !== 0 || !r.stdout.trim()) return [];
  return (JSON.parse(r.stdout) as Array<{ id: string; status: string; pid: number }> | null) ?? [];
}

const cmdline = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return '';
  }
};

test('kill -9 of berth at many points of run: ps -a is truthful, rm -f cleans everything', async () => {
  // The kill points are fractions of how long one whole `run -d` takes here and now, so a loaded
  // machine (a slow start of node) still has kills before, during and after the container's creation.
  const t0 = Date.now();
  const first = sb.runD([...NONE, 'busybox', 'sleep', '300']);
  const full = Date.now() - t0;
  sb.ok(['rm', '-f', first]);
  for (const f of [0.3, 0.45, 0.55, 0.62, 0.7, 0.77, 0.85, 0.92, 1, 1.2])
    await killedAfter(['run', '-d', ...NONE, 'busybox', 'sleep', '300'], Math.round(full * f));
  // the foreground form too: berth dies while attached; the container lives on under conmon
  for (const f of [0.6, 0.9, 1.5]) await killedAfter(['run', ...NONE, 'busybox', 'sleep', '300'], Math.round(full * f));
  sb.note();

  const rows = sb
    .ok(['ps', '-a', '--no-trunc', '--format', 'json'])
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { ID: string; State: string; Status: string });
  assert.ok(rows.length > 0, 'no run got as far as creating its container');
  const running = new Set<string>();
  for (const r of rows) {
    const d = sb.inspect(r.ID);
    if (r.State === 'running') {
      running.add(d.Id);
      assert.ok(d.State.Pid > 0 && cmdline(d.State.Pid).startsWith('sleep'), `${r.ID} shown running but its process is gone`);
    } else {
      assert.equal(d.State.Running, false);
      assert.equal(d.State.Pid, 0);
    }
  }
  // nothing runs that ps does not show as running
  for (const c of runcList()) {
    if (c.status === 'running' || c.status === 'paused') assert.ok(running.has(c.id), `runc runs ${c.id} but ps -a says otherwise`);
  }
  // a second look agrees with the first (sync made the rows true once and for all)
  const again = sb.ok(['ps', '-a', '--no-trunc', '--format', '{{.ID}} {{.State}}']).trim().split('\n').sort();
  assert.deepEqual(again, rows.map((r) => `${r.ID} ${r.State}`).sort());

  sb.ok(['rm', '-f', ...rows.map((r) => r.ID)]);
  assert.equal(sb.ok(['ps', '-aq']).trim(), '');
  assert.deepEqual(runcList(), []);
  // conmon's exit commands finish on their own
  await until(() => leaks(sb, sb.ids).length === 0, 30_000);
  assert.deepEqual(leaks(sb, sb.ids), []);
});

test('kill -9 of berth during rm -f and stop: a later rm -f finishes the job', async () => {
  const ids = [0, 1, 2, 3].map((i) => sb.runD(['--name', `k${i}`, ...NONE, 'busybox', 'sleep', '300']));
  await killedAfter(['rm', '-f', 'k0'], 150);
  await killedAfter(['rm', '-f', 'k1'], 250);
  await killedAfter(['stop', '-t', '1', 'k2'], 300);
  await killedAfter(['stop', '-t', '0', 'k3'], 200);
  const rows = sb.ok(['ps', '-a', '--no-trunc', '--format', '{{.ID}} {{.State}}']).trim().split('\n').filter(Boolean);
  for (const line of rows) {
    const [id, st] = line.split(' ');
    const pid = sb.inspect(id!).State.Pid as number;
    if (st === 'running') assert.ok(cmdline(pid).startsWith('sleep'), line);
  }
  const left = ids.filter((id) => rows.some((l) => l.startsWith(id)));
  if (left.length) sb.ok(['rm', '-f', ...left]);
  assert.equal(sb.ok(['ps', '-aq']).trim(), '');
  await until(() => leaks(sb, sb.ids).length === 0, 30_000);
  assert.deepEqual(leaks(sb, sb.ids), []);
});

/** `berth run --rm …` in the foreground, its stdout collected; resolves with the exit code. */
function foregroundRun(args: string[]) {
  const child = spawn(BERTH, ['run', '--rm', ...NONE, ...args], { env: sb.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const code = new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
  return { child, code, out: () => out };
}

const psA = () => sb.ok(['ps', '-a', '--no-trunc', '--format', '{{.Names}} {{.State}}']).trim();

test('run --rm in the foreground: a slow reader still gets the output and exit code; the exit command leaves removal to it', async () => {
  const run = foregroundRun(['--name', 'slow-rm', 'busybox', 'sh', '-c', 'sleep 2; echo hello from slow-rm; exit 3']);
  assert.ok(await until(() => psA() === 'slow-rm running', 30_000), 'the container never ran');
  // berth stops reading (as on a loaded machine) while the container exits and conmon's exit
  // command and listings run: the row stays, exited, until berth read everything
  run.child.kill('SIGSTOP');
  assert.ok(await until(() => psA().startsWith('slow-rm exited'), 30_000), `not exited: ${psA()}`);
  assert.match(psA(), /^slow-rm exited$/);
  run.child.kill('SIGCONT');
  assert.equal(await run.code, 3);
  assert.equal(run.out(), 'hello from slow-rm\n');
  assert.equal(psA(), '');
});

test('run --rm in the foreground killed after the exit: the next listing removes the container', async () => {
  const run = foregroundRun(['--name', 'killed-rm', 'busybox', 'sh', '-c', 'sleep 2; exit 0']);
  assert.ok(await until(() => psA() === 'killed-rm running', 30_000), 'the container never ran');
  sb.note();
  run.child.kill('SIGSTOP');
  assert.ok(await until(() => psA().startsWith('killed-rm exited'), 30_000), `not exited: ${psA()}`);
  run.child.kill('SIGKILL');
  await run.code;
  assert.equal(psA(), '');
  await until(() => leaks(sb, sb.ids).length === 0, 30_000);
  assert.deepEqual(leaks(sb, sb.ids), []);
});
