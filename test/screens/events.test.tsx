/** `v`: the events view follows the engine's events and filters them as typed. */
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { KEY, renderDashboard, type Harness } from './render-dashboard.js';
import { eventText } from '../../src/screens/event-lines.js';

let h: Harness | undefined;
afterEach(() => {
  h?.unmount();
  h = undefined;
});

test('events since the dashboard opened, then live: die with its exit code, health, network connect', async () => {
  h = await renderDashboard({ columns: 120, rows: 30 });
  await h.press('s', 'y'); // stop db, before the view is open: replayed
  await h.waitFor('stopped', (f) => f.includes('Stopped db'));
  await h.press('v');
  await h.waitFor('the replayed die', (f) => /container\s+die\s+db\s+exitCode=143/.test(f));
  assert.match(h.frame(), /container\s+stop\s+db/);
  const web = [...h.engine.containersById.values()].find((c) => c.name === 'web')!;
  await h.engine.networks.connect('backend', web.id);
  h.engine.setHealth('web', 'unhealthy');
  await h.waitFor('live events', (f) => /network\s+connect\s+backend\s+container=web/.test(f) && /health_status: unhealthy\s+web/.test(f));
  // Filter as typed.
  await h.press('/', ...'health');
  await h.waitFor('filtered', (f) => /health_status/.test(f) && !/container\s+die/.test(f));
  await h.press(KEY.enter);
  assert.match(h.frame(), /1 of \d+ events matching "health"/);
  await h.press(KEY.esc); // clears the filter
  assert.match(h.frame(), /container\s+die\s+db/);
  await h.press(KEY.esc); // back to the list
  assert.match(h.frame(), /STATE/);
});

test('the events view works at 80x24 with NO_COLOR', async () => {
  h = await renderDashboard({ columns: 80, rows: 24, caps: { color: false, unicode: false } });
  await h.press('v');
  await h.waitFor('empty view', (f) => f.includes('no events yet'));
  await h.engine.containers.start('old-job');
  await h.waitFor('a start', (f) => /container\s+start\s+old-job/.test(f));
  for (const line of h.frame().split('\n')) assert.ok(line.length <= 80, line);
  assert.doesNotMatch(h.raw(), /\u001B\[3\dm/);
});

test('event lines', () => {
  const t = eventText(
    { type: 'container', action: 'die', id: 'abc', time: Date.UTC(2026, 0, 1), attributes: { name: 'web', exitCode: '137', image: 'nginx' }, host: 'prod' },
    () => undefined,
    true,
  );
  assert.match(t, /prod {2}container {2}die {6}web {2}exitCode=137 {2}image=nginx$/);
  const n = eventText(
    { type: 'network', action: 'disconnect', id: 'n1', time: 0, attributes: { name: 'backend', container: 'c1' } },
    (id) => (id === 'c1' ? 'db' : undefined),
    false,
  );
  assert.match(n, /network {4}disconnect {2}backend {2}container=db$/);
});
