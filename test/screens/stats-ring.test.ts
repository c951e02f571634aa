/** The graphs' history: a ring per container filled by every stats pass from the dashboard's start. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeEngine } from '../fakes/fake-engine.js';
import { StatsRing } from '../../src/screens/stats-ring.js';
import { addPass, EMPTY_STATS, HISTORY_MINUTES } from '../../src/screens/stats-history.js';

test('a ring keeps the last `capacity` passes oldest first, numbers them, and marks missed passes as gaps', () => {
  const r = new StatsRing(5);
  assert.deepEqual(r.graph(), { cpu: [], mem: [], memLimit: 0, start: 0 });
  r.push(1, 10, 100, 1000);
  r.push(2, 20, 200, 1000);
  assert.deepEqual(r.graph(), { cpu: [10, 20], mem: [100, 200], memLimit: 1000, start: 1 });
  r.push(4, 40, 400, 2000); // pass 3 missed
  assert.deepEqual(r.graph(), { cpu: [10, 20, -1, 40], mem: [100, 200, -1, 400], memLimit: 2000, start: 1 });
  for (let t = 5; t <= 9; t++) r.push(t, t * 10, t * 100, 2000);
  assert.deepEqual(r.graph(), { cpu: [50, 60, 70, 80, 90], mem: [500, 600, 700, 800, 900], memLimit: 2000, start: 5 });
  r.push(100, 1, 2, 3); // a gap longer than the ring: only the new sample is real
  assert.deepEqual(r.graph(), { cpu: [-1, -1, -1, -1, 1], mem: [-1, -1, -1, -1, 2], memLimit: 3, start: 96 });
});

test("passes fill every sampled container's ring from the first; a ring outlives a missed pass, then goes after the window", async () => {
  const e = new FakeEngine();
  const sampler = await e.containers.sampler();
  let s = EMPTY_STATS;
  const perMinute = 6; // a 10 s period: the window is HISTORY_MINUTES × 6 passes
  for (let i = 0; i < 80; i++) s = addPass(s, await sampler.sample(), perMinute);
  const web = [...s.byId.values()].find((x) => x.sample.name === 'web')!;
  const g = web.history.graph();
  assert.equal(g.cpu.length, HISTORY_MINUTES * perMinute);
  assert.equal(g.start, 80 - HISTORY_MINUTES * perMinute + 1);
  assert.ok(g.cpu.every((v) => v >= 0) && g.mem.every((v) => v > 0), 'no gaps while sampled');
  assert.equal(g.memLimit, web.sample.memLimit);
  assert.ok(Math.abs(g.mem.at(-1)! - web.sample.memUsage) <= web.sample.memUsage * 1e-6);
  // not sampled for a while (stopped): the ring stays, with gaps; the row's figures do not
  const id = web.sample.id;
  for (let i = 0; i < 10; i++) s = addPass(s, [], perMinute);
  assert.equal(s.byId.has(id), false);
  assert.ok(s.rings!.has(id));
  s = addPass(s, await sampler.sample(), perMinute);
  const back = s.byId.get(id)!.history.graph();
  assert.deepEqual(back.cpu.slice(-11, -1), Array(10).fill(-1));
  assert.ok(back.cpu.at(-1)! >= 0);
  // gone for the whole window: its ring is let go (memory stays bounded by the containers seen lately)
  for (let i = 0; i < HISTORY_MINUTES * perMinute; i++) s = addPass(s, [], perMinute);
  assert.equal(s.rings!.size, 0);
});

test('each dashboard has its own rings (EMPTY_STATS is shared)', async () => {
  const e = new FakeEngine();
  const sampler = await e.containers.sampler();
  const pass = await sampler.sample();
  const a = addPass(EMPTY_STATS, pass, 60);
  const b = addPass(EMPTY_STATS, pass, 60);
  assert.notEqual(a.rings, b.rings);
  assert.equal(EMPTY_STATS.rings, undefined);
});

test('a pass updates the map, entries and series in place; a container missing from a pass leaves the map', async () => {
  const e = new FakeEngine();
  const sampler = await e.containers.sampler();
  let s = addPass(EMPTY_STATS, await sampler.sample(), 3);
  const [id, first] = [...s.byId][0]!;
  const map = s.byId;
  for (let i = 0; i < 5; i++) s = addPass(s, await sampler.sample(), 3);
  assert.equal(s.byId, map);
  assert.equal(s.byId.get(id), first);
  assert.equal(s.tick, 6);
  // Three values kept, numbered from the pass they came from (passes 4, 5, 6 → start 3, 0-based).
  assert.equal(first.cpu.values.length, 3);
  assert.equal(first.cpu.start, 3);
  assert.equal(first.sample.id, id);
  s = addPass(
    s,
    (await sampler.sample()).filter((x) => x.id !== id),
    3,
  );
  assert.equal(s.byId.has(id), false);
  assert.ok(s.byId.size > 0);
  assert.equal(EMPTY_STATS.byId.size, 0, 'the shared empty map is never written');
});
