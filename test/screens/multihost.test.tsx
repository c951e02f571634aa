/**
 * The dashboard on several hosts (issue 7), against in-memory engines: the host switcher (H),
 * the all-hosts view (A) with its HOST column and actions going to the row's host, a host that
 * drops out and comes back, the header's figures (this machine's only for a local host), and
 * stats asked only for the rows that can be on screen.
 */
import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Engine, StatsSampler } from '../../src/engine/api.js';
import { ALL_HOSTS } from '../../src/screens/hosts.js';
import { READ_ALL_UP_TO } from '../../src/screens/use-stats.js';
import { FakeEngine } from '../fakes/fake-engine.js';
import { FakeHosts } from './fake-hosts.js';
import { KEY, renderDashboard, sleep, type Harness } from './render-dashboard.js';

let h: Harness | undefined;
afterEach(() => {
  h?.unmount();
  h = undefined;
});

function rowOf(frame: string, start: string): string {
  return frame.split('\n').find((l) => l.replace(/^[›> ]\s*/, '').startsWith(start)) ?? '';
}

function twoHosts(opts: { local?: Record<string, boolean> } = {}) {
  const a = new FakeEngine();
  const b = new FakeEngine({ running: 2, stopped: 1 });
  return { a, b, hosts: new FakeHosts({ alpha: a, beta: b }, { local: { alpha: true, ...opts.local } }) };
}

describe('host switcher', () => {
  test('H lists every host with its state; picking one shows that host', async () => {
    const { hosts } = twoHosts();
    hosts.set('beta', 'down', 'connection refused');
    h = await renderDashboard({ hosts, initialHost: 'alpha', columns: 120 });
    await h.waitFor("alpha's rows", (f) => /nginx/.test(rowOf(f, 'web')));
    assert.match(h.frame(), /1\/2 hosts up, down: beta/);
    await h.press('H');
    const f = h.frame();
    assert.match(f, /Switch host/);
    assert.match(f, /all hosts\s+1\/2 up/);
    assert.match(f, /alpha\s+fake:\/\/alpha\s+up/);
    assert.match(f, /beta\s+fake:\/\/beta\s+disconnected: connection refused/);
    hosts.set('beta', 'up');
    // Down to beta (all hosts, alpha, beta) and pick it.
    await h.press('j', KEY.enter);
    await h.waitFor("beta's rows", (f) => rowOf(f, 'app-0') !== '');
    const g = h.frame();
    assert.match(g, /\[beta\] fake:\/\/beta/);
    assert.match(rowOf(g, 'app-0'), /running/);
    assert.equal(rowOf(g, 'web'), '', "alpha's rows are gone");
    assert.doesNotMatch(g, /HOST/, 'one host: no HOST column');
  });

  test('picking a disconnected host asks the pool to retry it now and says it is reconnecting', async () => {
    const { hosts } = twoHosts();
    hosts.set('beta', 'down', 'no route');
    h = await renderDashboard({ hosts, initialHost: 'alpha', columns: 120 });
    await h.waitFor("alpha's rows", (f) => rowOf(f, 'web') !== '');
    await h.press('H', 'j', KEY.enter); // the picker opens on alpha; beta is next
    await h.waitFor('beta on screen', (f) => /\[beta\]/.test(f));
    assert.deepEqual(hosts.retries, ['beta']);
    const f = h.frame();
    assert.match(f, /DISCONNECTED, reconnecting: no route/);
    assert.match(f, /beta is disconnected; reconnecting by itself/);
    // The pool reaches it: its lists load without any key.
    hosts.set('beta', 'up');
    await h.waitFor("beta's rows", (f) => /running/.test(rowOf(f, 'app-1')));
    assert.doesNotMatch(h.frame(), /DISCONNECTED/);
  });
});

