/** The host-wide CNI lock: exclusive across processes, released when its holder dies. */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withHostLock } from '../../src/net/cni-lock.js';

const dir = mkdtempSync(join(tmpdir(), 'berth-net-lock-'));
const lock = join(dir, 'cni.lock');
after(() => rmSync(dir, { recursive: true, force: true }));

// Probed from another process, as another berth would meet the lock (SQLite's fcntl lock).
const probe = `const { DatabaseSync } = require('node:sqlite'); const db = new DatabaseSync(process.argv[1], { timeout: 0 });
try { db.exec('BEGIN EXCLUSIVE'); db.exec('COMMIT'); } catch { process.exit(3); }`;
const freeNow = () => {
  const r = spawnSync(process.execPath, ['--disable-warning=ExperimentalWarning', '-e', probe, lock], { encoding: 'utf8' });
  if (r.status !== 0 && r.status !== 3) throw new Error(`lock probe failed: ${r.stderr}`);
  return r.status === 0;
};

test('held while fn runs, free after; other processes are excluded', async () => {
  assert.equal(freeNow(), true);
  await withHostLock(lock, async () => {
    assert.equal(freeNow(), false);
  });
  assert.equal(freeNow(), true);
});

test('calls in one process run one at a time', async () => {
  let inside = 0;
  let max = 0;
  await Promise.all(
    [1, 2, 3].map(() =>
      withHostLock(lock, async () => {
        inside++;
        max = Math.max(max, inside);
        await new Promise((r) => setTimeout(r, 20));
        inside--;
      }),
    ),
  );
  assert.equal(max, 1);
});

test('a holder killed with SIGKILL does not leave the lock held', async () => {
  const child = spawn(
    process.execPath,
    [
      '--disable-warning=ExperimentalWarning',
      '--input-type=module',
      '-e',
      `
    const { withHostLock } = await import(${JSON.stringify(new URL('../../src/net/cni-lock.js', import.meta.url).href)});
    await withHostLock(${JSON.stringify(lock)}, async () => { console.log('held'); await new Promise(() => setInterval(() => {}, 1000)); });
  `,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise((r) => child.stdout!.once('data', r));
  assert.equal(freeNow(), false);
  process.kill(child.pid!, 'SIGKILL');
  let free = false;
  for (let i = 0; i < 100 && !free; i++) {
    await new Promise((r) => setTimeout(r, 20));
    free = freeNow();
  }
  assert.equal(free, true);
});

test('a waiter gets the lock when another process lets go, and its event loop keeps running', async () => {
  const child = spawn(
    process.execPath,
    [
      '--disable-warning=ExperimentalWarning',
      '--input-type=module',
      '-e',
      `
    const { withHostLock } = await import(${JSON.stringify(new URL('../../src/net/cni-lock.js', import.meta.url).href)});
    await withHostLock(${JSON.stringify(lock)}, async () => { console.log('held'); await new Promise((r) => setTimeout(r, 300)); });
  `,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  try {
    await new Promise((r) => child.stdout!.once('data', r));
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    const childDone = new Promise<number | null>((r) => child.once('exit', r));
    let childGoneFirst = false;
    await withHostLock(lock, async () => {
      childGoneFirst =
        child.exitCode !== null || (await Promise.race([childDone.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 200))]));
    });
    clearInterval(timer);
    assert.ok(childGoneFirst, 'the lock was granted while the other process still held it');
    assert.ok(ticks >= 5, `the event loop stalled while waiting (${ticks} ticks)`);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
});
