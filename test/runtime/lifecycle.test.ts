import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { Sandbox, sleep } from './helpers.js';
import { isEngineError } from '../../src/engine/errors.js';
import { engineExit } from '../../src/cli/exit-codes.js';
import { readLogs, isConmon } from '../../src/engine/runtime/index.js';
import { catchesSignal, waitFor } from '../helpers/wait.js';

const sb = new Sandbox();
after(() => sb.cleanup());

test('echo hi: log line parsed, exit code 0 recorded', async () => {
  const t0 = performance.now();
  const c = await sb.run({ args: ['echo', 'hi'] });
  const started = performance.now() - t0;
  assert.ok(c.pid > 0 && c.conmonPid > 0);
  assert.equal(await sb.waitExit(c.id), 0);
  const lines = [];
  for await (const l of readLogs(sb.logPath(c.id))) lines.push(l);
  assert.equal(lines.length, 1);
  assert.deepEqual({ ...lines[0], time: '' }, { stream: 'stdout', text: 'hi', complete: true, time: '' });
  assert.ok(!Number.isNaN(Date.parse(lines[0]!.time)));
  console.log(`create+start of echo: ${started.toFixed(1)} ms`);
});

test('create+start of true is fast', async () => {
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    const c = await sb.run({ args: ['true'] });
    times.push(performance.now() - t0);
    assert.equal(await sb.waitExit(c.id), 0);
    await sb.runc.delete(c.id);
  }
  times.sort((a, b) => a - b);
  console.log(`create+start of true: median ${times[2]!.toFixed(1)} ms (min ${times[0]!.toFixed(1)}, max ${times[4]!.toFixed(1)})`);
});

test('exit code 3 recorded; stderr logged as stderr', async () => {
  const c = await sb.run({ args: ['sh', '-c', 'echo oops >&2; exit 3'] });
  assert.equal(await sb.waitExit(c.id), 3);
  const lines = [];
  for await (const l of readLogs(sb.logPath(c.id))) lines.push(l);
  assert.deepEqual(
    lines.map((l) => [l.stream, l.text]),
    [['stderr', 'oops']],
  );
});

test('missing command → cmd-not-found (127), nothing left behind', async () => {
  const { execFileSync } = await import('node:child_process');
  const list = () => execFileSync('/usr/sbin/runc', ['--root', sb.root, 'list', '-q'], { encoding: 'utf8' }).trim();
  const before = list();
  await assert.rejects(
    () => sb.run({ args: ['nosuch'] }),
    (e: unknown) => {
      assert.ok(isEngineError(e, 'cmd-not-found'), String(e));
      assert.match((e as Error).message, /exec: "nosuch": executable file not found in \$PATH/);
      assert.equal(engineExit(e, 125), 127);
      return true;
    },
  );
  // The failed create left no container in the runc root, and its conmon is gone.
  assert.equal(list(), before);
  const { readdirSync } = await import('node:fs');
  const bundles = readdirSync(join(sb.dir, 'bundles')).map((d) => join(sb.dir, 'bundles', d));
  const failed = bundles.find((b) => readFileSync(join(b, 'config.json'), 'utf8').includes('"nosuch"'))!;
  const pid = Number(readFileSync(join(failed, 'conmon.pid'), 'utf8'));
  await waitFor("the failed create's conmon to go", () => !isConmon(pid));
});