describe('all-hosts view', () => {
  test('A lists the containers of every host with a HOST column; A again goes back', async () => {
    const { hosts } = twoHosts();
    h = await renderDashboard({ hosts, initialHost: 'alpha', columns: 140 });
    await h.waitFor("alpha's rows", (f) => rowOf(f, 'web') !== '');
    await h.press('A');
    await h.waitFor("both hosts' rows", (f) => rowOf(f, 'web') !== '' && rowOf(f, 'app-0') !== '');
    const f = h.frame();
    assert.match(f, /NAME\S*\s+HOST\s+IMAGE/);
    assert.match(rowOf(f, 'web'), /^web\s+alpha\s/);
    assert.match(rowOf(f, 'app-0'), /^app-0\s+beta\s/);
    assert.match(f, /all hosts · 2\/2 up/);
    assert.match(f, /4\/7 running/);
    // Images of both hosts too, each with its host.
    await h.press('2');
    assert.equal(
      h
        .frame()
        .split('\n')
        .filter((l) => /^busybox\s+(alpha|beta)\s/.test(l)).length,
      2,
      h.frame(),
    );
    await h.press('1', 'A');
    await h.waitFor('one host again', (f) => !/HOST/.test(f));
    assert.equal(rowOf(h.frame(), 'app-0'), '');
  });

  test('the filter matches the host name', async () => {
    const { hosts } = twoHosts();
    h = await renderDashboard({ hosts, initialHost: ALL_HOSTS, columns: 140 });
    await h.waitFor("both hosts' rows", (f) => rowOf(f, 'web') !== '' && rowOf(f, 'app-0') !== '');
    await h.press('/', 'b', 'e', 't', 'a', KEY.enter);
    const f = h.frame();
    assert.match(rowOf(f, 'app-0'), /beta/);
    assert.equal(rowOf(f, 'web'), '');
  });

  test("an action on a row goes to that row's host, and the question names the host", async () => {
    // Two identical engines: same container ids and names on both, told apart by host only.
    const a = new FakeEngine();
    const b = new FakeEngine();
    const hosts = new FakeHosts({ alpha: a, beta: b });
    h = await renderDashboard({ hosts, initialHost: ALL_HOSTS, columns: 140 });
    await h.waitFor("both hosts' db rows", (x) => x.split('\n').filter((l) => /^db\s/.test(l)).length === 2);
    let f = h.frame();
    assert.equal(f.split('\n').filter((l) => /^db\s/.test(l)).length, 2, f);
    // Only beta's rows: db (first by name, so selected) on beta.
    await h.press('/', 'b', 'e', 't', 'a', KEY.enter);
    f = h.frame();
    assert.deepEqual(
      f
        .split('\n')
        .filter((l) => /^db\s/.test(l))
        .map((l) => l.split(/\s+/)[1]),
      ['beta'],
      f,
    );
    await h.press('s');
    assert.match(h.frame(), /Stop container db on beta\?/);
    await h.press('y');
    await h.waitFor('the result', (x) => /Stopped db/.test(x));
    assert.equal(b.callsTo('containers.stop').length, 1);
    assert.equal(a.callsTo('containers.stop').length, 0);
    assert.equal([...b.containersById.values()].find((c) => c.name === 'db')?.state, 'exited');
    assert.equal([...a.containersById.values()].find((c) => c.name === 'db')?.state, 'running');
    f = h.frame();
    assert.match(f, /Stopped db/);
  });

  test('a host that drops out leaves the view and the header says so; it comes back by itself', async () => {
    const { hosts } = twoHosts();
    h = await renderDashboard({ hosts, initialHost: ALL_HOSTS, columns: 140 });
    await h.waitFor("beta's rows", (f) => /beta/.test(rowOf(f, 'app-0')));
    hosts.set('beta', 'down', 'ssh exited with 255');
    await h.waitFor("beta's rows gone", (f) => rowOf(f, 'app-0') === '');
    let f = h.frame();
    assert.equal(rowOf(f, 'app-0'), '', 'no stale rows from a disconnected host');
    assert.match(f, /1\/2 hosts up, down: beta/);
    assert.match(rowOf(f, 'web'), /alpha/);
    hosts.set('beta', 'up');
    await h.waitFor("beta's rows back", (x) => /beta/.test(rowOf(x, 'app-0')));
    f = h.frame();
    assert.doesNotMatch(f, /down: beta/);
  });

  test('prune with no row selected and no single host asks for a host instead of guessing', async () => {
    const a = new FakeEngine({ running: 0, stopped: 0 });
    const hosts = new FakeHosts({ alpha: a, beta: new FakeEngine({ running: 0, stopped: 0 }) });
    h = await renderDashboard({ hosts, initialHost: ALL_HOSTS, columns: 120 });
    await h.waitFor('the lists loaded', (f) => /no containers/.test(f));
    await h.press('P');
    assert.match(h.frame(), /pick a host first \(H\) to prune/);
    assert.equal(a.callsTo('containers.prune').length, 0);
  });
});

describe('header figures', () => {
  test("this machine's CPU/memory only for a local host; a remote one shows its daemon's size", async () => {
    const { hosts } = twoHosts();
    h = await renderDashboard({ hosts, initialHost: 'beta', columns: 140 });
    await h.waitFor("beta's rows", (f) => rowOf(f, 'app-0') !== '');
    await h.tick(3);
    let f = h.frame();
    assert.match(f, /2 CPUs {2}MEM 8\.0GiB/);
    assert.doesNotMatch(f, /CPU 13%/, 'the local figures are not shown for a remote host');
    await h.press('H', 'k', KEY.enter); // alpha (local)
    await h.tick(3);
    f = h.frame();
    assert.match(f, /CPU 13%/);
  });
});

/** An engine whose sampler records the ids it is asked for (a daemon's unless `readsAll`). */
function recordingSampler(e: FakeEngine, readsAll = false): { engine: Engine; asked: (string[] | undefined)[] } {
  const asked: (string[] | undefined)[] = [];
  const containers = Object.create(e.containers) as Engine['containers'];
  containers.sampler = async (): Promise<StatsSampler> => {
    const inner = await e.containers.sampler();
    return { readsAll, sample: (ids) => (asked.push(ids ? [...ids] : undefined), inner.sample(ids)), close: () => inner.close() };
  };
  const engine = Object.create(e) as Engine;
  Object.defineProperty(engine, 'containers', { value: containers });
  return { engine, asked };
}

