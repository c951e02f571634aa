/**
 * The dashboard end to end against the in-memory engine: what each pane shows, how keys move
 * and act, and that every engine call happens only when (and after) the user confirmed it.
 */
import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { KEY, renderDashboard, type Harness } from './render-dashboard.js';
import { FakeEngine } from '../fakes/fake-engine.js';

let h: Harness | undefined;
afterEach(() => {
  h?.unmount();
  h = undefined;
});

/** The table row (frame line) that mentions `text`; '^name' matches a row starting with it. */
function rowOf(frame: string, text: string): string {
  const lines = frame.split('\n');
  return (text.startsWith('^') ? lines.find((l) => l.startsWith(text.slice(1))) : lines.find((l) => l.includes(text))) ?? '';
}

/** First-column values of the table's rows, top to bottom. */
function firstColumn(frame: string): string[] {
  const lines = frame.split('\n');
  const header = lines.findIndex((l) => /^(NAME|REPOSITORY)/.test(l));
  const out: string[] = [];
  for (const l of lines.slice(header + 1)) {
    const m = /^(\S+)/.exec(l);
    if (!m) break;
    out.push(m[1]!);
  }
  return out;
}

function stateOf(engine: FakeEngine, name: string): string | undefined {
  return [...engine.containersById.values()].find((c) => c.name === name)?.state;
}

describe('panes', () => {
  test('containers pane shows every column, live CPU and the CPU scale', async () => {
    h = await renderDashboard({ columns: 140 });
    await h.tick(2);
    const f = h.frame();
    for (const col of ['NAME', 'IMAGE', 'STATE', 'CPU%', 'CPU 1m', 'MEM / LIMIT', 'NET RX/TX', 'PIDS', 'PORTS'])
      assert.match(f, new RegExp(col.replace('/', '\\/')), col);
    assert.match(f, /100% = 1 core/);
    assert.match(rowOf(f, 'web'), /nginx:1\.27/);
    assert.match(rowOf(f, 'web'), /running/);
    assert.match(rowOf(f, 'web'), /\d+(\.\d)?%/);
    assert.match(rowOf(f, 'web'), /MiB \/ 256MiB/);
    assert.match(rowOf(f, 'web'), /8080->80\/tcp/);
    assert.match(rowOf(f, 'web'), /[▁▂▃▄▅▆▇█]/);
    assert.match(rowOf(f, 'old-job'), /exited \(0\)/);
    assert.match(rowOf(f, 'worker'), /paused/);
    assert.match(f, /fakehost/);
    assert.match(f, /embedded/);
    assert.match(f, /CPU 13%/);
    assert.match(f, /2\/4 running/);
  });

  test('CPU figures evolve from tick to tick', async () => {
    h = await renderDashboard({ columns: 140 });
    await h.tick(2);
    const before = rowOf(h.frame(), 'db');
    await h.tick(3);
    assert.notEqual(rowOf(h.frame(), 'db'), before);
  });

  test('stats passes that change nothing on screen cause no frame', async () => {
    const engine = new FakeEngine({ running: 6, busy: 1 });
    h = await renderDashboard({ engine, columns: 120 });
    await h.tick(2);
    const frames = () => h!.framesCount();
    // Images pane: stats are off screen; only the header's host figures (every 2nd pass) draw.
    await h.press('2');
    let before = frames();
    await h.tick(4);
    assert.ok(frames() - before <= 2, `images pane: ${frames() - before} frames for 4 passes`);
    // Containers pane: the busy container's row changes every pass.
    await h.press('1');
    before = frames();
    await h.tick(4);
    assert.ok(frames() - before >= 4, `containers pane: ${frames() - before} frames for 4 passes`);
    // Sparkline history keeps growing while nothing is drawn.
    const samples = [...engine.containersById.values()][0]!;
    assert.ok(samples.cpuNs > 0);
  });

  test('images, networks and volumes panes show their columns', async () => {
    h = await renderDashboard({ columns: 120 });
    await h.press('2');
    let f = h.frame();
    for (const col of ['REPOSITORY', 'TAG', 'IMAGE ID', 'SIZE', 'CREATED', 'USED BY']) assert.match(f, new RegExp(col), col);
    assert.match(rowOf(f, 'nginx'), /1\.27.*192MB.*web/);
    assert.match(f, /<none>/);
    await h.press('3');
    f = h.frame();
    for (const col of ['NAME', 'DRIVER', 'SUBNET', 'GATEWAY', 'CONTAINERS']) assert.match(f, new RegExp(col), col);
    assert.match(rowOf(f, 'backend'), /10\.89\.1\.0\/24.*10\.89\.1\.1.*1: db/);
    await h.press('4');
    f = h.frame();
    for (const col of ['NAME', 'MOUNTPOINT', 'SIZE', 'USED BY']) assert.match(f, new RegExp(col), col);
    assert.match(rowOf(f, '^data'), /12MB.*web/);
    assert.match(rowOf(f, 'cache'), /\/var\/lib\/berth\/volumes\/cache/);
  });
});

