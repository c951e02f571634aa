/**
 * The dashboard's day-of-ops workflows end to end (issue 15): the real `bin/berth` in tmux on the
 * embedded engine with the real Debian image. Mark two containers and stop both with one
 * question (the status line shows the berth command); edit a memory limit with `u` and read
 * the container's cgroup; a healthcheck going unhealthy shows on its row. Every effect is
 * confirmed through the CLI or the cgroup, not the screen.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Sandbox, BERTH } from '../helpers/berth.js';
import { debianTarball } from '../fixtures/debian.js';
import { Tmux, filterTo } from './tmux.js';

const NONE = ['--network', 'none'];
// Debian's sleep as PID 1 ignores SIGTERM: the trap makes stop quick.
const IDLE = ['sh', '-c', "trap 'exit 0' TERM; sleep 3600 & wait"];
const MiB = 1024 * 1024;

let sb: Sandbox;
let tm: Tmux;

const stateOf = (name: string) => sb.ok(['inspect', '-f', '{{.State.Status}}', name]).trim();
const memLimit = (name: string) =>
  sb.ok(['exec', name, 'sh', '-c', 'cat /sys/fs/cgroup/memory.max 2>/dev/null || cat /sys/fs/cgroup/memory/memory.limit_in_bytes']).trim();
/** A table row whose name cell is `name` (after the mark column, when there is one). */
const rowOf = (screen: string, name: string) => screen.split('\n').find((l) => l.replace(/^[●*]?\s*/, '').startsWith(`${name} `));

before(() => {
  sb = new Sandbox('berth-dash-ops');
  sb.ok(['import', debianTarball(), 'debian:12'], { timeout: 120_000 });
  for (const n of ['mk-a', 'mk-b']) sb.ok(['run', '-d', '--name', n, ...NONE, '--stop-timeout', '1', 'debian:12', ...IDLE]);
  sb.ok(['run', '-d', '--name', 'lim', ...NONE, '-m', '64m', '--stop-timeout', '1', 'debian:12', ...IDLE]);
  // Healthy while /tmp/ok exists (8 s), then unhealthy after 2 failed probes a second apart.
  sb.ok([
    'run',
    '-d',
    '--name',
    'hc',
    ...NONE,
    '--stop-timeout',
    '1',
    '--health-cmd',
    'test -e /tmp/ok',
    '--health-interval',
    '1s',
    '--health-retries',
    '2',
    'debian:12',
    'sh',
    '-c',
    "trap 'exit 0' TERM; touch /tmp/ok; sleep 8; rm /tmp/ok; sleep 3600 & wait",
  ]);
  tm = new Tmux({ ...sb.env, TERM: 'xterm-256color', LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8', CI: 'true' });
  const env = ['BERTH_ROOT', 'BERTH_RUNROOT', 'BERTH_BRIDGE_NAME', 'NO_COLOR', 'LANG', 'LC_ALL', 'CI'].map((k) => `${k}=${tm.env[k] ?? ''}`);
  tm.start(['env', ...env, BERTH], 120, 32);
});

after(() => {
  try {
    tm?.kill();
  } finally {
    sb?.dispose();
  }
});

test('a healthcheck going unhealthy shows on its row', async () => {
  await tm.waitFor('hc listed with a HEALTH column', (s) => (/HEALTH/.test(s) && rowOf(s, 'hc') ? s : undefined), 60_000);
  const row = await tm.waitFor('hc unhealthy', (s) => rowOf(s, 'hc')?.match(/\bunhealthy\b/) && rowOf(s, 'hc'), 120_000);
  assert.match(row!, /unhealthy/);
  assert.equal(sb.ok(['inspect', '-f', '{{.State.Health.Status}}', 'hc']).trim(), 'unhealthy');
});

test('mark two containers and stop both with one question; the status line shows the berth command', async () => {
  await filterTo(tm, 'mk-', (s) => rowOf(s, 'mk-a') && rowOf(s, 'mk-b') && !rowOf(s, 'lim') && !rowOf(s, 'hc'));
  tm.type(' ');
  await tm.waitForText('[1 marked]');
  tm.type(' ');
  await tm.waitForText('[2 marked]');
  tm.type('s');
  await tm.waitForText('Stop 2 containers? mk-a, mk-b');
  tm.type('y');
  await tm.waitForText('Stopped 2 containers: mk-a, mk-b  $ berth stop mk-a mk-b', 90_000);
  assert.equal(stateOf('mk-a'), 'exited');
  assert.equal(stateOf('mk-b'), 'exited');
  assert.equal(stateOf('lim'), 'running');
  // Esc unmarks, a second Esc clears the filter.
  tm.keys('Escape');
  await tm.waitFor('marks cleared', (s) => (!s.includes('marked]') ? s : undefined));
  tm.keys('Escape');
  await tm.waitFor('filter cleared', (s) => (rowOf(s, 'lim') && rowOf(s, 'hc') ? s : undefined));
});

test('u edits the memory limit in place: the cgroup says so', async () => {
  assert.equal(memLimit('lim'), String(64 * MiB));
  await filterTo(tm, 'lim', (s) => rowOf(s, 'lim') && !rowOf(s, 'hc'));
  tm.type('u');
  await tm.waitForText(/memory \(e\.g\. 512m\): 64m/, 30_000);
  tm.keys('BSpace', 'BSpace', 'BSpace');
  tm.type('96m');
  await tm.waitForText(/memory \(e\.g\. 512m\): 96m/);
  tm.keys('Enter');
  await tm.waitForText('Updated lim  $ berth update --memory 96m lim', 60_000);
  assert.equal(memLimit('lim'), String(96 * MiB));
  assert.equal(sb.ok(['inspect', '-f', '{{.HostConfig.Memory}}', 'lim']).trim(), String(96 * MiB));
  assert.equal(stateOf('lim'), 'running');
});

test('v shows the events since launch (the stops with their exit codes, the health change); : switches panes', async () => {
  tm.keys('Escape'); // the filter of the previous case
  await tm.waitFor('the whole list', (s) => (rowOf(s, 'hc') && rowOf(s, 'mk-a') ? s : undefined));
  tm.type('v');
  await tm.waitForText(/container\s+die\s+mk-a\s+exitCode=\d+/, 30_000);
  await tm.waitForText(/container\s+health_status: unhealthy\s+hc/, 30_000);
  tm.type('/');
  await tm.waitForText(/^\/.*enter keeps/m);
  tm.type('mk-b');
  await tm.waitFor('only mk-b events', (s) => (/die\s+mk-b/.test(s) && !/die\s+mk-a/.test(s) && /events matching|\/mk-b/.test(s) ? s : undefined));
  tm.keys('Enter');
  await tm.waitForText(/\d+ of \d+ events matching "mk-b"/);
  // One Esc at a time (two at once read as one Alt-Esc): the filter, then the view.
  tm.keys('Escape');
  await tm.waitFor('the filter cleared', (s) => (/die\s+mk-a/.test(s) && !s.includes('matching') ? s : undefined));
  tm.keys('Escape');
  await tm.waitFor('back to the list', (s) => (rowOf(s, 'hc') ? s : undefined));
  tm.type(':');
  await tm.waitForText(/^:.*tab completes/m);
  tm.type('images');
  tm.keys('Enter');
  await tm.waitForText(/REPOSITORY[\s\S]*debian/);
});
