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
  for (const [columns, rows] of [
    [80, 24],
    [120, 40],
  ] as const) {
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

describe('the command on other hosts', () => {
  test('a -H host shows berth -H …, a context --context …, and a bulk across hosts one line per host', async () => {
    const { FakeHosts } = await import('./fake-hosts.js');
    const { FakeEngine } = await import('../fakes/fake-engine.js');
    const hosts = new FakeHosts(
      { docker: new FakeEngine(), prod: new FakeEngine() },
      { labels: { docker: 'unix:///run/docker.sock', prod: 'ssh://admin@prod1' } },
    );
    h = await renderDashboard({ hosts, initialHost: 'docker', columns: 160 });
    await h.waitFor('docker rows', (f) => /^db /m.test(f));
    await h.press('s', 'y');
    await h.waitFor('the -H form', (f) => f.includes('Stopped db  $ berth -H unix:///run/docker.sock stop db'));
    // All hosts: mark db on both (sorted by name, then host) and restart both with one question.
    await h.press('A');
    await h.waitFor('both hosts', (f) => f.split('\n').filter((l) => /^db /.test(l)).length === 2);
    await h.press(' ', ' ');
    // S starts only the stopped one (prod's db runs); r restarts both, one line per host.
    await h.press('S', 'y');
    await h.waitFor('one start', (f) => f.includes('Started 1 container: db  $ berth -H unix:///run/docker.sock start db'));
    await h.press('r');
    assert.match(h.frame(), /Restart 2 containers\? db, db/);
    await h.press('y');
    await h.waitFor('per-host lines', (f) => f.includes('$ berth -H unix:///run/docker.sock restart db; berth --context prod restart db'));
    // The HOST column stays after the name, the mark column first.
    assert.match(h.frame(), /^ {2}NAME\S*\s+HOST/m);
  });

  test('pull, tag, the run form and the logs options show their berth line with -H', async () => {
    const { FakeHosts } = await import('./fake-hosts.js');
    const { FakeEngine } = await import('../fakes/fake-engine.js');
    const engine = new FakeEngine();
    engine.addTimedLog('db', new Date(engine.now() - 120_000).toISOString(), 'db says old');
    const hosts = new FakeHosts({ docker: engine }, { labels: { docker: 'unix:///run/docker.sock' } });
    h = await renderDashboard({ hosts, initialHost: 'docker', columns: 160 });
    await h.waitFor('docker rows', (f) => /^db /m.test(f));
    const H = '$ berth -H unix:///run/docker.sock';
    // Logs: the view's own command, then the presets and timestamps change it.
    await h.press('l');
    await h.waitFor('logs', (f) => f.includes(`${H} logs -f db`));
    await h.press('5');
    await h.waitFor('since 5m', (f) => f.includes(`${H} logs -f --since 5m db`));
    await h.press('t');
    await h.waitFor('timestamps', (f) => f.includes(`${H} logs -f --since 5m -t db`));
    await h.press('h', 't');
    await h.waitFor('since 1h', (f) => f.includes(`${H} logs -f --since 1h db`));
    await h.press(KEY.esc, '2', 'p');
    await h.waitFor('pull prompt', (f) => /Pull an image/.test(f));
    await h.press(...'alpine:3.20', KEY.enter);
    await h.waitFor('pulled', (f) => f.includes(`Pulled alpine:3.20  ${H} pull alpine:3.20`));
    await h.press(KEY.esc);
    await h.waitFor('images pane', (f) => /REPOSITORY/.test(f) && /alpine/.test(f));
    await h.press('g', 't');
    await h.waitFor('tag form', (f) => /Tag /.test(f));
    const label = /Tag (\S+)/.exec(h.frame())![1]!;
    await h.press(...'mine:1', KEY.enter);
    await h.waitFor('tagged', (f) => f.includes(`Tagged ${label} as mine:1  ${H} tag ${label} mine:1`));
    await h.press('R');
    await h.waitFor('run form', (f) => f.includes(`${H} run -d `));
    await h.press(...'a b');
    await h.waitFor('quoted in the line', (f) => f.includes(`${H} run -d --name 'a b' `));
  });
});
