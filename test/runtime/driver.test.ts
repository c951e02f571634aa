import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { Sandbox, sleep } from './helpers.js';
import { OciDriver } from '../../src/engine/runtime/index.js';
import { isEngineError } from '../../src/engine/errors.js';

const sb = new Sandbox();
const driver = new OciDriver({ runRoot: join(sb.dir, 'run') });
// The sandbox cleans up the runc root it knows; point it at the driver's too.
after(async () => {
  const { execFileSync } = await import('node:child_process');
  try {
    for (const id of execFileSync('/usr/sbin/runc', ['--root', driver.runc.cfg.root, 'list', '-q'], { encoding: 'utf8' }).split('\n').filter(Boolean)) {
      await driver.delete(id, { force: true }).catch(() => undefined);
    }
  } catch {
    // nothing created
  }
  await sb.cleanup();
});

test('driver: layout under the runroot, runc chosen', () => {
  assert.equal(driver.runtimeName, 'runc');
  assert.equal(driver.runc.cfg.root, join(sb.dir, 'run', 'runc'));
  assert.equal(driver.exitFile('x'), join(sb.dir, 'run', 'exits', 'x'));
});

test('driver: run, logs follow, wait, stop with grace period then KILL, delete', async () => {
  const id = sb.id();
  const bundle = sb.prepare(id, { args: ['sh', '-c', 'trap "" TERM; echo up; while true; do sleep 0.1; done'] });
  const logPath = sb.logPath(id);
  await driver.run(id, { bundle, logPath });
  assert.equal((await driver.state(id)).status, 'running');
  const ac = new AbortController();
  const waited = driver.wait(id, ac.signal);
  const t0 = Date.now();
  const code = await driver.stop(id, { timeoutSec: 1 });
  const took = Date.now() - t0;
  assert.equal(code, 137);
  assert.ok(took >= 900 && took < 5000, `stop took ${took} ms`);
  assert.equal(await waited, 137);
  assert.equal(driver.exitCode(id), 137);
  const lines = [];
  for await (const l of driver.logs(id, logPath, { follow: true })) lines.push(l.text);
  assert.deepEqual(lines, ['up']);
  await driver.delete(id);
  assert.equal(await driver.tryState(id), undefined);
  assert.ok(!existsSync(driver.exitFile(id)));
});

test('driver: stop of a TERM-handling container is quick; exec and top go through it', async () => {
  const id = sb.id();
  const bundle = sb.prepare(id, { args: ['sh', '-c', 'trap "exit 0" TERM; while true; do sleep 0.05; done'] });
  await driver.run(id, { bundle, logPath: sb.logPath(id) });
  const out = new PassThrough();
  let s = '';
  out.on('data', (b: Buffer) => (s += b.toString()));
  assert.equal(await driver.exec(id, { cmd: ['echo', 'hi'] }, { stdout: out, stderr: out }), 0);
  assert.equal(s, 'hi\n');
  assert.ok((await driver.top(id)).processes.length >= 1);
  await driver.pause(id);
  await assert.rejects(() => driver.exec(id, { cmd: ['true'] }, { stdout: out, stderr: out }), (e: unknown) => isEngineError(e, 'conflict'));
  await driver.resume(id);
  const t0 = Date.now();
  assert.equal(await driver.stop(id, { timeoutSec: 10 }), 0);
  assert.ok(Date.now() - t0 < 2000);
  assert.equal(await driver.stop(id), 0); // already stopped: just the code
  await driver.delete(id);
});

test('driver: attach to a created container starts it via onAttached; Ctrl-P Ctrl-Q detaches', async () => {
  const id = sb.id();
  const bundle = sb.prepare(id, { args: ['sh'], terminal: true });
  await driver.create(id, { bundle, logPath: sb.logPath(id), terminal: true, stdin: true });
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  let s = '';
  stdout.on('data', (b: Buffer) => (s += b.toString()));
  const p = driver.attach(id, { stdin, stdout, stderr: new PassThrough() }, { tty: true, stdin: true, onAttached: () => driver.start(id) });
  stdin.write('echo $((1+2))x\r');
  for (let i = 0; i < 100 && !s.includes('3x'); i++) await sleep(20);
  assert.match(s, /3x/);
  stdin.write('\x10\x11');
  assert.equal(await p, 'detached');
  assert.equal((await driver.state(id)).status, 'running');
  await driver.delete(id, { force: true });
});
