/**
 * berth SIGKILLed in the middle of `run`: afterwards `ps -a` tells the truth (a container shown
 * running runs, none runs unseen) and `rm -f` cleans everything — no row, mount, conmon or cgroup.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BERTH } from '../helpers/berth.js';
import { Box, NONE, leaks, sleep } from './container-support.js';
import { waitFor } from '../helpers/wait.js';

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
  assert.ok(existsSync(join(sb.runRoot)) || true);
  const delays = [60, 110, 150, 190, 230, 270, 320, 380, 450, 600];
  for (const ms of delays) await killedAfter(['run', '-d', ...NONE, 'busybox', 'sleep', '300'], ms);
  // the foreground form too: berth dies while attached; the container lives on under conmon
  for (const ms of [200, 300, 900]) await killedAfter(['run', ...NONE, 'busybox', 'sleep', '300'], ms);
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
  // conmon's exit commands finish on their own: anything left after that is a leak
  await waitFor('conmon and its exit commands to finish', () => leaks(sb, sb.ids).length === 0).catch(() => undefined);
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
  await waitFor('conmon and its exit commands to finish', () => leaks(sb, sb.ids).length === 0).catch(() => undefined);
  assert.deepEqual(leaks(sb, sb.ids), []);
});
