/** The restart policy's delay between runs, as dockerd's restart manager keeps it. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FIRST_DELAY_MS, MAX_DELAY_MS, nextRestartDelay } from '../../src/engine/containers/restart-backoff.js';

test('100 ms, doubled per restart, at most a minute; a run of 10 s or more starts over', () => {
  const seq: number[] = [];
  let d = 0;
  for (let i = 0; i < 12; i++) seq.push((d = nextRestartDelay(d, 50)));
  assert.deepEqual(seq, [100, 200, 400, 800, 1600, 3200, 6400, 12800, 25600, 51200, 60000, 60000]);
  assert.equal(nextRestartDelay(MAX_DELAY_MS, 9_999), MAX_DELAY_MS);
  assert.equal(nextRestartDelay(MAX_DELAY_MS, 10_000), FIRST_DELAY_MS);
  assert.equal(nextRestartDelay(0, 60_000), FIRST_DELAY_MS);
});
