/** The images pane's new keys against the fake engine: pull with per-layer progress, tag, run form. */
import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { KEY, renderDashboard, type Harness } from './render-dashboard.js';
import { applyProgress, startPull } from '../../src/screens/image-pull-progress.js';
import type { ContainerCreateOptions } from '../../src/engine/api.js';
import { FakeEngine } from '../fakes/fake-engine.js';

let h: Harness | undefined;
afterEach(() => {
  h?.unmount();
  h = undefined;
});

const type = async (text: string) => {
  for (const ch of text) await h!.press(ch);
};

describe('images views', () => {
  test('progress events fold into one row per layer; completion fills the bar', () => {
    let s = startPull('x');
    s = applyProgress(s, { id: 'l1', status: 'Downloading', current: 5, total: 10 });
    s = applyProgress(s, { id: 'l2', status: 'Pulling fs layer' });
    s = applyProgress(s, { id: 'l1', status: 'Pull complete' });
    assert.deepEqual(s.layers, [
      { id: 'l1', status: 'Pull complete', current: 10, total: 10 },
      { id: 'l2', status: 'Pulling fs layer' },
    ]);
  });

  test('p pulls by name with a progress bar per layer; the image appears in the list', async () => {
    h = await renderDashboard({ columns: 80, rows: 24 });
    await h.press('2', 'p');
    await h.waitFor('prompt', (f) => /Pull an image/.test(f));
    await type('alpine:3.20');
    await h.press(KEY.enter);
    await h.waitFor('layers', (f) => /aaa111\s+(Downloading|Pull complete)/.test(f) && /bbb222/.test(f));
    await h.waitFor('done', (f) => /Pulled alpine:3\.20/.test(f) && /aaa111\s+Pull complete\s+\[█{10,}\]/.test(f));
    await h.press(KEY.esc);
    await h.waitFor('listed', (f) => /alpine\s+3\.20/.test(f));
    assert.match(h.frame(), /Pulled alpine:3\.20 {2}\$ berth pull alpine:3\.20/);
    assert.deepEqual(
      h.engine.callsTo('images.pull').map((c) => c.args[0]),
      ['alpine:3.20'],
    );
  });

  test('esc during a pull cancels it: the status line says so and no image is added', async () => {
    const engine = new FakeEngine();
    engine.dashBPullStepMs = 200; // slow enough to be caught half-way
    const before = (await engine.images.list()).length;
    h = await renderDashboard({ engine, columns: 80, rows: 24 });
    await h.press('2', 'p');
    await type('slow/app:1');
    await h.press(KEY.enter);
    await h.waitFor('running', (f) => /aaa111\s+Downloading/.test(f) && /esc cancel the pull/.test(f));
    await h.press(KEY.esc);
    await h.waitFor('cancelled', (f) => /Cancelled pull of slow\/app:1; nothing kept {2}\$ berth pull slow\/app:1/.test(f));
    assert.equal((await engine.images.list()).length, before);
    assert.ok(!(await engine.images.list()).some((i) => i.repoTags.includes('slow/app:1')));
  });

  test('a failed pull says why; a bad name is refused before any pull', async () => {
    h = await renderDashboard({ columns: 80, rows: 24, caps: { color: false, unicode: false } });
    await h.press('2', 'p');
    await type('Bad Name');
    await h.press(KEY.enter);
    await h.waitFor('refused', (f) => /not an image name/.test(f));
    assert.equal(h.engine.callsTo('images.pull').length, 0);
    await h.press(...Array(8).fill(KEY.backspace));
    await type('missing/thing');
    await h.press(KEY.enter);
    await h.waitFor('error', (f) => /Error: pull access denied for missing\/thing/.test(f));
  });

  test('t tags the selected image', async () => {
    h = await renderDashboard({ columns: 80, rows: 24 });
    await h.press('2', 'j', 'j', 't'); // nginx
    await h.waitFor('form', (f) => /Tag nginx:1\.27/.test(f));
    await type('Bad:tag');
    await h.press(KEY.enter);
    await h.waitFor('refused', (f) => /not a valid repository:tag/.test(f));
    await h.press(...Array(7).fill(KEY.backspace));
    await type('myweb:2');
    await h.press(KEY.enter);
    await h.waitFor('tagged', (f) => /Tagged nginx:1\.27 as myweb:2 {2}\$ berth tag nginx:1\.27 myweb:2/.test(f));
    assert.equal(h.engine.callsTo('images.tag').length, 1);
    assert.equal(h.engine.callsTo('images.tag')[0]!.args[1], 'myweb:2');
  });

  test('R runs a container through the form, the berth run line live below the fields', async () => {
    h = await renderDashboard({ columns: 80, rows: 24 });
    await h.press('2', 'j', 'j', 'R'); // nginx
    await h.waitFor(
      'form',
      (f) => /Run a container from docker\.io\/library\/nginx:1\.27/.test(f) && /\$ berth run -d docker\.io\/library\/nginx:1\.27/.test(f),
    );
    await type('shop');
    await h.waitFor('name in line', (f) => /berth run -d --name shop docker\.io\/library\/nginx:1\.27/.test(f));
    await h.press(KEY.tab);
    await type('8081:80');
    await h.press(KEY.tab, KEY.tab);
    await type('MODE=prod');
    await h.press(KEY.tab, KEY.tab);
    await type('always');
    await h.press(KEY.tab);
    await type('64m');
    await h.waitFor('line', (f) =>
      /berth run -d --name shop -p 8081:80 -e MODE=prod --restart always -m 64m docker\.io\/library\/nginx:1\.27/.test(f.replace(/\n/g, '')),
    );
    await h.press(KEY.tab);
    await type('x');
    await h.waitFor('bad cpus', (f) => /invalid cpus: x/.test(f));
    await h.press(KEY.enter);
    assert.equal(h.engine.callsTo('containers.create').length, 0, 'nothing created from a bad form');
    await h.press(KEY.backspace, '1');
    await h.press(KEY.enter);
    await h.waitFor('started', (f) => /Started shop {2}\$ berth run -d --name shop -p 8081:80/.test(f) && /NAME/.test(f));
    const opts = h.engine.callsTo('containers.create')[0]!.args[0] as ContainerCreateOptions;
    assert.equal(opts.name, 'shop');
    assert.deepEqual(opts.ports, [{ hostIp: '', hostPort: 8081, containerPort: 80, protocol: 'tcp' }]);
    assert.deepEqual(opts.env, ['MODE=prod']);
    assert.equal(opts.memory, 64 * 1024 * 1024);
    assert.equal(opts.nanoCpus, 1e9);
    assert.deepEqual(opts.restartPolicy, { name: 'always', maximumRetryCount: 0 });
    assert.equal(h.engine.callsTo('containers.start').length, 1);
  });
});
