/** Health and restart count on the containers pane: columns, colour (and words without it), sort, filter. */
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { KEY, renderDashboard, type Harness } from './render-dashboard.js';
import { FakeEngine } from '../fakes/fake-engine.js';
import { stripAnsi } from '../../src/ui/text.js';

let h: Harness | undefined;
afterEach(() => {
  h?.unmount();
  h = undefined;
});

function engineWithHealth(): FakeEngine {
  const e = new FakeEngine();
  e.addContainer({ name: 'api', image: 'docker.io/library/nginx:1.27', state: 'running', load: 0.1, health: 'healthy' });
  e.addContainer({ name: 'queue', image: 'docker.io/library/busybox:latest', state: 'running', load: 0.1, health: 'starting' });
  return e;
}
const rowOf = (f: string, name: string) => f.split('\n').find((l) => l.startsWith(`${name} `)) ?? '';
const names = (f: string) =>
  f
    .split('\n')
    .slice(f.split('\n').findIndex((l) => l.startsWith('NAME')) + 1)
    .map((l) => l.split(/\s+/)[0])
    .filter((n) => ['api', 'queue', 'db', 'web', 'worker', 'old-job'].includes(n!));

test('no HEALTH column without healthchecks; with them, health goes unhealthy live, in colour', async () => {
  h = await renderDashboard({ columns: 120 });
  assert.doesNotMatch(h.frame(), /HEALTH/);
  h.unmount();
  const engine = engineWithHealth();
  h = await renderDashboard({ engine, columns: 120 });
  assert.match(h.frame(), /HEALTH/);
  assert.match(rowOf(h.frame(), 'api'), /healthy/);
  assert.match(rowOf(h.frame(), 'queue'), /starting/);
  engine.setHealth('api', 'unhealthy');
  await h.waitFor('api unhealthy', (f) => /unhealthy/.test(rowOf(f, 'api')));
  // The name in the error colour (bold red), and the health word (off the selected row).
  await h.press('j');
  const apiRaw =
    h
      .raw()
      .split('\n')
      .find((l) => stripAnsi(l).startsWith('api ')) ?? '';
  assert.match(apiRaw, /\u001B\[(1;)?31m(\u001B\[1m)?api/, 'unhealthy row painted');
});

test('at 80x24 with NO_COLOR the health word is on the row', async () => {
  const engine = engineWithHealth();
  engine.setHealth('api', 'unhealthy');
  h = await renderDashboard({ engine, columns: 80, rows: 24, caps: { color: false, unicode: true } });
  assert.match(rowOf(h.frame(), 'api'), /unhealthy/);
  assert.ok(!h.raw().includes('\u001B[31m') && !h.raw().includes('\u001B[1;31m'));
});

test('restarts column appears with the first policy restart; sort and filter by health and restarts', async () => {
  const engine = engineWithHealth();
  h = await renderDashboard({ engine, columns: 140 });
  assert.doesNotMatch(h.frame(), /RESTARTS/);
  engine.restartedByPolicy('queue');
  engine.restartedByPolicy('queue');
  await h.waitFor('restarts', (f) => /RESTARTS/.test(f) && /\b2\b/.test(rowOf(f, 'queue')));
  engine.setHealth('queue', 'unhealthy');
  await h.waitFor('queue unhealthy', (f) => /unhealthy/.test(rowOf(f, 'queue')));
  // Sorts: name, state, cpu, mem, image, health.
  await h.press('o', 'o', 'o', 'o', 'o');
  assert.match(h.frame(), /HEALTH▲/);
  assert.deepEqual(names(h.frame()).slice(0, 2), ['queue', 'api'], h.frame());
  await h.press('o');
  assert.match(h.frame(), /RESTARTS▲/);
  assert.equal(names(h.frame())[0], 'queue');
  // health=healthy does not match the unhealthy one.
  await h.press('/', ...'health=healthy', KEY.enter);
  assert.deepEqual(names(h.frame()), ['api']);
  await h.press(KEY.esc, '/', ...'unhealthy', KEY.enter);
  assert.deepEqual(names(h.frame()), ['queue']);
  // restarts=N is exact: 2 matches queue, 0 the others, and neither 1 nor 20 (a prefix) matches.
  await h.press(KEY.esc, '/', ...'restarts=2', KEY.enter);
  assert.deepEqual(names(h.frame()), ['queue']);
  for (const n of ['1', '20']) {
    await h.press(KEY.esc, '/', ...`restarts=${n}`, KEY.enter);
    assert.deepEqual(names(h.frame()), [], `restarts=${n}`);
  }
  await h.press(KEY.esc, '/', ...'restarts=0', KEY.enter);
  assert.ok(!names(h.frame()).includes('queue') && names(h.frame()).includes('api'));
});

test('restarts=1 does not match a container restarted 12 times', async () => {
  const engine = engineWithHealth();
  h = await renderDashboard({ engine, columns: 140 });
  for (let i = 0; i < 12; i++) engine.restartedByPolicy('queue');
  engine.restartedByPolicy('api');
  await h.waitFor('restarts', (f) => /\b12\b/.test(rowOf(f, 'queue')));
  await h.press('/', ...'restarts=1', KEY.enter);
  assert.deepEqual(names(h.frame()), ['api']);
  await h.press(KEY.esc, '/', ...'restarts=12', KEY.enter);
  assert.deepEqual(names(h.frame()), ['queue']);
});
