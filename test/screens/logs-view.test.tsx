/**
 * The logs view against the fake engine: since presets, timestamps, wrap, search with context
 * lines, saving to a file (the text `berth logs` prints) and merged logs of a compose project.
 */
import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KEY, renderDashboard, type Harness } from './render-dashboard.js';
import { FakeEngine } from '../fakes/fake-engine.js';

let h: Harness | undefined;
const dirs: string[] = [];
afterEach(() => {
  h?.unmount();
  h = undefined;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** Engine whose `web` and `db` have timed lines, a minute apart, in a compose project "shop". */
function timedEngine(): FakeEngine {
  const e = new FakeEngine();
  const now = e.now();
  const web = [...e.containersById.values()].find((c) => c.name === 'web')!;
  const db = [...e.containersById.values()].find((c) => c.name === 'db')!;
  for (let i = 0; i < 10; i++) {
    e.addTimedLog('web', new Date(now - (10 - i) * 60_000).toISOString(), `web says ${i}${i === 4 ? ' ERROR boom' : ''}`);
    e.addTimedLog('db', new Date(now - (10 - i) * 60_000 + 30_000).toISOString(), `db says ${i}`);
  }
  e.dashBLabels.set(web.id, { 'com.docker.compose.project': 'shop', 'com.docker.compose.service': 'web' });
  e.dashBLabels.set(db.id, { 'com.docker.compose.project': 'shop', 'com.docker.compose.service': 'db' });
  return e;
}

function textLines(frame: string): string[] {
  return frame.split('\n').filter((l) => /says \d/.test(l));
}

describe('logs view', () => {
  test('since presets narrow the lines; 0 shows all again', async () => {
    h = await renderDashboard({ engine: timedEngine(), rows: 24 });
    await h.press('j', 'j'); // web is the third row (sorted by name: db, old-job, web, worker)
    await h.waitFor('web row', (f) => /▶?\s*web/.test(f));
    await h.press('l');
    await h.waitFor('web logs', (f) => /logs web/.test(f) && /10 lines/.test(f));
    await h.press('5');
    await h.waitFor('since 5m', (f) => /since 5m/.test(f) && /5 lines/.test(f));
    assert.deepEqual(
      textLines(h.frame()).map((l) => l.trim()),
      ['web says 5', 'web says 6', 'web says 7', 'web says 8', 'web says 9'],
    );
    await h.press('1');
    await h.waitFor('since 1m', (f) => /since 1m/.test(f) && /1 lines/.test(f));
    await h.press('S', KEY.backspace, KEY.backspace, '3', 'm', KEY.enter);
    await h.waitFor('typed since', (f) => /since 3m/.test(f) && /3 lines/.test(f));
    await h.press('S', KEY.backspace, KEY.backspace, 'x', 'y', KEY.enter);
    await h.waitFor('refused since', (f) => /not a duration or timestamp: xy/.test(f));
    await h.press('0');
    await h.waitFor('all', (f) => /\ball\b/.test(f) && /10 lines/.test(f));
  });

  test('timestamps and wrap toggle; search keeps context lines around matches', async () => {
    const engine = timedEngine();
    engine.addTimedLog('web', new Date(engine.now()).toISOString(), `long ${'x'.repeat(100)}END`);
    h = await renderDashboard({ engine, rows: 24, columns: 80 });
    await h.press('j', 'j', 'l');
    await h.waitFor('web logs', (f) => /11 lines/.test(f));
    await h.press('t');
    await h.waitFor('timestamps', (f) => /timestamps/.test(f) && /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z web says 0/.test(f));
    await h.press('t', '/', 'E', 'R', 'R', 'O', 'R', KEY.enter);
    await h.waitFor('search', (f) => /"ERROR": 1 matches, 2 around/.test(f));
    assert.deepEqual(
      textLines(h.frame()).map((l) => l.trim()),
      ['web says 2', 'web says 3', 'web says 4 ERROR boom', 'web says 5', 'web says 6'],
    );
    assert.match(h.raw(), /\u001B\[30m\u001B\[43mERROR|\u001B\[30;43mERROR/);
    await h.press('c');
    await h.waitFor('5 around', (f) => /5 around/.test(f));
    assert.equal(textLines(h.frame()).length, 10);
    await h.press('c');
    await h.waitFor('0 around', (f) => /0 around/.test(f));
    assert.deepEqual(
      textLines(h.frame()).map((l) => l.trim()),
      ['web says 4 ERROR boom'],
    );
    await h.press(KEY.esc);
    await h.waitFor('search cleared', (f) => !/matches/.test(f) && textLines(f).length === 10);
    // Wrap: a line wider than the screen continues on the next row instead of being cut.
    assert.doesNotMatch(h.frame(), /xEND/);
    await h.press('w');
    await h.waitFor('wrapped', (f) => /wrap/.test(f) && /xEND/.test(f));
  });

  test('s saves the logs to the file asked for, as berth logs prints them; a bad path loses nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'berth-logs-'));
    dirs.push(dir);
    h = await renderDashboard({ engine: timedEngine(), rows: 24 });
    await h.press('j', 'j', 'l');
    await h.waitFor('web logs', (f) => /10 lines/.test(f));
    await h.press('s');
    await h.waitFor('save prompt', (f) => /save to \(default ~\/berth-logs-web-/.test(f));
    for (const ch of join(dir, 'web.log')) await h.press(ch);
    await h.press(KEY.enter);
    await h.waitFor('saved', (f) => /saved 10 lines to .*web\.log/.test(f));
    const want = Array.from({ length: 10 }, (_, i) => `web says ${i}${i === 4 ? ' ERROR boom' : ''}\n`).join('');
    assert.equal(readFileSync(join(dir, 'web.log'), 'utf8'), want);
    await h.press('s');
    for (const ch of join(dir, 'nodir', 'x.log')) await h.press(ch);
    await h.press(KEY.enter);
    await h.waitFor('refused', (f) => /cannot save: no such directory/.test(f));
    assert.deepEqual(readdirSync(dir), ['web.log'], 'no temporary file left behind');
    assert.ok(!existsSync(join(dir, 'nodir')));
  });

  test('L merges the logs of a compose project in time order with a name prefix (also with NO_COLOR)', async () => {
    for (const color of [true, false]) {
      h = await renderDashboard({ engine: timedEngine(), rows: 30, columns: 100, caps: { color, unicode: color } });
      await h.press('L'); // on db, the first row
      await h.waitFor('merged', (f) => /logs project shop/.test(f) && /20 lines/.test(f));
      const rows = textLines(h.frame()).map((l) => l.trim());
      const want = Array.from({ length: 10 }, (_, i) => [`web | web says ${i}${i === 4 ? ' ERROR boom' : ''}`, `db  | db says ${i}`]).flat();
      assert.deepEqual(rows, want);
      if (color) assert.match(h.raw(), /\u001B\[\d+mweb \| \u001B\[(0|39)m/, 'coloured prefix');
      else assert.doesNotMatch(h.raw(), /\u001B\[3\dm/, 'no colour with NO_COLOR');
      h.unmount();
      h = undefined;
    }
  });

  test('l with marked rows and :logs a b merge the logs of those containers (also with NO_COLOR)', async () => {
    const want = Array.from({ length: 10 }, (_, i) => [`web | web says ${i}${i === 4 ? ' ERROR boom' : ''}`, `db  | db says ${i}`]).flat();
    for (const color of [true, false]) {
      h = await renderDashboard({ engine: timedEngine(), rows: 30, columns: 100, caps: { color, unicode: color } });
      await h.press(' ', 'j', ' '); // db, web (old-job is between them)
      await h.waitFor('two marked', (f) => /\[2 marked\]/.test(f));
      await h.press('l');
      await h.waitFor('merged', (f) => /logs db, web/.test(f) && /20 lines/.test(f));
      assert.deepEqual(
        textLines(h.frame()).map((l) => l.trim()),
        want,
      );
      if (color) assert.match(h.raw(), /\u001B\[\d+mweb \| \u001B\[(0|39)m/, 'coloured prefix');
      else assert.doesNotMatch(h.raw(), /\u001B\[3\dm/, 'no colour with NO_COLOR');
      // The command line names them: the same merged view.
      await h.press(KEY.esc, KEY.esc);
      await h.waitFor('unmarked list', (f) => !/marked/.test(f) && /NAME/.test(f));
      await h.press(':', ...'logs web db', KEY.enter);
      await h.waitFor('merged by name', (f) => /logs web, db/.test(f) && /20 lines/.test(f));
      assert.deepEqual(
        textLines(h.frame()).map((l) => l.trim()),
        want,
      );
      h.unmount();
      h = undefined;
    }
  });

  test('l with one marked row shows that container, not the selected one', async () => {
    h = await renderDashboard({ engine: timedEngine(), rows: 24 });
    await h.press('j', 'j', ' '); // marks web; the cursor moves on to worker
    await h.press('l');
    await h.waitFor('web logs', (f) => /logs web /.test(f) && /10 lines/.test(f));
  });

  test('h shows the last hour; a line two hours old is left out until 0', async () => {
    const engine = timedEngine();
    engine.addTimedLog('web', new Date(engine.now() - 2 * 3600_000).toISOString(), 'web says old');
    h = await renderDashboard({ engine, rows: 24 });
    await h.press('j', 'j', 'l');
    await h.waitFor('web logs', (f) => /logs web/.test(f) && /11 lines/.test(f));
    await h.press('h');
    await h.waitFor('since 1h', (f) => /since 1h/.test(f) && /10 lines/.test(f) && /\$ berth logs -f --since 1h web/.test(f));
    assert.doesNotMatch(h.frame(), /web says old/);
    await h.press('0');
    await h.waitFor('all again', (f) => /11 lines/.test(f) && /web says old/.test(f));
  });

  test('Enter on the save prompt writes the default file in the home directory', async () => {
    const home = mkdtempSync(join(tmpdir(), 'berth-home-'));
    dirs.push(home);
    const saved = process.env['HOME'];
    process.env['HOME'] = home; // os.homedir() reads HOME
    try {
      h = await renderDashboard({ engine: timedEngine(), rows: 24, columns: 200 });
      await h.press('j', 'j', 'l');
      await h.waitFor('web logs', (f) => /10 lines/.test(f));
      await h.press('s');
      await h.waitFor('save prompt', (f) => /save to \(default ~\/berth-logs-web-\d{8}-\d{6}\.log\)/.test(f));
      await h.press(KEY.enter);
      await h.waitFor('saved', (f) => /saved 10 lines to /.test(f));
      const files = readdirSync(home);
      assert.equal(files.length, 1, files.join(', '));
      assert.match(files[0]!, /^berth-logs-web-\d{8}-\d{6}\.log$/);
      assert.match(readFileSync(join(home, files[0]!), 'utf8'), /^web says 0\n(.*\n){9}$/);
      assert.ok(h.frame().includes(`saved 10 lines to ${join(home, files[0]!)}  $ berth logs web > ${join(home, files[0]!)}`), h.frame());
    } finally {
      process.env['HOME'] = saved;
    }
  });

  test('L on a container outside any compose project says so', async () => {
    h = await renderDashboard({ rows: 24 });
    await h.press('L');
    await h.waitFor('message', (f) => /not part of a compose project/.test(f));
  });
});
