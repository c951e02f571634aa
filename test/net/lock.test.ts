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

const freeNow = () => spawnSync('flock', ['-n', lock, 'true']).status === 0;

test('held while fn runs, free after; other processes are excluded', async () => {
  assert.equal(freeNow(), true);
  await withHostLock(lock, async () => {
    assert.equal(freeNow(), false);
  });
  // the holder exits asynchronously after stdin closes
  for (let i = 0; i < 50 && !freeNow(); i++) await new Promise((r) => setTimeout(r, 20));
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
  const child = spawn(process.execPath, ['--input-type=module', '-e', `
    const { withHostLock } = await import(${JSON.stringify(new URL('../../src/net/cni-lock.js', import.meta.url).href)});
    await withHostLock(${JSON.stringify(lock)}, async () => { console.log('held'); await new Promise(() => {}); });
  `], { stdio: ['ignore', 'pipe', 'inherit'] });
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