test('conmon outlives its caller, holds none of its stdio, and runs the exit command', async () => {
  const id = sb.id();
  sb.prepare(id, { args: ['sh', '-c', 'read x < /dev/null; sleep 300'] });
  const marker = join(sb.dir, 'exit-command-ran');
  const opts = sb.createOpts(id, { exitCommand: ['/bin/sh', '-c', 'echo "$1" > "$2"', 'sh', 'cleanup-' + id, marker] });
  const child = spawn(process.execPath, [fileURLToPath(new URL('./start-child.js', import.meta.url)), JSON.stringify(opts)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  // 'close' needs every holder of the pipe gone: conmon must not have inherited it.
  const code = await new Promise<number | null>((r) => child.on('close', r));
  assert.equal(code, 0);
  const c = JSON.parse(out) as { pid: number; conmonPid: number };
  assert.ok(isConmon(c.conmonPid));
  assert.equal((await sb.runc.state(id)).status, 'running');
  // Own session: not in our process group or session.
  const stat = readFileSync(`/proc/${c.conmonPid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  assert.notEqual(Number(stat[3]), process.pid); // session id (field 6) differs from ours
  assert.equal(Number(stat[3]), c.conmonPid); // conmon leads its own session
  await sb.runc.kill(id, 'KILL');
  assert.equal(await sb.waitExit(id), 137);
  await waitFor('the exit command', () => existsSync(marker) && readFileSync(marker, 'utf8').endsWith('\n'));
  assert.equal(readFileSync(marker, 'utf8'), `cleanup-${id}\n`);
});

test('non-executable command → cmd-not-executable (126)', async () => {
  // /etc/passwd exists but is not executable.
  await assert.rejects(
    () => sb.run({ args: ['/etc/passwd'] }),
    (e: unknown) => {
      assert.ok(isEngineError(e, 'cmd-not-executable'), String(e));
      assert.equal(engineExit(e, 125), 126);
      return true;
    },
  );
});

test('sleep: running, own pid namespace; pid 1 ignores an unhandled TERM, KILL ends it', async () => {
  const c = await sb.run({ args: ['sleep', '300'], hostname: 'berthy' });
  const st = await sb.runc.state(c.id);
  assert.equal(st.status, 'running');
  assert.equal(st.pid, c.pid);
  // In its own pid namespace the init is pid 1.
  const nspid = readFileSync(`/proc/${c.pid}/status`, 'utf8')
    .match(/^NSpid:\s+(.*)$/m)![1]!
    .trim()
    .split(/\s+/);
  assert.equal(nspid.at(-1), '1');
  assert.deepEqual(await sb.runc.pids(c.id), [c.pid]);
  // busybox sleep as pid 1 ignores SIGTERM without a handler? No: pid 1 ignores signals it has
  // no handler for, so TERM does nothing; docker needs KILL here as well.
  await sb.runc.kill(c.id, 'TERM');
  await sleep(200);
  assert.equal((await sb.runc.state(c.id)).status, 'running');
  await sb.runc.kill(c.id, '9');
  assert.equal(await sb.waitExit(c.id), 137);
  assert.equal((await sb.runc.state(c.id)).status, 'stopped');
  await sb.runc.delete(c.id);
  assert.equal(await sb.runc.tryState(c.id), undefined);
});

test('kill with SIGTERM ends a process that handles it', async () => {
  const c = await sb.run({ args: ['sh', '-c', 'trap "exit 42" TERM; while true; do sleep 0.1; done'] });
  // PID 1 ignores TERM until the shell has set its trap
  await waitFor('the trap on TERM', () => catchesSignal(c.pid, 15));
  await sb.runc.kill(c.id, 'SIGTERM');
  assert.equal(await sb.waitExit(c.id), 42);
});

test('pause and resume', async () => {
  const c = await sb.run({ args: ['sleep', '300'] });
  await sb.runc.pause(c.id);
  assert.equal((await sb.runc.state(c.id)).status, 'paused');
  await sb.runc.resume(c.id);
  assert.equal((await sb.runc.state(c.id)).status, 'running');
  await sb.runc.delete(c.id, { force: true });
  assert.equal(await sb.waitExit(c.id), 137);
});

test('unknown container → not-found; invalid signal → invalid', async () => {
  await assert.rejects(
    () => sb.runc.state('nosuchcontainer'),
    (e: unknown) => isEngineError(e, 'not-found'),
  );
  await assert.rejects(
    () => sb.runc.kill('nosuchcontainer', 'SIGNOPE'),
    (e: unknown) => isEngineError(e, 'invalid'),
  );
});
