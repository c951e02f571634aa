/**
 * The dashboard's logs, files and image views end to end (issue 15, part B): the real
 * `bin/berth` in tmux on the real embedded engine with the real Debian 12 image. Every effect is
 * checked through the CLI or the file system, not only the screen: the saved log file equals
 * `berth logs`, the merged view's order equals the engine's timestamps, files copied out equal
 * the container's and a file copied in is read back with `berth exec`, the history shown is
 * `berth history`'s.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { BERTH, Sandbox } from '../helpers/berth.js';
import { debianTarball } from '../fixtures/debian.js';
import { requireTool } from '../helpers/tools.js';
import { Tmux, filterTo } from './tmux.js';

const WEB = 'shop-web';
const DB = 'shop-db';
const PROJECT = 'e2eshop';

let sb: Sandbox;
let tm: Tmux;

/** Lines a container logged so far, with their engine timestamps. */
function timed(name: string): Array<{ time: string; text: string }> {
  return sb
    .ok(['logs', '-t', name])
    .split('\n')
    .filter(Boolean)
    .map((l) => ({ time: l.slice(0, l.indexOf(' ')), text: l.slice(l.indexOf(' ') + 1) }));
}

/** The time-sortable key of an RFC 3339 nano timestamp (trailing zeros are dropped by docker's format). */
const key = (t: string) => t.replace(/(\d\d:\d\d:\d\d)(?:\.(\d+))?Z$/, (_m, hms: string, frac?: string) => `${hms}.${(frac ?? '').padEnd(9, '0')}`);

async function toList(): Promise<void> {
  for (let i = 0; i < 4; i++) {
    tm.keys('Escape');
    await new Promise((r) => setTimeout(r, 150));
  }
  await tm.waitForText(/1 Containers \d+/);
}

async function selectContainer(name: string): Promise<void> {
  await filterTo(tm, name, (s) => s.includes(`filter "${name}"`) && s.split('\n').some((l) => l.replace(/^[›> ]\s*/, '').startsWith(`${name} `)));
}

/** Moves the file browser's selection from the first entry to `name` (entries as the browser sorts them). */
function movesTo(dir: string, name: string): string {
  // -L: a link to a directory sorts with the directories, as the engine's listing has it
  const raw = sb.ok(['exec', WEB, 'ls', '-1ApL', '--', dir]).split('\n').filter(Boolean);
  const sorted = raw
    .map((l) => ({ name: l.replace(/\/$/, ''), dir: l.endsWith('/') }))
    .sort((a, b) => (a.dir === b.dir ? (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) : a.dir ? -1 : 1));
  const i = sorted.findIndex((e) => e.name === name);
  assert.ok(i >= 0, `${name} not in ${dir}`);
  return 'j'.repeat(i);
}