describe('navigation', () => {
  test('j/k and arrows move the selection; Tab, Shift-Tab and numbers switch panes', async () => {
    h = await renderDashboard();
    const selectedLine = () =>
      h!
        .raw()
        .split('\n')
        .find((l) => l.includes('\u001B[7m') && !l.includes('Containers'));
    assert.match(selectedLine() ?? '', /db/);
    await h.press('j');
    assert.match(selectedLine() ?? '', /old-job/);
    await h.press(KEY.down, 'j');
    assert.match(selectedLine() ?? '', /worker/);
    await h.press('k', KEY.up);
    assert.match(selectedLine() ?? '', /old-job|db/);
    await h.press('G');
    assert.match(selectedLine() ?? '', /worker/);
    await h.press('g');
    assert.match(selectedLine() ?? '', /db/);
    await h.press(KEY.tab);
    assert.match(h.frame(), /REPOSITORY/);
    await h.press(KEY.shiftTab);
    assert.match(h.frame(), /STATE/);
    await h.press('3');
    assert.match(h.frame(), /SUBNET/);
    await h.press('1');
    assert.match(h.frame(), /STATE/);
  });

  test('Enter opens the detail view with env, command, mounts, ports, networks, limits and logs; Esc returns', async () => {
    h = await renderDashboard({ rows: 80 });
    await h.press('j', 'j'); // web (db, old-job, web, worker)
    await h.press(KEY.enter);
    await h.settle(60);
    const f = h.frame();
    for (const s of [
      'Command',
      'Environment',
      'APP=web',
      'Mounts',
      'volume data -> /data',
      'Ports',
      '80/tcp -> 0.0.0.0:8080',
      'Networks',
      'bridge  10.88.',
      'Limits (cgroup)',
      'memory  256MiB',
      'pids    100',
      'Recent logs',
      'web log line 29',
    ]) {
      assert.ok(f.includes(s), `detail shows ${s}`);
    }
    await h.press(KEY.esc);
    assert.match(h.frame(), /NAME/);
  });

  test('the logs view follows new lines and searches with / and n', async () => {
    h = await renderDashboard({ rows: 24 });
    await h.press('l');
    await h.settle(200);
    let f = h.frame();
    assert.match(f, /logs db\s+following/);
    assert.match(f, /db log line \d+/);
    const count = Number(/(\d+) lines/.exec(f)?.[1]);
    await h.settle(250);
    assert.ok(Number(/(\d+) lines/.exec(h.frame())?.[1]) > count, 'new lines arrive while following');
    await h.press('/', 'E', 'R', 'R', 'O', 'R', KEY.enter);
    f = h.frame();
    assert.match(f, /"ERROR": \d+ matches/);
    assert.match(f, /paused/);
    assert.match(h.raw(), /\u001B\[30m\u001B\[43mERROR|\u001B\[30;43mERROR/);
    await h.press('n');
    assert.match(h.frame(), /ERROR something/);
    await h.press('f');
    assert.match(h.frame(), /following/);
    await h.press(KEY.esc, KEY.esc);
    assert.match(h.frame(), /STATE/);
  });
});

describe('filter and sort', () => {
  test('/ filters rows as you type; Esc clears', async () => {
    h = await renderDashboard();
    await h.press('/', 'w', 'e');
    let f = h.frame();
    assert.match(f, /web/);
    assert.doesNotMatch(f, /old-job/);
    assert.doesNotMatch(f, /\bdb\b/);
    await h.press(KEY.enter);
    assert.match(h.frame(), /filter "we"/);
    await h.press(KEY.esc);
    f = h.frame();
    assert.match(f, /old-job/);
  });

  test('a filter with no match says so', async () => {
    h = await renderDashboard();
    await h.press('/', 'z', 'z', 'z', KEY.enter);
    assert.match(h.frame(), /no containers match "zzz"/);
  });

  test('o cycles the sort column, O reverses it', async () => {
    h = await renderDashboard();
    const order = () => firstColumn(h!.frame());
    assert.deepEqual(order().slice(0, 4), ['db', 'old-job', 'web', 'worker']);
    await h.press('O');
    assert.deepEqual(order().slice(0, 4), ['worker', 'web', 'old-job', 'db']);
    await h.press('o'); // state: running first
    assert.match(h.frame(), /STATE▲/);
    assert.deepEqual(order().slice(2, 4), ['worker', 'old-job']);
  });
});

describe('help', () => {
  test('? lists every binding from the table', async () => {
    const { BINDINGS } = await import('../../src/ui/bindings.js');
    h = await renderDashboard({ rows: 200, columns: 120 });
    await h.press('?');
    const f = h.frame();
    // tab 2 … tab 8 are told on tab 1's line ("tab 1 … 8 (digits)")
    for (const b of BINDINGS) if (!/^tab[2-8]$/.test(b.command)) assert.ok(f.includes(b.help), `help lists "${b.help}"`);
    await h.press(KEY.esc);
    assert.match(h.frame(), /STATE/);
  });
});

describe('actions', () => {
  test('stop asks first; n cancels without calling the engine', async () => {
    h = await renderDashboard();
    await h.press('s');
    assert.match(h.frame(), /Stop container db\?/);
    assert.equal(h.engine.callsTo('containers.stop').length, 0);
    await h.press('n');
    assert.doesNotMatch(h.frame(), /Stop container/);
    assert.equal(h.engine.callsTo('containers.stop').length, 0);
    assert.equal(stateOf(h.engine, 'db'), 'running');
  });

  test('stop runs after y, the status line reports it and the row updates at once', async () => {
    h = await renderDashboard();
    await h.press('s');
    assert.equal(h.engine.callsTo('containers.stop').length, 0);
    await h.press('y');
    assert.equal(h.engine.callsTo('containers.stop').length, 1);
    assert.equal(stateOf(h.engine, 'db'), 'exited');
    const f = h.frame();
    assert.match(f, /Stopped db/);
    assert.match(rowOf(f, 'db '), /exited \(143\)/);
  });

  test('every destructive key asks; Esc cancels', async () => {
    h = await renderDashboard();
    for (const [key, msg] of [
      ['r', /Restart container db\?/],
      ['K', /Kill container db/],
      ['d', /Remove container db\? It is running/],
      ['P', /Remove all stopped containers\?/],
    ] as const) {
      await h.press(key);
      assert.match(h.frame(), msg);
      await h.press(KEY.esc);
    }
    assert.equal(h.engine.calls.length, 0);
  });

  test('remove of a running container force-removes after confirming', async () => {
    h = await renderDashboard();
    await h.press('d', 'y');
    assert.deepEqual(h.engine.callsTo('containers.remove')[0]?.args, [h.engine.callsTo('containers.remove')[0]?.args[0], { force: true }]);
    assert.equal(stateOf(h.engine, 'db'), undefined);
    assert.match(h.frame(), /Removed db/);
    assert.equal(rowOf(h.frame(), '^db '), '');
  });

  test('start, pause and unpause need no confirmation', async () => {
    h = await renderDashboard();
    await h.press('j', 'S'); // old-job
    assert.equal(stateOf(h.engine, 'old-job'), 'running');
    assert.match(h.frame(), /Started old-job/);
    await h.press('G', 'p'); // worker is paused
    assert.equal(stateOf(h.engine, 'worker'), 'running');
    assert.match(h.frame(), /Unpaused worker/);
    await h.press('p');
    assert.equal(stateOf(h.engine, 'worker'), 'paused');
  });

  test('an engine error shows in the status line', async () => {
    h = await renderDashboard();
    h.engine.failNext('containers.stop', new Error('runc: permission denied'));
    await h.press('s', 'y');
    assert.match(h.frame(), /Error: runc: permission denied/);
    assert.equal(stateOf(h.engine, 'db'), 'running');
  });

  test('commit asks for repository:tag and commits with the typed name', async () => {
    h = await renderDashboard();
    await h.press('c');
    assert.match(h.frame(), /Commit db to a new image/);
    await h.press('m', 'y', 'a', 'p', 'p', ':', 'v', '1');
    assert.match(h.frame(), /repository:tag: myapp:v1/);
    assert.equal(h.engine.callsTo('containers.commit').length, 0);
    await h.press(KEY.enter);
    const call = h.engine.callsTo('containers.commit')[0];
    assert.deepEqual(call?.args[1], { reference: 'myapp:v1' });
    assert.match(h.frame(), /Committed db as myapp:v1/);
    await h.press('2');
    assert.match(h.frame(), /myapp/);
  });

  test('commit refuses an invalid name and keeps the dialog open', async () => {
    h = await renderDashboard();
    await h.press('c', 'B', 'A', 'D', '!', KEY.enter);
    assert.match(h.frame(), /not a valid repository:tag/);
    assert.equal(h.engine.callsTo('containers.commit').length, 0);
    await h.press(KEY.esc);
    assert.doesNotMatch(h.frame(), /Commit db/);
  });

  test('connect picks from the networks the container is not on; disconnect from those it is', async () => {
    h = await renderDashboard();
    await h.press('j', 'j', 'n'); // web: on bridge only
    let f = h.frame();
    assert.match(f, /Connect web to/);
    assert.match(f, /backend/);
    assert.doesNotMatch(f, /› host|> host/); // host is a mode, not a network to join
    await h.press(KEY.enter);
    assert.deepEqual(h.engine.callsTo('networks.connect')[0]?.args.slice(0, 1), ['backend']);
    assert.match(h.frame(), /Connected web to backend/);
    await h.press('N');
    f = h.frame();
    assert.match(f, /Disconnect web from/);
    await h.press('j', KEY.enter); // second option: backend
    assert.deepEqual(h.engine.callsTo('networks.disconnect')[0]?.args.slice(0, 1), ['backend']);
    assert.match(h.frame(), /Disconnected web from backend/);
    const web = [...h.engine.containersById.values()].find((c) => c.name === 'web')!;
    assert.deepEqual([...web.networks.keys()], ['bridge']);
  });

  test('shell hands the terminal to exec /bin/sh with a tty and comes back', async () => {
    h = await renderDashboard();
    await h.press('e');
    await h.settle(60);
    const call = h.engine.callsTo('containers.exec')[0];
    assert.deepEqual(call?.args[1], { cmd: ['/bin/sh'], tty: true, interactive: true });
    assert.ok(h.engine.lastIo?.stdin, 'stdin handed over');
    assert.ok(h.engine.lastIo?.stdout, 'stdout handed over');
    assert.match(h.frame(), /shell in db exited with code 0/);
    // Keys reach the dashboard again.
    await h.press('j');
    await h.press('s');
    assert.match(h.frame(), /Stop container old-job\?/);
  });

  test('stats pause while a shell has the terminal', async () => {
    h = await renderDashboard();
    h.engine.execDelayMs = 300;
    await h.press('e');
    const before = h.engine.samplePasses;
    await h.tick(3);
    assert.equal(h.engine.samplePasses, before, 'no sampling while handed over');
    await h.settle(350);
    await h.tick(1);
    assert.ok(h.engine.samplePasses > before);
  });

  test('keys arriving in one chunk act one by one, in order', async () => {
    h = await renderDashboard();
    await h.press('jjs'); // as tmux send-keys or a fast typist over SSH delivers them
    await h.settle(40);
    assert.match(h.frame(), /Stop container web\?/);
  });

  test('shell on a stopped container says so instead', async () => {
    h = await renderDashboard();
    await h.press('j', 'e');
    assert.match(h.frame(), /old-job is not running/);
    assert.equal(h.engine.callsTo('containers.exec').length, 0);
  });

  test('attach hands over and reports detaching', async () => {
    h = await renderDashboard();
    await h.press('a');
    await h.settle(60);
    assert.equal(h.engine.callsTo('containers.attach').length, 1);
    assert.match(h.frame(), /Detached from db/);
  });

  test('images: remove and prune ask, then act', async () => {
    h = await renderDashboard();
    await h.press('2', 'P');
    assert.match(h.frame(), /Remove dangling images\?/);
    await h.press('y');
    assert.equal(h.engine.callsTo('images.prune').length, 1);
    assert.match(h.frame(), /Removed 1 images/);
    assert.doesNotMatch(h.frame(), /<none>/);
    await h.press('d');
    assert.match(h.frame(), /Remove image busybox:latest\?/);
    await h.press('y');
    assert.match(h.frame(), /Error: image is being used/);
  });

  test('networks: create with a form, then remove', async () => {
    h = await renderDashboard();
    await h.press('3', 'c');
    assert.match(h.frame(), /Create a network/);
    await h.press('f', 'r', 'o', 'n', 't', KEY.tab, ...'10.77.0.0/24'.split(''), KEY.enter);
    assert.deepEqual(h.engine.callsTo('networks.create')[0]?.args[0], { name: 'front', driver: 'bridge', ipam: [{ subnet: '10.77.0.0/24' }] });
    assert.match(h.frame(), /Created network front \(10\.77\.0\.0\/24\)/);
    assert.match(rowOf(h.frame(), 'front'), /10\.77\.0\.0\/24/);
    await h.press('/', 'f', 'r', 'o', KEY.enter, 'd', 'y');
    assert.deepEqual(h.engine.callsTo('networks.remove')[0]?.args, ['front']);
    assert.match(h.frame(), /Removed network front/);
  });

  test('network form validates the subnet', async () => {
    h = await renderDashboard();
    await h.press('3', 'c', 'x', KEY.tab, '1', '0', KEY.enter);
    assert.match(h.frame(), /not a subnet: 10/);
    assert.equal(h.engine.callsTo('networks.create').length, 0);
  });

  test('volumes: create, remove in-use fails with the reason, prune', async () => {
    h = await renderDashboard();
    await h.press('4', 'c', 'n', 'e', 'w', 'v', KEY.tab, 'a', '=', 'b', KEY.enter);
    assert.deepEqual(h.engine.callsTo('volumes.create')[0]?.args[0], { name: 'newv', labels: { a: 'b' } });
    assert.match(h.frame(), /Created volume newv/);
    await h.press('/', 'd', 'a', 't', 'a', KEY.enter, 'd', 'y');
    assert.match(h.frame(), /Error: volume data is in use/);
    await h.press(KEY.esc, 'P', 'y');
    assert.match(h.frame(), /Removed 2 volumes/);
  });

  test('detail views for images, networks and volumes', async () => {
    h = await renderDashboard({ rows: 60 });
    await h.press('2', 'j', KEY.enter);
    await h.settle(40);
    assert.match(h.frame(), /History/);
    await h.press(KEY.esc, '3', 'j', KEY.enter);
    assert.match(h.frame(), /IPAM/);
    assert.match(h.frame(), /subnet 10\.88\.0\.0\/16/);
    await h.press(KEY.esc, '4', 'j', KEY.enter);
    assert.match(h.frame(), /Used by/);
    await h.press(KEY.esc);
    assert.match(h.frame(), /MOUNTPOINT/);
  });

  test('a detail view whose container is removed elsewhere falls back to the list', async () => {
    h = await renderDashboard();
    await h.press('j', 'j', KEY.enter);
    assert.match(h.frame(), /Environment/);
    await h.engine.containers.remove('web', { force: true });
    await h.settle(100);
    assert.match(h.frame(), /STATE/);
    assert.equal(rowOf(h.frame(), '^web '), '');
  });

  test('lists follow engine events from elsewhere (another CLI)', async () => {
    h = await renderDashboard();
    await h.engine.containers.stop('web');
    await h.settle(80);
    assert.match(rowOf(h.frame(), 'web'), /exited/);
  });
});

describe('terminal', () => {
  const colourSgr = /\u001B\[(?:[0-9;]*;)?(?:3[0-9]|4[0-9]|9[0-7]|10[0-7])(?:;[0-9;]*)?m/;

  test('NO_COLOR: no colour escapes, selection still visible', async () => {
    h = await renderDashboard({ caps: { color: false, unicode: true } });
    await h.tick(2);
    await h.press('s');
    assert.doesNotMatch(h.raw(), colourSgr);
    assert.match(h.raw(), /\u001B\[7m/);
  });

  test('colour mode does use colour', async () => {
    h = await renderDashboard();
    await h.tick(1);
    assert.match(h.raw(), colourSgr);
  });

  test('non-UTF-8: ASCII borders and sparkline', async () => {
    h = await renderDashboard({ caps: { color: false, unicode: false }, columns: 120 });
    await h.tick(8);
    const f = h.frame();
    assert.doesNotMatch(f, /[^\x00-\x7F]/);
    assert.match(rowOf(f, 'web'), /[_.\-:=+*#]{2,}/);
    await h.press('s');
    assert.match(h.frame(), /\+-{10,}\+/, 'dialogs get ASCII borders');
    assert.doesNotMatch(h.frame(), /[^\x00-\x7F]/);
  });

  test('80x24 fits: no line wider than 80, no more than 24 lines, key columns kept', async () => {
    h = await renderDashboard({ columns: 80, rows: 24 });
    await h.tick(2);
    for (const view of [[], ['2'], ['3'], ['4'], ['1', '?'], [KEY.esc, KEY.enter], [KEY.esc, 'l']]) {
      await h.press(...view);
      const lines = h.frame().split('\n');
      assert.ok(lines.length <= 24, `${lines.length} lines`);
      for (const l of lines) assert.ok(Array.from(l).length <= 80, `too wide (${Array.from(l).length}): ${l}`);
    }
    await h.press(KEY.esc, KEY.esc, '1');
    const f = h.frame();
    for (const col of ['NAME', 'STATE', 'CPU%', 'CPU 1m', 'MEM']) assert.ok(f.includes(col), col);
  });

  test('a tiny terminal gets a message instead of a broken layout', async () => {
    h = await renderDashboard({ columns: 30, rows: 8 });
    assert.match(h.frame(), /needs at least 40x10/);
  });

  test('q quits', async () => {
    h = await renderDashboard();
    await h.press('q');
    // After exit Ink renders nothing more; a further key changes nothing.
    const before = h.frame();
    await h.press('2');
    assert.equal(h.frame(), before);
  });
});
