/**
 * The dashboard end to end (issue 5): the real `bin/berth` in tmux, on the real embedded engine,
 * with real busybox containers. Keys go in through `tmux send-keys`, the screen comes back through
 * `capture-pane`, and every effect is confirmed through the CLI (the engine), not the screen.
 *
 * Two containers: `e2e-busy` spins a shell loop (CPU well above zero, capped at half a core to
 * spare loaded CI hosts) and `e2e-idle` sleeps. The actions work on `e2e-idle`, chosen with the
 * filter so no test depends on row order. Busybox sh/sleep as PID 1 ignore SIGTERM, hence the
 * `trap` and `--stop-timeout 1`.
 *
 * Then how berth ends (issue 8): q, Ctrl-C, SIGTERM and SIGHUP (an SSH link dropping) each give
 * the terminal back — main screen, cursor, cooked mode — checked from a shell in the same pane.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { BERTH, Sandbox } from '../helpers/berth.js';
import { busyboxTarball } from '../fixtures/busybox.js';
import { Tmux, cpuOf, filterTo, liveCpuOf, paneFormat, pick, stopSelected } from './tmux.js';

const BUSY = 'e2e-busy';
const IDLE = 'e2e-idle';
const NET = 'e2enet';
const IMAGE = 'e2e-commit:v1';

let sb: Sandbox;
let tm: Tmux;
let launchedAt = 0;

function networksOf(name: string): string[] {
  const json = sb.ok(['inspect', '-f', '{{json .NetworkSettings.Networks}}', name]).trim();
  return Object.keys(JSON.parse(json) as Record<string, unknown>).sort();
}

/** The dashboard's list is up and answering keys: the tab line and a container row. */
async function listShows(name: string): Promise<string> {
  return tm.waitFor(`the container list with ${name}`, (s) =>
    /1 Containers \d+/.test(s) && s.split('\n').some((l) => l.startsWith(name + ' ')) ? s : undefined,
  );
}

/** Narrows the containers pane to one container with the filter (`/NAME` Enter). */
async function select(name: string): Promise<void> {
  await filterTo(
    tm,
    name,
    (s) => s.includes(`filter "${name}"`) && s.split('\n').some((l) => l.startsWith(name + ' ')) && !s.includes(name === BUSY ? IDLE + ' ' : BUSY + ' '),
  );
}

