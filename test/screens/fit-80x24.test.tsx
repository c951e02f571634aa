/**
 * Every view added for issue 15 at 80×24 with NO_COLOR: each frame at most 80 columns and 24
 * lines, and no colour escape (bold, inverse and underline stay: NO_COLOR forbids colour only).
 */
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { KEY, renderDashboard, type Harness } from './render-dashboard.js';
import { FakeEngine } from '../fakes/fake-engine.js';
import { textWidth } from '../../src/ui/text.js';

let h: Harness | undefined;
afterEach(() => {
  h?.unmount();
  h = undefined;
});

/** SGR parameters that set a colour: 30–38, 40–48, 90–97, 100–107 (39/49 only reset). */
export function colourEscapes(raw: string): string[] {
  const found: string[] = [];
  for (const m of raw.matchAll(/\u001B\[([\d;]*)m/g)) {
    const ps = m[1]!.split(';').map(Number);
    for (const p of ps) if ((p >= 30 && p <= 38) || (p >= 40 && p <= 48) || (p >= 90 && p <= 97) || (p >= 100 && p <= 107)) found.push(m[0]);
  }
  return found;
}

/** An engine with files, compose labels and timed logs, so every view has something to draw. */
function richEngine(): FakeEngine {
  const e = new FakeEngine();
  const now = e.now();
  const byName = (n: string) => [...e.containersById.values()].find((c) => c.name === n)!;
  for (let i = 0; i < 40; i++) {
    e.addTimedLog('web', new Date(now - (40 - i) * 10_000).toISOString(), `web line ${i} ${'w'.repeat(i * 3)}`);
    e.addTimedLog('db', new Date(now - (40 - i) * 10_000 + 5_000).toISOString(), `db line ${i}`);
  }
  e.dashBLabels.set(byName('web').id, { 'com.docker.compose.project': 'shop' });
  e.dashBLabels.set(byName('db').id, { 'com.docker.compose.project': 'shop' });
  e.setFiles('db', {
    '/etc/hostname': 'db-host\n',
    [`/etc/${'long-name-'.repeat(12)}.conf`]: 'x\n',
    '/var/log/app.log': Array.from({ length: 100 }, (_, i) => `log ${i} ${'z'.repeat(120)}`).join('\n'),
  });
  return e;
}

type Case = { name: string; keys: (h: Harness) => Promise<void>; ready: RegExp };

const press =
  (...k: string[]) =>
  (x: Harness) =>
    x.press(...k);
const CASES: Case[] = [
  ...['2', '3', '4', '5', '6', '7', '8'].map((tab) => ({
    name: `container detail tab ${tab}`,
    keys: press(KEY.enter, tab),
    ready: new RegExp(`${tab} ${['top', 'env', 'mounts', 'ports', 'networks', 'inspect', 'graphs'][Number(tab) - 2]}`),
  })),
  { name: 'image history tab', keys: press('2', 'j', 'j', 'h'), ready: /history/ },
  {
    name: 'files browser',
    keys: async (x) => {
      await x.press('F');
      await x.waitFor('root', (f) => /db:\/\s+\d+ entries/.test(f));
      await x.press(KEY.enter); // etc, the first directory
    },
    ready: /db:\/etc\s+\d+ entries/,
  },
  {
    name: 'file view',
    keys: async (x) => {
      await x.press('F');
      await x.waitFor('root', (f) => /db:\/\s+\d+ entries/.test(f));
      await x.press('G', KEY.enter); // var, the last
      await x.waitFor('/var', (f) => /db:\/var\s+\d+ entries/.test(f));
      await x.press(KEY.enter); // log
      await x.waitFor('/var/log', (f) => /db:\/var\/log\s+\d+ entries/.test(f));
      await x.press(KEY.enter);
    },
    ready: /db:\/var\/log\/app\.log .*esc back/,
  },
  {
    name: 'image pull',
    keys: async (x) => {
      await x.press('2', 'p', ...'alpine:3.20', KEY.enter);
      await x.waitFor('pulled', (f) => /Pulled alpine/.test(f));
    },
    ready: /Pull complete/,
  },
  { name: 'tag form', keys: press('2', 't'), ready: /Tag / },
  { name: 'run form', keys: press('2', 'j', 'j', 'R', ...'a-long-container-name-for-the-line', KEY.tab, ...'8080:80, 8443:443'), ready: /berth run -d/ },
  { name: 'limits form', keys: press('u'), ready: /Live limits of db/ },
  { name: 'command line', keys: press(':', ...'st', KEY.tab), ready: /^:st/m },
  { name: 'events', keys: press('v'), ready: /events/ },
  { name: 'merged logs', keys: press('L'), ready: /logs project shop/ },
  { name: 'merged logs, wrapped with timestamps', keys: press('L', 'w', 't'), ready: /wrap/ },
  { name: 'help', keys: press('?'), ready: /more/ },
  { name: 'grouped by compose project', keys: press('z'), ready: /▾ shop {2}2 containers/ },
  { name: 'grouped, the project folded', keys: press('z', 'g', KEY.enter), ready: /▸ shop/ },
  { name: 'grouped, remove question on a heading', keys: press('z', 'g', 'd'), ready: /Remove 2 containers of project shop\?/ },
];

for (const c of CASES) {
  test(`80x24 with NO_COLOR: ${c.name}`, async () => {
    h = await renderDashboard({ engine: richEngine(), columns: 80, rows: 24, caps: { color: false, unicode: true } });
    await c.keys(h);
    await h.waitFor(c.name, (f) => c.ready.test(f));
    await h.settle();
    const lines = h.frame().split('\n');
    assert.ok(lines.length <= 24, `${lines.length} lines:\n${h.frame()}`);
    for (const l of lines) assert.ok(textWidth(l) <= 80, `wider than 80 (${textWidth(l)}): ${l}`);
    assert.deepEqual(colourEscapes(h.raw()), [], 'no colour under NO_COLOR');
  });
}

test('the colour check sees colour when there is some', async () => {
  assert.deepEqual(colourEscapes('\u001B[1mbold\u001B[22m \u001B[7minv\u001B[27m \u001B[39m'), []);
  assert.equal(colourEscapes('\u001B[31mred\u001B[39m').length, 1);
  assert.equal(colourEscapes('\u001B[1;38;5;200mx').length, 1);
  h = await renderDashboard({ engine: richEngine(), columns: 80, rows: 24, caps: { color: true, unicode: true } });
  await h.press('L');
  await h.waitFor('merged', (f) => /logs project shop/.test(f));
  assert.ok(colourEscapes(h.raw()).length > 0);
});
