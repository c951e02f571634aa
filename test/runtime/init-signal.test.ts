/**
 * Signalling a container's init without runc (runtime/init-signal.ts): only the process runc's
 * state.json names, with the start time runc recorded; anything else is left to runc.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signalInit } from '../../src/engine/runtime/init-signal.js';

const root = mkdtempSync(join(tmpdir(), 'berth-init-signal-'));
const children: ChildProcess[] = [];
after(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  rmSync(root, { recursive: true, force: true });
});

function startTime(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
}

async function sleeper(): Promise<ChildProcess> {
  const c = spawn('sleep', ['600'], { stdio: 'ignore' });
  children.push(c);
  await once(c, 'spawn');
  return c;
}

function state(id: string, o: Record<string, unknown>): void {
  mkdirSync(join(root, id), { recursive: true });
  writeFileSync(join(root, id, 'state.json'), JSON.stringify({ id, ...o }));
}

test('the recorded init with the recorded start time gets the signal, as from runc kill', async () => {
  const c = await sleeper();
  state('a', { init_process_pid: c.pid, init_process_start: startTime(c.pid!) });
  const exited = once(c, 'exit');
  assert.equal(signalInit(root, 'a', 15), true);
  const [code, signal] = await exited;
  assert.deepEqual([code, signal], [null, 'SIGTERM']);
});

test('a pid whose start time differs (reused) is not signalled: left to runc', async () => {
  const c = await sleeper();
  state('b', { init_process_pid: c.pid, init_process_start: startTime(c.pid!) + 1 });
  assert.equal(signalInit(root, 'b', 9), false);
  // and it still runs: signal 0 reaches it, and it is no zombie
  process.kill(c.pid!, 0);
  assert.doesNotMatch(readFileSync(`/proc/${c.pid}/stat`, 'utf8'), /\) [ZX] /);
});

test('no state, another layout or an exited init: left to runc', async () => {
  assert.equal(signalInit(root, 'missing', 15), false);
  state('crun', { status: 'running', pid: process.pid });
  assert.equal(signalInit(root, 'crun', 15), false);
  const c = await sleeper();
  const pid = c.pid!;
  const start = startTime(pid);
  c.kill('SIGKILL');
  await once(c, 'exit');
  state('gone', { init_process_pid: pid, init_process_start: start });
  assert.equal(signalInit(root, 'gone', 15), false);
});