before(async () => {
  sb = new Sandbox('berth-dash-e2e');
  sb.ok(['import', busyboxTarball(), 'busybox']);
  sb.ok(['network', 'create', '--subnet', '10.213.0.0/24', NET]);
  sb.ok(['run', '-d', '--name', BUSY, '--cpus', '0.5', '--stop-timeout', '1', 'busybox', 'sh', '-c', "trap 'exit 0' TERM; while :; do :; done"]);
  sb.ok(['run', '-d', '--name', IDLE, '--stop-timeout', '1', 'busybox', 'sh', '-c', "trap 'exit 0' TERM; sleep 3600 & wait"]);
  tm = new Tmux({ ...sb.env, TERM: 'xterm-256color', LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8', CI: 'true' });
  // env(1) inside the pane too: a tmux server passes its own environment on only in part.
  const env = ['BERTH_ROOT', 'BERTH_RUNROOT', 'BERTH_BRIDGE_NAME', 'NO_COLOR', 'LANG', 'LC_ALL', 'CI'].map((k) => `${k}=${tm.env[k] ?? ''}`);
  launchedAt = Date.now();
  tm.start(['env', ...env, BERTH], 120, 32);
});

after(() => {
  try {
    tm?.kill();
  } finally {
    sb?.dispose();
  }
});

test('the list shows both containers with a live CPU figure', async (t) => {
  await listShows(IDLE);
  // Not asserted (a loaded CI host would make it flaky); issue 5's budget is 600 ms.
  t.diagnostic(`container list on screen ${Date.now() - launchedAt} ms after launch (tmux polling included)`);
  // Live: the busy container's CPU figure is above zero and moves between passes.
  const seen = await liveCpuOf(tm, BUSY);
  assert.ok([...seen].every((v) => v > 0));
  assert.notEqual(cpuOf(tm.last, IDLE), undefined, `no CPU figure for ${IDLE}:\n${tm.last}`);
  assert.match(tm.last, /CPU%: 100% = 1 core/);
});

test('commit (c) creates the image under the typed name', async () => {
  await select(IDLE);
  tm.type('c');
  await tm.waitForText(`Commit ${IDLE} to a new image`);
  tm.type(IMAGE);
  tm.keys('Enter');
  await tm.waitForText(`Committed ${IDLE} as ${IMAGE}`, 60_000);
  const images = sb.ok(['images']);
  assert.match(images, /^e2e-commit\s+v1\s/m, images);
});

test('connect (n) and disconnect (N) change the container networks', async () => {
  assert.deepEqual(networksOf(IDLE), ['bridge']);
  tm.type('n');
  await tm.waitForText(`Connect ${IDLE} to`);
  await pick(tm, NET);
  await tm.waitForText(`Connected ${IDLE} to ${NET}`, 30_000);
  assert.deepEqual(networksOf(IDLE), ['bridge', NET]);

  tm.type('N');
  await tm.waitForText(`Disconnect ${IDLE} from`);
  await pick(tm, NET);
  await tm.waitForText(`Disconnected ${IDLE} from ${NET}`, 30_000);
  assert.deepEqual(networksOf(IDLE), ['bridge']);
});

test('shell (e) runs a command inside and comes back to a working dashboard', async () => {
  tm.type('e');
  // busybox sh as root prompts "/ # " (capture-pane drops the trailing blank).
  await tm.waitForText(/^\/ #/m, 30_000);
  tm.type('touch /tmp/from-shell; exit');
  tm.keys('Enter');
  await tm.waitForText(`shell in ${IDLE} exited with code 0`, 30_000);
  await listShows(IDLE);
  assert.equal(sb.ok(['exec', IDLE, 'ls', '/tmp/from-shell']).trim(), '/tmp/from-shell');
  // Keys still reach the dashboard: help opens and closes.
  tm.type('?');
  await tm.waitForText('Containers pane');
  tm.keys('Escape');
  await listShows(IDLE);
});

test('stop (s, confirmed with y) stops the container for real', async () => {
  await stopSelected(tm, IDLE);
  assert.equal(sb.ok(['inspect', '-f', '{{.State.Status}}', IDLE]).trim(), 'exited');
  await tm.waitFor(`${IDLE} shown as exited`, (s) => s.split('\n').some((l) => l.startsWith(IDLE + ' ') && /exited \(\d+\)/.test(l)) || undefined);
  assert.equal(sb.ok(['inspect', '-f', '{{.State.Status}}', BUSY]).trim(), 'running');
});

test('q quits and restores the terminal', async () => {
  tm.type('q');
  await tm.waitFor('berth to exit', () => tm.dead() || undefined);
  // the dead pane keeps the screen berth left (tmux hides a dead pane's cursor, so not that)
  assert.equal(paneFormat(tm, '#{alternate_on}'), '0', 'still on the alternate screen');
});

/** The terminal modes `stty -a` lists (its flags, without the settings with values). */
const sttyFlags = (text: string) => new Set(text.split(/[\s;]+/).filter((w) => /^-?[a-z0-9]+$/.test(w)));

/**
 * Opens the dashboard from a shell in a new tmux, ends it with `end(pid)`, and checks that berth
 * exited with `status` and gave the terminal back: main screen, cursor shown, and (`stty -a` in
 * the same pane) line editing and echo on. The shell is dash, which leaves the terminal's modes
 * as it finds them (bash's readline would mend raw mode itself and hide what berth left).
 */
async function endsAndRestores(end: (pid: number, shell: Tmux) => void, status: number): Promise<void> {
  const shell = new Tmux(tm.env);
  try {
    shell.start(['env', 'PS1=shell> ', 'sh'], 120, 40);
    await shell.waitForText(/^shell>/m); // capture-pane drops the trailing blank
    const pidFile = sb.path(`dashboard-${shell.socket}.pid`);
    const env = ['BERTH_ROOT', 'BERTH_RUNROOT', 'BERTH_BRIDGE_NAME', 'NO_COLOR', 'LANG', 'LC_ALL', 'CI'].map((k) => `${k}=${tm.env[k] ?? ''}`);
    // the inner sh writes its pid and execs berth: the pid is berth's, and a PID this test started
    shell.type(`sh -c 'echo $$ > ${pidFile}; exec env ${env.join(' ')} ${BERTH}'; echo "berth exited with $?"`);
    shell.keys('Enter');
    await shell.waitFor(
      `the container list with ${IDLE}`,
      (s) => (/1 Containers \d+/.test(s) && s.split('\n').some((l) => l.startsWith(IDLE + ' ')) ? s : undefined),
      30_000,
    );
    // while it runs: alternate screen, cursor hidden, raw mode (no line editing, no echo)
    assert.equal(paneFormat(shell, '#{alternate_on}'), '1');
    assert.equal(paneFormat(shell, '#{cursor_flag}'), '0');
    const during = sttyFlags(spawnSync('stty', ['-a', '-F', paneFormat(shell, '#{pane_tty}')], { encoding: 'utf8' }).stdout);
    assert.ok(during.has('-icanon') && during.has('-echo'), `the dashboard's terminal is not in raw mode: ${[...during].join(' ')}`);

    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    assert.ok(pid > 0 && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('main.js'), 'the pid file does not name berth');
    end(pid, shell);
    await shell.waitForText(new RegExp(`^berth exited with ${status}$`, 'm'), 20_000);
    assert.equal(paneFormat(shell, '#{alternate_on}'), '0', 'still on the alternate screen');
    assert.equal(paneFormat(shell, '#{cursor_flag}'), '1', 'the cursor is still hidden');
    // in the same pane: line editing and echo are back
    shell.type('stty -a; echo stty-done');
    shell.keys('Enter');
    const out = await shell.waitForText(/^stty-done$/m);
    const after = sttyFlags(out.slice(out.lastIndexOf('stty -a')));
    assert.ok(after.has('icanon') && after.has('echo') && after.has('isig'), `raw mode left on: ${[...after].join(' ')}`);
    assert.ok(!after.has('-icanon') && !after.has('-echo'), `raw mode left on: ${[...after].join(' ')}`);
    // the typed command came back through the terminal's echo: the shell is usable
    assert.match(out, /shell> stty -a; echo stty-done/);
  } finally {
    shell.kill();
  }
}

test('SIGHUP (a dropped SSH link) ends berth with 129 and gives the terminal back', async () => {
  await endsAndRestores((pid) => process.kill(pid, 'SIGHUP'), 129);
});

test('SIGTERM ends berth with 143 and gives the terminal back', async () => {
  await endsAndRestores((pid) => process.kill(pid, 'SIGTERM'), 143);
});

test('Ctrl-C and q quit (status 0) and give the terminal back', async () => {
  await endsAndRestores((_pid, shell) => shell.keys('C-c'), 0);
  await endsAndRestores((_pid, shell) => shell.type('q'), 0);
});
