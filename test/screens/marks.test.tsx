/** Marking rows with space and acting on all of them at once (issue 15). */
import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { KEY, renderDashboard, type Harness } from './render-dashboard.js';
import { FakeEngine } from '../fakes/fake-engine.js';
import { FakeHosts } from './fake-hosts.js';
import { ALL_HOSTS } from '../../src/screens/hosts.js';
import { bulkPlan, nameList } from '../../src/screens/bulk-actions.js';

let h: Harness | undefined;
afterEach(() => {
  h?.unmount();
  h = undefined;
});

const stateOf = (e: FakeEngine, name: string) => [...e.containersById.values()].find((c) => c.name === name)?.state;
const markedRows = (f: string) =>
  f
    .split('\n')
    .filter((l) => l.startsWith('● '))
    .map((l) => l.slice(2).split(/\s+/)[0]);

describe('marking', () => {
  test('space marks and moves on; the mark column and the count show; esc clears', async () => {
    h = await renderDashboard({ columns: 120 });
    await h.press(' '); // db, then the cursor is on old-job
    await h.press('j', ' '); // web
    assert.deepEqual(markedRows(h.frame()), ['db', 'web']);
    assert.match(h.frame(), /\[2 marked\]/);
    await h.press(KEY.esc);
    assert.deepEqual(markedRows(h.frame()), []);
    assert.doesNotMatch(h.frame(), /marked/);
  });

  test('s stops every marked container after one question naming them', async () => {
    h = await renderDashboard({ columns: 120 });
    await h.press(' ', 'j', ' ');
    await h.press('s');
    assert.match(h.frame(), /Stop 2 containers\? db, web/);
    assert.equal(h.engine.callsTo('containers.stop').length, 0);
    await h.press('y');
    await h.waitFor('the bulk result', (f) => f.includes('Stopped 2 containers: db, web  $ berth stop db web'));
    assert.equal(stateOf(h.engine, 'db'), 'exited');
    assert.equal(stateOf(h.engine, 'web'), 'exited');
    assert.equal(stateOf(h.engine, 'worker'), 'paused');
    // Marks survive the refresh that followed.
    assert.deepEqual(markedRows(h.frame()), ['db', 'web']);
    // S starts them both again.
    await h.press('S', 'y');
    await h.waitFor('the bulk start', (f) => f.includes('Started 2 containers: db, web'));
    assert.equal(stateOf(h.engine, 'db'), 'running');
  });

  test('one failure is reported per container and does not stop the others', async () => {
    h = await renderDashboard({ columns: 140 });
    await h.press(' ', 'j', ' ');
    h.engine.failNext('containers.restart');
    await h.press('r', 'y');
    await h.waitFor('the partial result', (f) => f.includes('Restarted 1 of 2; db: containers.restart failed'));
    assert.equal(h.engine.callsTo('containers.restart').length, 2);
  });

  test('a marked container that goes loses its mark; * marks every row shown and unmarks them', async () => {
    h = await renderDashboard({ columns: 120 });
    await h.press(' ', 'j', ' ');
    const web = [...h.engine.containersById.values()].find((c) => c.name === 'web')!;
    await h.engine.containers.remove(web.id, { force: true });
    await h.waitFor('web gone', (f) => !/^\S?\s*web /m.test(f) && f.includes('[1 marked]'));
    assert.deepEqual(markedRows(h.frame()), ['db']);
    await h.press('*');
    assert.deepEqual(markedRows(h.frame()), ['db', 'old-job', 'worker']);
    await h.press('*');
    assert.deepEqual(markedRows(h.frame()), []);
  });

  test('the status line names every key that acts on marks, K and l included', async () => {
    h = await renderDashboard({ columns: 120 });
    await h.press(' ');
    assert.match(h.frame(), /\[1 marked\] S s r p K d l act on all marked; esc unmarks/);
  });

  test('l on rows marked on two hosts says merged logs take one host, and opens nothing', async () => {
    const hosts = new FakeHosts({ alpha: new FakeEngine(), beta: new FakeEngine() });
    h = await renderDashboard({ hosts, initialHost: ALL_HOSTS, columns: 140 });
    await h.waitFor("both hosts' db rows", (x) => x.split('\n').filter((l) => /^\S?\s*db\s/.test(l)).length === 2);
    await h.press(' ', ' '); // db on alpha, db on beta (sorted by name, then host)
    await h.waitFor('two marked', (f) => /\[2 marked\]/.test(f));
    await h.press('l');
    await h.waitFor('refusal', (f) => /merged logs take containers of one host \(these are on alpha, beta\)/.test(f));
    assert.doesNotMatch(h.frame(), /following/);
  });

  test('p pauses the marked running ones (then unpauses them), K kills them, each after one question', async () => {
    h = await renderDashboard({ columns: 140 });
    await h.press(' ', 'j', ' '); // db, web (both running)
    await h.press('p');
    assert.match(h.frame(), /Pause 2 containers\? db, web/);
    await h.press('y');
    await h.waitFor('paused', (f) => f.includes('Paused 2 containers: db, web  $ berth pause db web'));
    assert.equal(stateOf(h.engine, 'db'), 'paused');
    assert.equal(stateOf(h.engine, 'web'), 'paused');
    await h.press('p');
    assert.match(h.frame(), /Unpause 2 containers\? db, web/);
    await h.press('y');
    await h.waitFor('unpaused', (f) => f.includes('Unpaused 2 containers: db, web  $ berth unpause db web'));
    assert.equal(stateOf(h.engine, 'web'), 'running');
    await h.press('K');
    assert.match(h.frame(), /Kill 2 containers\? db, web \(SIGKILL\)/);
    await h.press('n');
    assert.equal(h.engine.callsTo('containers.kill').length, 0, 'n kills nothing');
    await h.press('K', 'y');
    await h.waitFor('killed', (f) => f.includes('Killed 2 containers: db, web  $ berth kill db web'));
    assert.deepEqual(
      h.engine.callsTo('containers.kill').map((c) => c.args[1]),
      ['SIGKILL', 'SIGKILL'],
    );
    assert.notEqual(stateOf(h.engine, 'db'), 'running');
    assert.notEqual(stateOf(h.engine, 'web'), 'running');
  });

  test('d removes the marked ones after one question; running ones are killed first', async () => {
    h = await renderDashboard({ columns: 140 });
    await h.press(' ', ' '); // db, old-job
    await h.press('d');
    assert.match(h.frame(), /Remove 2 containers\? db, old-job 1 running: killed first\./);
    await h.press('y');
    await h.waitFor('removed', (f) => f.includes('Removed 2 containers') && f.includes('berth rm -f db old-job'));
    assert.equal(stateOf(h.engine, 'db'), undefined);
    assert.doesNotMatch(h.frame(), /marked/);
  });
});

test('bulk plans: pause pauses the running ones, else unpauses; start skips running ones', () => {
  const row = (name: string, state: 'running' | 'paused' | 'exited') => ({ id: name, names: [name], state }) as never;
  assert.deepEqual(
    bulkPlan('pause', [row('a', 'running'), row('b', 'paused')])!.rows.map((r: { id: string }) => r.id),
    ['a'],
  );
  assert.equal(bulkPlan('pause', [row('b', 'paused')])!.verb.kind, 'unpause');
  assert.deepEqual(
    bulkPlan('start', [row('a', 'running'), row('c', 'exited')])!.rows.map((r: { id: string }) => r.id),
    ['c'],
  );
  assert.equal(bulkPlan('commit', [row('a', 'running')]), undefined);
  assert.equal(nameList(['a', 'b', 'c', 'd', 'e', 'f', 'g']), 'a, b, c, d, e and 2 more');
});
