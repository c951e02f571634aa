/** Compose projects: a PROJECT column, sort by project, and `m` marks a whole project to act on it. */
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { KEY, renderDashboard, type Harness } from './render-dashboard.js';
import { FakeEngine } from '../fakes/fake-engine.js';

let h: Harness | undefined;
afterEach(() => {
  h?.unmount();
  h = undefined;
});

function composeEngine(): FakeEngine {
  const e = new FakeEngine();
  const labels = (svc: string) => ({ 'com.docker.compose.project': 'shop', 'com.docker.compose.service': svc });
  e.addContainer({ name: 'shop-web-1', image: 'docker.io/library/nginx:1.27', state: 'running', load: 0.1, labels: labels('web') });
  e.addContainer({ name: 'shop-db-1', image: 'docker.io/library/busybox:latest', state: 'running', load: 0.1, labels: labels('db') });
  return e;
}
const stateOf = (e: FakeEngine, name: string) => [...e.containersById.values()].find((c) => c.name === name)?.state;
const marked = (f: string) =>
  f
    .split('\n')
    .filter((l) => l.startsWith('● '))
    .map((l) => l.slice(2).split(/\s+/)[0]);

test('PROJECT column only with compose containers; m marks the project; one question stops it', async () => {
  h = await renderDashboard({ columns: 120 });
  assert.doesNotMatch(h.frame(), /PROJECT/);
  await h.press('m');
  assert.match(h.frame(), /db belongs to no compose project/);
  h.unmount();
  const engine = composeEngine();
  h = await renderDashboard({ engine, columns: 120 });
  assert.match(h.frame(), /PROJECT/);
  assert.match(
    h
      .frame()
      .split('\n')
      .find((l) => l.startsWith('shop-web-1')) ?? '',
    /shop/,
  );
  // Sort by project: the project's containers together, loose ones after.
  await h.press('o', 'o', 'o', 'o', 'o', 'o', 'o');
  assert.match(h.frame(), /PROJECT▲/);
  const order = h
    .frame()
    .split('\n')
    .map((l) => l.split(/\s+/)[0])
    .filter((n) => /^(shop|db|web|worker|old)/.test(n!));
  assert.deepEqual(order.slice(0, 2), ['shop-db-1', 'shop-web-1']);
  await h.press('g', 'm');
  assert.deepEqual(marked(h.frame()), ['shop-db-1', 'shop-web-1']);
  await h.press('s');
  assert.match(h.frame(), /Stop 2 containers\? shop-db-1, shop-web-1/);
  await h.press('y');
  await h.waitFor('stopped', (f) => f.includes('Stopped 2 containers'));
  assert.equal(stateOf(engine, 'shop-web-1'), 'exited');
  assert.equal(stateOf(engine, 'shop-db-1'), 'exited');
  assert.equal(stateOf(engine, 'web'), 'running');
  // m again unmarks the project; the filter finds a project by name.
  await h.press('m');
  assert.deepEqual(marked(h.frame()), []);
  await h.press('/', ...'project=shop', KEY.enter);
  assert.match(h.frame(), /shop-web-1/);
  assert.doesNotMatch(h.frame(), /^web /m);
});