describe('stats', () => {
  test('the sampler is asked only for the containers that can be on screen', async () => {
    const fake = new FakeEngine({ running: 80 });
    const { engine, asked } = recordingSampler(fake);
    const hosts = new FakeHosts({ big: engine }, { local: { big: true } });
    h = await renderDashboard({ hosts, initialHost: 'big', columns: 120, rows: 20 });
    await h.waitFor('the rows', (f) => rowOf(f, 'app-0') !== '');
    await h.tick(3);
    const last = asked.at(-1);
    assert.ok(last, 'sampled with a list of ids');
    assert.ok(last.length > 0 && last.length <= 2 * 16, `asked for ${last.length} of 80`);
    const running = new Set([...fake.containersById.values()].map((c) => c.id));
    assert.ok(last.every((id) => running.has(id)));
    // Rows on screen have figures.
    assert.match(h.frame(), /app-\S+\s.*\d+(\.\d)?%/);
    // Sorted by CPU every figure is needed: all are asked for.
    await h.press('o', 'o');
    await h.tick(2);
    assert.equal(asked.at(-1), undefined);
  });

  test('a sampler that reads all cheaply reads all up to READ_ALL_UP_TO running containers, then only the window', async () => {
    for (const running of [READ_ALL_UP_TO, READ_ALL_UP_TO + 50]) {
      const fake = new FakeEngine({ running });
      const { engine, asked } = recordingSampler(fake, true);
      const hosts = new FakeHosts({ big: engine }, { local: { big: true } });
      h = await renderDashboard({ hosts, initialHost: 'big', columns: 120, rows: 20 });
      await h.waitFor('the rows', (f) => rowOf(f, 'app-0') !== '');
      await h.tick(3);
      const last = asked.at(-1);
      const note = /sampled only for rows on screen: history from when shown/;
      if (running <= READ_ALL_UP_TO) {
        assert.equal(last, undefined, `${running} running: every container is read`);
        await h.press(KEY.enter, '8');
        await h.waitFor('graphs', (f) => /CPU %\s+now/.test(f));
        assert.doesNotMatch(h.frame(), note);
      } else {
        assert.ok(last && last.length > 0 && last.length <= 2 * 16, `${running} running: asked for ${last?.length}`);
        assert.match(h.frame(), /app-\S+\s.*\d+(\.\d)?%/, 'rows on screen have figures');
        // The graphs say their history starts when the row was shown, as on a daemon.
        await h.press(KEY.enter, '8');
        await h.waitFor('graphs', (f) => /CPU %\s+now/.test(f));
        assert.match(h.frame(), note);
        // Sorted by CPU, all again.
        await h.press(KEY.esc, 'o', 'o');
        await h.tick(2);
        assert.equal(asked.at(-1), undefined);
      }
      h.unmount();
      h = undefined;
    }
  });
  test('past READ_ALL_UP_TO, a folded compose project on screen has its members read for its heading', async () => {
    const fake = new FakeEngine({ running: READ_ALL_UP_TO + 50 });
    const labels = (svc: string) => ({ 'com.docker.compose.project': 'zz', 'com.docker.compose.service': svc });
    const members = ['zz-a-1', 'zz-b-1'].map(
      (name) => fake.addContainer({ name, image: 'docker.io/library/busybox:latest', state: 'running', load: 0.3, labels: labels(name) }).id,
    );
    const { engine, asked } = recordingSampler(fake, true);
    const hosts = new FakeHosts({ big: engine }, { local: { big: true } });
    h = await renderDashboard({ hosts, initialHost: 'big', columns: 120, rows: 20 });
    await h.waitFor('the rows', (f) => rowOf(f, 'app-0') !== '');
    await h.press('z', 'g', KEY.enter);
    await h.waitFor('the folded heading', (f) => /▸ zz  2 containers/.test(f));
    await h.tick(3);
    const last = asked.at(-1) ?? [];
    assert.ok(
      members.every((id) => last.includes(id)),
      'both members are read',
    );
    assert.ok(last.length <= 2 * 16 + 2, `asked for ${last.length}`);
    await h.waitFor('usage on the heading', (f) => /▸ zz  2 containers, 2 running  CPU \S+%  MEM \S+/.test(f));
  });
});

test('switching host keeps keys working and the status line names the host', async () => {
  const { hosts } = twoHosts();
  h = await renderDashboard({ hosts, initialHost: 'alpha', columns: 120 });
  await h.waitFor("alpha's rows", (f) => rowOf(f, 'web') !== '');
  await h.press('@');
  assert.match(h.frame(), /Switch host/);
  await h.press(KEY.esc);
  await sleep(20);
  assert.doesNotMatch(h.frame(), /Switch host/);
  await h.press('A');
  assert.match(h.frame(), /All hosts/);
  await h.press('?');
  assert.match(h.frame(), /switch host/);
  assert.match(h.frame(), /all hosts at once/);
});