before(async () => {
  requireTool(['/usr/bin/tmux', '/bin/tmux'], 'tmux');
  sb = new Sandbox('berth-dashb-e2e');
  sb.ok(['import', debianTarball(), 'debian:12'], { timeout: 120_000 });
  // Two services of one compose project, logging in turn half a second apart, then idling.
  const loop = (who: string, delay: string) => `trap 'exit 0' TERM; sleep ${delay}; for i in 1 2 3 4 5; do echo ${who}-$i; sleep 1; done; sleep 3600 & wait`;
  for (const [name, svc, delay] of [
    [WEB, 'web', '0'],
    [DB, 'db', '0.5'],
  ] as const) {
    sb.ok([
      'run',
      '-d',
      '--name',
      name,
      '--stop-timeout',
      '1',
      '--label',
      `com.docker.compose.project=${PROJECT}`,
      '--label',
      `com.docker.compose.service=${svc}`,
      'debian:12',
      'bash',
      '-c',
      loop(svc, delay),
    ]);
  }
  // Wait until both have logged everything (the merged order is then final).
  const end = Date.now() + 60_000;
  while (timed(WEB).length < 5 || timed(DB).length < 5) {
    if (Date.now() > end) throw new Error('the containers did not log');
    await new Promise((r) => setTimeout(r, 300));
  }
  tm = new Tmux({ ...sb.env, TERM: 'xterm-256color', LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8', CI: 'true', HOME: sb.dir });
  const env = ['BERTH_ROOT', 'BERTH_RUNROOT', 'BERTH_BRIDGE_NAME', 'NO_COLOR', 'LANG', 'LC_ALL', 'CI', 'HOME'].map((k) => `${k}=${tm.env[k] ?? ''}`);
  tm.start(['env', ...env, BERTH], 100, 32);
  await tm.waitForText(/1 Containers \d+/, 30_000);
});

after(() => {
  try {
    tm?.kill();
  } finally {
    sb?.dispose();
  }
});

test("L shows the compose project merged in the engine's time order, a readable prefix per container", async () => {
  await selectContainer(WEB);
  tm.type('L');
  const screen = await tm.waitForText(/logs project e2eshop .* 10 lines/);
  const shown = screen
    .split('\n')
    .filter((l) => /^shop-(web|db) +\| (web|db)-\d$/.test(l.trimEnd()))
    .map((l) => l.trimEnd());
  const want = [...timed(WEB).map((l) => ({ ...l, name: WEB })), ...timed(DB).map((l) => ({ ...l, name: DB }))]
    .sort((a, b) => (key(a.time) < key(b.time) ? -1 : key(a.time) > key(b.time) ? 1 : 0))
    .map((l) => `${l.name.padEnd(8)} | ${l.text}`);
  assert.deepEqual(shown, want);
  await toList();
});

test('s in the logs view saves a file equal to berth logs (and with t, to berth logs -t)', async () => {
  await selectContainer(WEB);
  tm.type('l');
  await tm.waitForText(/logs shop-web .* 5 lines/);
  const path = sb.path('web.log');
  tm.type('s');
  await tm.waitForText('save to (default ~/berth-logs-shop-web-');
  tm.type(path);
  tm.keys('Enter');
  await tm.waitForText(`saved 5 lines to ${path}`, 30_000);
  assert.equal(readFileSync(path, 'utf8'), sb.ok(['logs', WEB]));
  // With timestamps on, the file is `berth logs -t`; a bare name goes to the home directory.
  tm.type('t');
  await tm.waitForText(/timestamps/);
  tm.type('s');
  await tm.waitForText('save to');
  tm.type('web-t.log');
  tm.keys('Enter');
  await tm.waitForText(`saved 5 lines to ${sb.path('web-t.log')}`, 30_000);
  assert.equal(readFileSync(sb.path('web-t.log'), 'utf8'), sb.ok(['logs', '-t', WEB]));
  await toList();
});

test('F copies a file out and a file in, through the same archive API as berth cp', async () => {
  await selectContainer(WEB);
  tm.type('F');
  await tm.waitForText(/shop-web:\/ +\d+ entries/, 30_000);
  tm.type(movesTo('/', 'etc'));
  await tm.waitForText(/^› drwx\S+ .* etc\/ *$/m);
  tm.keys('Enter');
  await tm.waitForText(/shop-web:\/etc +\d+ entries/, 30_000);
  tm.type(movesTo('/etc', 'debian_version'));
  await tm.waitForText(/^› -rw\S+ .* debian_version *$/m);
  // View it first: the text on screen is the file's.
  tm.keys('Enter');
  const version = sb.ok(['exec', WEB, 'cat', '/etc/debian_version']);
  await tm.waitForText(new RegExp(`^${version.trim().replace(/\./g, '\\.')}`, 'm'), 30_000);
  tm.keys('Escape');
  await tm.waitForText(/shop-web:\/etc +\d+ entries/);
  const out = sb.path('dv.txt');
  tm.type('o');
  await tm.waitForText('copy /etc/debian_version to');
  tm.type(out);
  tm.keys('Enter');
  await tm.waitForText(`copied /etc/debian_version to ${out}`, 30_000);
  assert.equal(readFileSync(out, 'utf8'), version);
  // In: a file of this machine lands in the directory on screen.
  const content = `from the host ${randomBytes(6).toString('hex')}\n`;
  writeFileSync(sb.path('incoming.txt'), content);
  tm.type('i');
  await tm.waitForText('copy into /etc from');
  tm.type(sb.path('incoming.txt'));
  tm.keys('Enter');
  await tm.waitForText('to /etc/incoming.txt', 30_000);
  assert.equal(sb.ok(['exec', WEB, 'cat', '/etc/incoming.txt']), content);
  assert.ok(existsSync(out));
  await toList();
});

test('h on the images pane shows the history berth history prints', async () => {
  tm.type('2');
  await tm.waitForText(/REPOSITORY/);
  await filterTo(tm, 'debian', (s) => s.includes('filter "debian"') && /^[›> ]?\s*debian +12 /m.test(s));
  tm.type('h');
  const screen = await tm.waitForText(/IMAGE +CREATED +SIZE +COMMENT +CREATED BY/, 30_000);
  const ids = sb.ok(['history', '-q', 'debian:12']).split('\n').filter(Boolean);
  const comments = sb.ok(['history', '--format', '{{.Comment}}', 'debian:12']).split('\n').filter(Boolean);
  assert.ok(ids.length > 0);
  for (const id of ids) assert.match(screen, new RegExp(`^${id.replace(/[<>]/g, '.')} `, 'm'), `layer ${id} on screen`);
  for (const c of comments) assert.ok(screen.includes(c), `comment ${c} on screen:\n${screen}`);
  assert.match(screen, /2 history/);
  await toList();
});

test('F on a stopped container of an image without ls: the engine lists it, and o copies out of it', async () => {
  // scratch: one static binary, a text file, and a link that tries to leave the root
  const busybox = requireTool(['/bin/busybox', '/usr/bin/busybox'], 'busybox-static');
  const root = sb.path('scratch-root');
  mkdirSync(join(root, 'data'), { recursive: true });
  copyFileSync(busybox, join(root, 'busybox'));
  chmodSync(join(root, 'busybox'), 0o755);
  writeFileSync(join(root, 'data', 'note.txt'), 'no ls here\n');
  symlinkSync('/', join(root, 'data', 'up'));
  execFileSync('tar', ['-C', root, '-cf', sb.path('scratch.tar'), '.']);
  sb.ok(['import', sb.path('scratch.tar'), 'scratchy:1']);
  sb.ok(['create', '--name', 'bare-job', 'scratchy:1', '/busybox', 'true']);
  await toList();
  tm.type('1');
  await tm.waitForText(/Containers 3/, 30_000);
  await selectContainer('bare-job');
  tm.type('F');
  await tm.waitForText(/bare-job:\/ +\d+ entries/, 30_000);
  assert.match(tm.screen(), /-rwxr-xr-x +\S+ +\d{4}-\d\d-\d\d \d\d:\d\d +busybox *$/m);
  tm.keys('Enter'); // data (directories first)
  await tm.waitForText(/bare-job:\/data +2 entries/, 30_000);
  assert.match(tm.screen(), /up -> \/ *$/m);
  tm.keys('Enter'); // up: the container's own root, not the host's
  await tm.waitForText(/bare-job:\/data\/up +\d+ entries/, 30_000);
  assert.match(tm.screen(), / busybox *$/m);
  tm.keys('Left');
  await tm.waitForText(/bare-job:\/data +2 entries/, 30_000);
  tm.type('jo');
  await tm.waitForText('copy /data/note.txt to');
  const out = sb.path('note-out.txt');
  tm.type(out);
  tm.keys('Enter');
  await tm.waitForText(`copied /data/note.txt to ${out}`, 30_000);
  assert.equal(readFileSync(out, 'utf8'), 'no ls here\n');
  await toList();
});
