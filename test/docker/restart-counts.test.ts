/** Which Docker list entries cost an inspect for their restart count (pure; no daemon). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RestartCounts } from '../../src/engine/docker/containers.js';
import { containerSummary } from '../../src/engine/docker/map.js';

// containerSummary dates "Up …" from the clock: the entries are made relative to it.
const NOW = Date.now();
const entry = (id: string, createdAgoS: number, status: string, state = 'running') =>
  containerSummary({ Id: id, Names: [`/${id}`], Created: Math.floor((NOW - createdAgoS * 1000) / 1000), State: state, Status: status });

test('only entries that started after their creation are inspected, once per start', () => {
  const r = new RestartCounts();
  // docker run: created and started together ("Up 2 hours" on a container 2 hours old).
  assert.equal(r.needsInspect(entry('fresh', 7300, 'Up 2 hours')), false);
  assert.equal(r.needsInspect(entry('young', 5, 'Up 4 seconds')), false);
  // Restarting now, or started long after creation: inspect.
  assert.equal(r.needsInspect(entry('looping', 60, 'Restarting (1) 2 seconds ago', 'restarting')), true);
  const late = entry('late', 3600, 'Up 5 minutes');
  assert.equal(r.needsInspect(late), true);
  // Once inspected, the same run is not inspected again…
  r.record('late', new Date(Date.parse(late.startedAt!) - 20_000).toISOString(), 3);
  assert.equal(r.needsInspect(late), false);
  assert.equal(r.apply(late).restartCount, 3);
  // …until it starts again: a newer start than the one recorded.
  const again = entry('late', 3600, 'Up 10 seconds');
  assert.equal(r.needsInspect(again), true);
  // A count of 0 is left unset; forgotten containers lose theirs.
  r.record('zero', late.startedAt!, 0);
  assert.equal(r.apply(entry('zero', 3600, 'Up 5 minutes')).restartCount, undefined);
  r.keepOnly(new Set(['zero']));
  assert.equal(r.apply(late).restartCount, undefined);
  // An exited container keeps the last count seen (docker keeps RestartCount after the exit).
  r.record('gone', late.startedAt!, 2);
  assert.equal(r.needsInspect(entry('gone', 3600, 'Exited (1) 3 seconds ago', 'exited')), false);
  assert.equal(r.apply(entry('gone', 3600, 'Exited (1) 3 seconds ago', 'exited')).restartCount, 2);
});
