/** Handing the terminal to a container process and taking it back. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { handOverTerminal } from '../../src/screens/terminal-handoff.js';
import { fakeTtyStdin } from '../fakes/fake-engine.js';

function setup() {
  const stdin = fakeTtyStdin();
  const stdout = new PassThrough();
  let written = '';
  stdout.on('data', (d) => (written += String(d)));
  const events: string[] = [];
  const suspend = async (cb: () => Promise<void>) => {
    events.push('suspend');
    try {
      await cb();
    } finally {
      events.push('resume');
    }
  };
  return { stdin, stdout, suspend, events, written: () => written };
}

test('raw mode on for the child, restored after; the child gets our streams', async () => {
  const s = setup();
  const r = await handOverTerminal(s.suspend, { stdin: s.stdin, stdout: s.stdout, stderr: s.stdout }, async (io) => {
    assert.equal(io.stdin, s.stdin);
    s.events.push('child');
    return 7;
  });
  assert.equal(r, 7);
  assert.deepEqual(s.events, ['suspend', 'child', 'resume']);
  assert.deepEqual(s.stdin.rawModes, [true, false]);
  assert.match(s.written(), /\u001B\[2J/);
});

test('listeners the child leaves on stdin are removed, ours are kept', async () => {
  const s = setup();
  const ours = () => undefined;
  s.stdin.on('data', ours);
  await handOverTerminal(s.suspend, { stdin: s.stdin, stdout: s.stdout, stderr: s.stdout }, async (io) => {
    io.stdin!.on('data', () => undefined);
    io.stdin!.on('end', () => undefined);
    return 0;
  });
  assert.deepEqual(s.stdin.listeners('data'), [ours]);
  assert.equal(s.stdin.listenerCount('end'), 0);
});

test('a failing exec still resumes the dashboard, then reports the error', async () => {
  const s = setup();
  await assert.rejects(
    handOverTerminal(s.suspend, { stdin: s.stdin, stdout: s.stdout, stderr: s.stdout }, async () => {
      throw new Error('no /bin/sh in image');
    }),
    /no \/bin\/sh/,
  );
  assert.deepEqual(s.events, ['suspend', 'resume']);
  assert.deepEqual(s.stdin.rawModes, [true, false]);
});

test('Node stops reading the terminal while the child owns it, and reads again afterwards', async () => {
  const { stdin, stdout, suspend } = setup();
  const calls: string[] = [];
  // A tty.ReadStream's libuv handle, as far as the handoff uses it.
  const handle = { reading: true, readStop: () => (calls.push('stop'), 0), readStart: () => (calls.push('start'), 0) };
  (stdin as unknown as { _handle: typeof handle })._handle = handle;
  await handOverTerminal(suspend, { stdin, stdout, stderr: stdout }, async () => {
    calls.push('child');
    assert.equal(handle.reading, false);
    return 0;
  });
  assert.deepEqual(calls, ['stop', 'child', 'start']);
  assert.equal(handle.reading, true);
});
