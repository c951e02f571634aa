import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { Sandbox, sleep } from './helpers.js';
import { attachContainer, parseDetachKeys, DetachMatcher, execInContainer } from '../../src/engine/runtime/index.js';
import { isEngineError } from '../../src/engine/errors.js';

const sb = new Sandbox();
after(() => sb.cleanup());

function collect() {
  const s = Object.assign(new PassThrough(), { columns: 100, rows: 30 });
  let text = '';
  s.on('data', (b: Buffer) => (text += b.toString()));
  return { s, text: () => text };
}

async function until(cond: () => boolean, ms = 5000) {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await sleep(20);
  }
}

test('detach keys parse as docker does', () => {
  assert.deepEqual([...parseDetachKeys('ctrl-p,ctrl-q')], [16, 17]);
  assert.deepEqual([...parseDetachKeys('ctrl-@,ctrl-[,ctrl-\\,ctrl-],ctrl-^,ctrl-_,a')], [0, 27, 28, 29, 30, 31, 97]);
  assert.equal(parseDetachKeys('').length, 0);
  assert.throws(
    () => parseDetachKeys('ctrl-1'),
    (e: unknown) => isEngineError(e, 'invalid'),
  );
  const m = new DetachMatcher(parseDetachKeys('ctrl-p,ctrl-q'));
  assert.deepEqual(m.feed(Buffer.from('a\x10')), { forward: Buffer.from('a'), detach: false });
  assert.deepEqual(m.feed(Buffer.from('b')), { forward: Buffer.from('\x10b'), detach: false });
  assert.deepEqual(m.feed(Buffer.from('\x10')), { forward: Buffer.alloc(0), detach: false });
  assert.deepEqual(m.feed(Buffer.from('\x11rest')), { forward: Buffer.alloc(0), detach: true });
});

test('attach (non-tty): separate streams from the start, then the exit code', async () => {
  const c = await sb.create({ args: ['sh', '-c', 'echo out; echo err >&2; exit 4'] });
  const out = collect();
  const err = collect();
  const r = await attachContainer({
    id: c.id,
    socketDir: sb.socketDir,
    bundle: sb.bundle(c.id),
    exitFile: sb.exitFile(c.id),
    io: { stdout: out.s, stderr: err.s },
    tty: false,
    onAttached: () => sb.runc.start(c.id),
  });
  assert.equal(r, 4);
  assert.equal(out.text(), 'out\n');
  assert.equal(err.text(), 'err\n');
});

test('attach -i (non-tty): stdin forwarded; its EOF reaches the container', async () => {
  const c = await sb.create({ args: ['sh', '-c', 'wc -c; exit 0'] }, { stdin: true });
  const out = collect();
  const stdin = new PassThrough();
  const p = attachContainer({
    id: c.id,
    socketDir: sb.socketDir,
    bundle: sb.bundle(c.id),
    exitFile: sb.exitFile(c.id),
    io: { stdin, stdout: out.s, stderr: new PassThrough() },
    tty: false,
    stdin: true,
    onAttached: () => sb.runc.start(c.id),
  });
  stdin.write('hello ');
  stdin.end('world\n');
  assert.equal(await p, 0);
  assert.equal(out.text().trim(), '12');
});

test('attach with a tty: output, input, resize; Ctrl-P Ctrl-Q detaches and the container runs on; re-attach works', async () => {
  const c = await sb.create({ args: ['sh'], terminal: true }, { stdin: true });
  const out = collect();
  const stdin = new PassThrough();
  const opts = {
    id: c.id,
    socketDir: sb.socketDir,
    bundle: sb.bundle(c.id),
    exitFile: sb.exitFile(c.id),
    tty: true,
    stdin: true,
  };
  const p = attachContainer({ ...opts, io: { stdin, stdout: out.s, stderr: new PassThrough() }, onAttached: () => sb.runc.start(c.id) });
  stdin.write('stty size; echo mark-$((6*7))\r');
  await until(() => out.text().includes('mark-42'));
  assert.match(out.text(), /30 100/); // the size sent through conmon's ctl FIFO
  stdin.write('\x10\x11');
  assert.equal(await p, 'detached');
  assert.equal((await sb.runc.state(c.id)).status, 'running');

  // Second attach: stdin still open (conmon --leave-stdin-open for tty), then exit the shell.
  const out2 = collect();
  const stdin2 = new PassThrough();
  const p2 = attachContainer({ ...opts, io: { stdin: stdin2, stdout: out2.s, stderr: new PassThrough() } });
  await sleep(100);
  stdin2.write('echo again; exit 9\r');
  assert.equal(await p2, 9);
  assert.match(out2.text(), /again/);
});

test('attach to an exited container → conflict', async () => {
  const c = await sb.run({ args: ['true'] });
  await sb.waitExit(c.id);
  await assert.rejects(
    () =>
      attachContainer({
        id: c.id,
        socketDir: sb.socketDir,
        bundle: sb.bundle(c.id),
        exitFile: sb.exitFile(c.id),
        io: { stdout: new PassThrough(), stderr: new PassThrough() },
        tty: false,
      }),
    (e: unknown) => isEngineError(e, 'conflict'),
  );
});

test('abort signal detaches', async () => {
  const c = await sb.run({ args: ['sleep', '300'] });
  const ac = new AbortController();
  const p = attachContainer({
    id: c.id,
    socketDir: sb.socketDir,
    bundle: sb.bundle(c.id),
    exitFile: sb.exitFile(c.id),
    io: { stdout: new PassThrough(), stderr: new PassThrough() },
    tty: false,
    signal: ac.signal,
  });
  await sleep(100);
  ac.abort();
  assert.equal(await p, 'detached');
  assert.equal((await sb.runc.state(c.id)).status, 'running');
  void execInContainer; // (exec is covered in exec.test.ts)
});
