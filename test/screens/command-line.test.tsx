/** The `:` command line: panes and actions by name, Tab completion, history, errors in the status line. */
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { KEY, renderDashboard, type Harness } from './render-dashboard.js';
import { completeCommandLine, parseCommandLine } from '../../src/screens/command-line.js';

let h: Harness | undefined;
afterEach(() => {
  h?.unmount();
  h = undefined;
});

const stateOf = (h: Harness, name: string) => [...h.engine.containersById.values()].find((c) => c.name === name)?.state;

test(':images switches pane; :stop web asks and stops; errors go to the status line', async () => {
  h = await renderDashboard({ columns: 120 });
  await h.press(':', ...'images', KEY.enter);
  assert.match(h.frame(), /REPOSITORY/);
  await h.press(':', ...'containers', KEY.enter);
  await h.press(':', ...'stop web', KEY.enter);
  assert.match(h.frame(), /Stop container web\?/);
  await h.press('y');
  await h.waitFor('stopped', (f) => f.includes('Stopped web  $ berth stop web'));
  assert.equal(stateOf(h, 'web'), 'exited');
  await h.press(':', ...'stop nosuch', KEY.enter);
  assert.match(h.frame(), /Error: no such container: nosuch/);
  await h.press(':', ...'frobnicate', KEY.enter);
  assert.match(h.frame(), /Error: unknown command: frobnicate/);
});

test('Tab completes commands and names; up/down walk the history; :logs and :q', async () => {
  h = await renderDashboard({ columns: 120 });
  await h.press(':', ...'st');
  await h.press(KEY.tab);
  assert.match(h.frame(), /^:st\S*\s+start stop/m);
  await h.press('o', KEY.tab, 'w', KEY.tab);
  assert.match(h.frame(), /^:stop w\S*\s+web worker/m);
  await h.press('e', KEY.tab);
  assert.match(h.frame(), /^:stop web/m);
  await h.press(KEY.esc);
  assert.doesNotMatch(h.frame(), /^:stop/m);
  // Several names: one question for all of them.
  await h.press(':', ...'restart db web', KEY.enter);
  assert.match(h.frame(), /Restart 2 containers\? db, web/);
  await h.press('n');
  await h.press(':', KEY.up);
  assert.match(h.frame(), /^:restart db web/m);
  await h.press(KEY.down);
  assert.match(h.frame(), /^:\S?\s/m);
  await h.press(KEY.esc, ':', ...'logs db', KEY.enter);
  await h.waitFor('the logs', (f) => f.includes('db log line'));
  await h.press(KEY.esc, ':', ...'q', KEY.enter);
  await h.settle();
});

test(':run IMAGE NAME creates and starts a container, with the berth run line', async () => {
  h = await renderDashboard({ columns: 120 });
  await h.press(':', ...'run docker.io/library/busybox:latest fresh', KEY.enter);
  await h.waitFor('the run', (f) =>
    f.includes('Started fresh from docker.io/library/busybox:latest  $ berth run -d --name fresh docker.io/library/busybox:latest'),
  );
  assert.equal(stateOf(h, 'fresh'), 'running');
});

test('parsing and completion', () => {
  assert.deepEqual(parseCommandLine(':stop web db'), { kind: 'action', command: 'stop', names: ['web', 'db'] });
  assert.deepEqual(parseCommandLine('rm web'), { kind: 'action', command: 'remove', names: ['web'] });
  assert.deepEqual(parseCommandLine('volumes'), { kind: 'pane', pane: 'volumes' });
  assert.deepEqual(parseCommandLine('q'), { kind: 'quit' });
  assert.equal(parseCommandLine('run').kind, 'error');
  assert.equal(parseCommandLine('images x').kind, 'error');
  assert.deepEqual(completeCommandLine('ima', [], []), { text: 'images ', options: [] });
  assert.deepEqual(completeCommandLine('re', [], []), { text: 're', options: ['remove', 'restart'] });
  assert.deepEqual(completeCommandLine('logs w', ['web', 'worker'], []), { text: 'logs w', options: ['web', 'worker'] });
  assert.deepEqual(completeCommandLine('logs wo', ['web', 'worker'], []), { text: 'logs worker ', options: [] });
  assert.deepEqual(completeCommandLine('run ng', ['nginx-c'], ['nginx:1.27']), { text: 'run nginx:1.27 ', options: [] });
  assert.deepEqual(completeCommandLine('images x', ['x1'], []), { text: 'images x', options: [] });
});
