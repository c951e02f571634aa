/**
 * The container and image detail tabs against the fake engine: processes refreshed, env,
 * mounts, ports, networks, searchable inspect JSON, CPU/memory graphs, image history.
 */
import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { KEY, renderDashboard, type Harness } from './render-dashboard.js';
import { FakeEngine } from '../fakes/fake-engine.js';
import { tableLines } from '../../src/screens/detail-tabs.js';
import { makeTheme } from '../../src/ui/theme.js';
import { stripAnsi } from '../../src/ui/text.js';

let h: Harness | undefined;
afterEach(() => {
  h?.unmount();
  h = undefined;
});

const idOf = (e: FakeEngine, name: string) => [...e.containersById.values()].find((c) => c.name === name)!.id;

describe('detail tabs', () => {
  test('table lines pad columns to the widest cell', () => {
    assert.deepEqual(
      tableLines(
        ['PID', 'CMD'],
        [
          ['1', 'sh'],
          ['1234', 'nginx -g daemon off;'],
        ],
        makeTheme(false),
      ).map(stripAnsi),
      ['PID   CMD', '1     sh', '1234  nginx -g daemon off;'],
    );
  });

  test('tabs switch with digits, Tab and arrows, and each shows its part of the container', async () => {
    const engine = new FakeEngine();
    h = await renderDashboard({ engine, columns: 80, rows: 24 });
    await h.press('j', 'j'); // web
    await h.press(KEY.enter);
    await h.waitFor('overview', (f) => /1 overview/.test(f) && /8 graphs/.test(f) && /Environment/.test(f));
    await h.press('3');
    await h.waitFor('env', (f) => /APP=web/.test(f) && !/Environment/.test(f));
    await h.press(KEY.tab);
    await h.waitFor('mounts', (f) => /TYPE\s+SOURCE\s+DESTINATION\s+MODE/.test(f) && /volume\s+data .*\/data\s+rw/.test(f));
    await h.press('\u001B[C'); // right
    await h.waitFor('ports', (f) => /80\/tcp\s+0\.0\.0\.0:8080/.test(f));
    await h.press('6');
    await h.waitFor('networks', (f) => /NETWORK\s+ADDRESS/.test(f) && /bridge\s+10\.88\./.test(f));
    await h.press('\u001B[D'); // left: back to ports
    await h.waitFor('ports again', (f) => /CONTAINER\s+HOST/.test(f));
  });

  test('processes run top and refresh while the tab is open', async () => {
    const engine = new FakeEngine();
    h = await renderDashboard({ engine, columns: 80, rows: 24 });
    await h.press('j', 'j', KEY.enter, '2');
    await h.waitFor('top', (f) => /UID\s+PID\s+PPID/.test(f) && /nginx -g daemon off;/.test(f));
    engine.dashBTop.set(idOf(engine, 'web'), [
      ['root', '1', '0', '0', '12:00', '?', '00:00:01', 'nginx: master'],
      ['www', '7', '1', '0', '12:00', '?', '00:00:00', 'nginx: worker'],
    ]);
    await h.waitFor('refreshed top', (f) => /nginx: worker/.test(f), 10_000);
    // Stopped: top fails and says why.
    await h.press(KEY.esc, 'j', KEY.enter, '2'); // worker (paused) → its top
    await h.waitFor('paused top', (f) => /Error: container worker is not running|nginx|sh/.test(f));
  });

  test('inspect scrolls: j/k a line, PgDn/PgUp a page, G/g the ends', async () => {
    h = await renderDashboard({ columns: 80, rows: 24 });
    await h.press(KEY.enter, '7');
    await h.waitFor('inspect', (f) => /^\s*\[?\{\s*$/m.test(f) && /"Id": "[0-9a-f]{64}"/.test(f));
    // The JSON's lines on screen, in order (the body below the tab bar).
    const body = () =>
      h!
        .frame()
        .split('\n')
        .filter((l) => /^\s*[[\]{}"]/.test(l));
    const first = body()[0];
    const idLine = body().find((l) => /"Id":/.test(l))!;
    await h.press('j');
    await h.waitFor('one line down', () => body()[0] !== first);
    const afterJ = body();
    await h.press('k');
    await h.waitFor('back up', () => body()[0] === first);
    await h.press('\u001B[6~'); // PgDn
    // More than a line: the line j brought to the top is gone too.
    await h.waitFor('a page down', () => !body().includes(idLine) && !body().includes(afterJ[1]!) && !body().includes(afterJ[2]!));
    await h.press('\u001B[5~'); // PgUp
    await h.waitFor('a page up', () => body()[0] === first);
    await h.press('G');
    await h.waitFor('the end', () => /^\s*\}?\]?\s*$/.test(body()[body().length - 1] ?? '') && !body().includes(idLine));
    await h.press('g');
    await h.waitFor('the top', () => body()[0] === first);
  });

  test('inspect shows the JSON, searchable with / and n', async () => {
    h = await renderDashboard({ columns: 80, rows: 24 });
    await h.press(KEY.enter, '7');
    await h.waitFor('inspect', (f) => /"Id": "[0-9a-f]{64}"/.test(f));
    await h.press('/', 'M', 'a', 'c', 'A', 'd', 'd', 'r', 'e', 's', 's', KEY.enter);
    await h.waitFor('search', (f) => /"MacAddress": \d+ matches|"MacAddress": 3 matches|: \d+ matches/.test(f) && /"MacAddress": "02:42/.test(f));
    assert.match(h.raw(), /\u001B\[30m\u001B\[43mMacAddress|\u001B\[30;43mMacAddress/);
    await h.press(KEY.esc);
    await h.waitFor('search cleared', (f) => !/matches/.test(f));
  });

  test('graphs show CPU and memory sparklines that grow with stats passes', async () => {
    h = await renderDashboard({ columns: 80, rows: 24 });
    await h.tick(3);
    await h.press(KEY.enter, '8'); // db
    await h.waitFor('graphs', (f) => /CPU %\s+now \d+\.\d%/.test(f) && /Memory\s+now/.test(f));
    const samples = () => Number(/(\d+) samples/.exec(h!.frame())?.[1]);
    const before = samples();
    await h.tick(3);
    await h.waitFor('more samples', () => samples() >= before + 3);
    assert.match(h.frame(), /[▁▂▃▄▅▆▇█]{3,}/);
  });

  test('graphs on a host sampled only for rows on screen (a daemon) say their history starts when shown', async () => {
    for (const readsAll of [false, true]) {
      const engine = new FakeEngine();
      const open = engine.containers.sampler.bind(engine.containers);
      engine.containers.sampler = async () => {
        const s = await open();
        return { readsAll, sample: (ids) => s.sample(ids), close: () => s.close() };
      };
      h = await renderDashboard({ engine, columns: 80, rows: 24 });
      await h.tick(2);
      await h.press(KEY.enter, '8');
      await h.waitFor('graphs', (f) => /CPU %\s+now/.test(f));
      const note = /sampled only for rows on screen: history from when shown/;
      if (readsAll) assert.doesNotMatch(h.frame(), note);
      else assert.match(h.frame(), note);
      h.unmount();
      h = undefined;
    }
  });

  test('graphs opened late show the minutes since the dashboard started, for a row never on screen too', async () => {
    // 80 containers: the last rows are far outside the rows a daemon would be asked about
    h = await renderDashboard({ columns: 80, rows: 24, seed: { running: 80 } });
    await h.tick(40); // 40 passes while the top of the list is up
    await h.press('G', KEY.enter, '8');
    await h.waitFor('history at once', (f) => Number(/(\d+) samples/.exec(f)?.[1]) >= 40 && /Memory\s+now/.test(f));
    // the memory line is drawn over the whole window, not from the moment the view opened
    const mem = h
      .frame()
      .split('\n')
      .findIndex((l) => /Memory\s+now/.test(l));
    const line = h.frame().split('\n')[mem + 1]!.trimEnd();
    assert.match(line, /[▁▂▃▄▅▆▇█]{30,}$/);
  });

  test('image detail: history tab as berth history, h opens it from the list', async () => {
    h = await renderDashboard({ columns: 80, rows: 24 });
    await h.press('2', 'j', 'j', 'h'); // nginx
    await h.waitFor(
      'history',
      (f) => /IMAGE\s+CREATED\s+SIZE\s+COMMENT\s+CREATED BY/.test(f) && /CMD \["nginx","-g","daem$/m.test(f) && /^\s+on off;"\]/m.test(f),
    );
    assert.match(h.frame(), /2 history/);
    await h.press('1');
    await h.waitFor('overview', (f) => /Tags/.test(f));
  });
});
