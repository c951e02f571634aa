/** The berth command behind each key in the status line, and the help that scrolls and says so. */
import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { KEY, renderDashboard, type Harness } from './render-dashboard.js';

let h: Harness | undefined;
afterEach(() => {
  h?.unmount();
  h = undefined;
});

describe('the command behind each key', () => {
  test('stop shows the result and the berth command in the status line', async () => {
    h = await renderDashboard({ columns: 120 });
    await h.press('s', 'y');
    await h.waitFor('the stop result', (f) => f.includes('Stopped db  $ berth stop db'));
  });

  test('connect shows the network connect command; a failure shows the error and the command', async () => {
    h = await renderDashboard({ columns: 120 });
    await h.press('j', 'j'); // web (sorted by name: db, old-job, web, worker)
    await h.press('n');
    await h.waitFor('the network picker', (f) => f.includes('Connect web to'));
    await h.press('j', KEY.enter); // bridge is joined; options: backend (host excluded)
    await h.waitFor('the connect result', (f) => /Connected web to \w+ {2}\$ berth network connect \w+ web/.test(f));
    h.engine.failNext('containers.start');
    await h.press('k'); // old-job
    await h.press('S');
    await h.waitFor('the failed start', (f) => /Error: containers\.start failed {2}\$ berth start old-job/.test(f));
  });
});

describe('help that fits', () => {
  for (const [columns, rows] of [[80, 24], [120, 40]] as const) {
    test(`at ${columns}x${rows} the help says more follows and scrolls to its end`, async () => {
      h = await renderDashboard({ columns, rows });
      await h.press('?');
      await h.waitFor('the help', (f) => f.includes('Everywhere'));
      assert.match(h.frame(), /↓ more {2}lines 1-\d+ of \d+/);
      const total = Number(/of (\d+)/.exec(h.frame())![1]);
      await h.press('j');
      assert.match(h.frame(), /↑ ↓ more {2}lines 2-/);
      await h.press('G');
      assert.match(h.frame(), new RegExp(`↑ end  lines \\d+-${total} of ${total}`));
      assert.match(h.frame(), /Text fields/);
      assert.match(h.frame(), /previous field/);
      await h.press('g');
      assert.match(h.frame(), /lines 1-/);
      // Page down moves a whole window.
      await h.press('\u001B[6~');
      assert.doesNotMatch(h.frame(), /lines 1-/);
      for (const line of h.frame().split('\n')) assert.ok(line.length <= columns, `wider than ${columns}: ${line}`);
      await h.press(KEY.esc);
      assert.match(h.frame(), /STATE/);
    });
  }

  test('the help lists the CLI form of a key', async () => {
    h = await renderDashboard({ columns: 120, rows: 200 });
    await h.press('?');
    assert.match(h.frame(), /s\s+stop \(asks first\)\s+\$ berth stop NAME/);
    assert.match(h.frame(), /c\s+commit to a new image.*\$ berth commit NAME REPO:TAG/);
  });
});
