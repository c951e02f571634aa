/**
 * The new views on the Docker backend, through the same engine API: a private dockerd, the
 * dashboard on it as a -H host. The events view shows a kill with its exit code, and an action's
 * status line gives the `berth -H …` command; a container the restart policy restarts shows its
 * count (the list has none: inspected for containers that started after their creation). `u`
 * changes a running container's memory limit (docker's inspect reads it back); `F` lists /etc by
 * ls in the container, views a file and copies one out and one in (read back by exec); `p` pulls
 * from a local registry with a row per layer; the processes tab shows docker's top; the graphs
 * tab fills with CPU and memory samples. Every wait is on a condition, with generous deadlines.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { KEY, renderDashboard, sleep, type Harness } from './render-dashboard.js';
import { TestDockerd } from '../docker/dockerd.js';
import { LocalRegistry } from '../helpers/registry.js';
import { NEEDS_ROOT } from '../helpers/tools.js';
import { singleHost } from '../../src/screens/hosts.js';

const skip = NEEDS_ROOT;
let d: TestDockerd;
let h: Harness | undefined;
let registry: LocalRegistry | undefined;
const dirs: string[] = [];
/** Containers these tests make (removed after, also when a test failed half-way). */
const NAMES = ['ev1', 'rs1', 'dd-limits', 'dd-files', 'dd-top', 'dd-graphs', 'dd-layer'];
const MiB = 1024 * 1024;

before(async () => {
  if (skip) return;
  d = new TestDockerd();
  await d.start();
  await d.importBusybox();
  const { id } = await d.engine.containers.create({ image: 'busybox:latest', name: 'ev1', cmd: ['sleep', '300'], network: 'none' });
  await d.engine.containers.start(id);
});
after(async () => {
  h?.unmount();
  if (d) {
    for (const name of NAMES) await d.engine.containers.remove(name, { force: true }).catch(() => undefined);
    await d.stop();
  }
  await registry?.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** The dashboard on the private dockerd as host "docker" (a fresh one per test). */
async function openDashboard(columns = 160, rows = 30): Promise<Harness> {
  h?.unmount();
  const hosts = singleHost(d.engine, d.host, { name: 'docker', local: false });
  h = await renderDashboard({ hosts, initialHost: 'docker', columns, rows });
  return h;
}

/** A running busybox container on no network. */
async function running(name: string, cmd: string[], extra: { memory?: number } = {}): Promise<string> {
  const { id } = await d.engine.containers.create({ image: 'busybox:latest', name, cmd, network: 'none', ...extra });
  await d.engine.containers.start(id);
  return id;
}

/** Keeps only `name`'s row (the list's filter), so keys act on it. */
async function only(name: string): Promise<void> {
  await h!.waitFor(`${name} listed`, (f) => new RegExp(`^\\S?\\s*${name} .*running`, 'm').test(f), 60_000);
  await h!.press('/', ...name, KEY.enter);
  await h!.waitFor(`only ${name}`, (f) => f.includes(`filter "${name}"`) && new RegExp(`^\\S?\\s*${name} `, 'm').test(f), 30_000);
}

/** What a command prints in the container (docker exec), failing unless it exits 0. */
async function execOut(container: string, cmd: string[]): Promise<string> {
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(c: Buffer, _e, cb) {
      chunks.push(Buffer.from(c));
      cb();
    },
  });
  const code = await d.engine.containers.exec(container, { cmd }, { stdout: sink, stderr: sink });
  const out = Buffer.concat(chunks).toString('utf8');
  assert.equal(code, 0, `${cmd.join(' ')} in ${container}: ${out}`);
  return out;
}

const tmp = () => {
  const dir = mkdtempSync(join(tmpdir(), 'berth-dash-docker-'));
  dirs.push(dir);
  return dir;
};

test('events and the berth -H command on a Docker host', { skip }, async () => {
  const hosts = singleHost(d.engine, d.host, { name: 'docker', local: false });
  h = await renderDashboard({ hosts, initialHost: 'docker', columns: 160, rows: 30 });
  await h.waitFor('ev1 listed', (f) => /^ev1 .*running/m.test(f), 30_000);
  await h.press('v');
  await d.engine.containers.kill('ev1', 'SIGKILL');
  await h.waitFor('the kill and the die with its exit code', (f) => /container\s+kill\s+ev1/.test(f) && /container\s+die\s+ev1\s+exitCode=137/.test(f), 30_000);
  await h.press(KEY.esc);
  await h.waitFor('ev1 exited', (f) => /^ev1 .*exited \(137\)/m.test(f), 30_000);
  await h.press('S');
  await h.waitFor('the start and its command', (f) => f.includes(`Started ev1  $ berth -H ${d.host} start ev1`), 30_000);
  assert.equal((await d.engine.containers.inspect('ev1')).State.Running, true);
});

test('restart counts on a Docker host: RESTARTS from inspect for a container the policy restarted', { skip }, async () => {
  const { id } = await d.engine.containers.create({
    image: 'busybox:latest',
    name: 'rs1',
    cmd: ['sh', '-c', 'sleep 3; exit 3'],
    network: 'none',
    restartPolicy: { name: 'always', maximumRetryCount: 0 },
  });
  await d.engine.containers.start(id);
  // Two restarts: the second run starts long enough after creation for the list to tell.
  const deadline = Date.now() + 60_000;
  while ((await d.engine.containers.inspect(id)).RestartCount < 2) {
    if (Date.now() > deadline) assert.fail('docker did not restart rs1 twice in 60 s');
    await new Promise((r) => setTimeout(r, 250));
  }
  h?.unmount();
  const hosts = singleHost(d.engine, d.host, { name: 'docker', local: false });
  h = await renderDashboard({ hosts, initialHost: 'docker', columns: 160, rows: 30 });
  // The figure under the RESTARTS header on rs1's row.
  const restartsCell = (f: string): number => {
    const lines = f.split('\n');
    const head = lines.find((l) => l.includes('RESTARTS'));
    const row = lines.find((l) => /^\S?\s*rs1 /.test(l));
    if (!head || !row) return 0;
    const at = head.indexOf('RESTARTS');
    return Number(/\d+/.exec(row.slice(at - 2, at + 'RESTARTS'.length + 1))?.[0] ?? 0);
  };
  await h.waitFor('the RESTARTS column with rs1 counted', (f) => restartsCell(f) >= 2, 60_000);
  const row = (await d.engine.containers.list({ all: true, restartCounts: true })).find((c) => c.names.includes('rs1'))!;
  const inspected = (await d.engine.containers.inspect(id)).RestartCount;
  assert.ok(row.restartCount !== undefined && row.restartCount >= 2 && row.restartCount <= inspected, `list ${row.restartCount}, inspect ${inspected}`);
  // ev1, run once and never restarted, costs no inspect and has no count.
  assert.equal((await d.engine.containers.list({ all: true, restartCounts: true })).find((c) => c.names.includes('ev1'))?.restartCount, undefined);
  // `ps` (no restartCounts asked) costs no inspect and has none.
  assert.equal((await d.engine.containers.list({ all: true })).find((c) => c.names.includes('rs1'))?.restartCount, undefined);
  await d.engine.containers.remove(id, { force: true });
});

test('u on a Docker host: the memory limit of a running container changed in place, read back by docker inspect', { skip }, async () => {
  const id = await running('dd-limits', ['sleep', '600'], { memory: 64 * MiB });
  await openDashboard();
  await only('dd-limits');
  await h!.press('u');
  await h!.waitFor('the limits form, prefilled from inspect', (f) => f.includes('Live limits of dd-limits') && /memory \(e\.g\. 512m\): 64m/.test(f), 30_000);
  await h!.press(KEY.backspace, KEY.backspace, KEY.backspace, ...'48m', KEY.enter);
  await h!.waitFor('the update and its command', (f) => f.includes(`Updated dd-limits  $ berth -H ${d.host} update --memory 48m dd-limits`), 60_000);
  const ins = await d.engine.containers.inspect(id);
  assert.equal(ins.HostConfig['Memory'], 48 * MiB);
  assert.equal(ins.State.Running, true, 'updated in place, still running');
});

test('F on a Docker host: /etc listed by ls in the container, a file viewed, one copied out and one in', { skip }, async () => {
  const id = await running('dd-files', ['sleep', '600']);
  const out = tmp();
  await openDashboard(240, 30);
  await only('dd-files');
  await h!.press('F');
  await h!.waitFor('the root', (f) => /dd-files:\/\s+\d+ entries/.test(f) && /etc\//.test(f), 60_000);
  // to /etc: down until the pointer is on it
  const pick = async (entry: string) => {
    const re = new RegExp(`› ${entry.replace(/[.]/g, '\\.')}\\s*$`, 'm');
    for (let i = 0; i < 80 && !re.test(h!.frame()); i++) await h!.press('j');
    assert.match(h!.frame(), re);
  };
  await pick('etc/');
  await h!.press(KEY.enter);
  await h!.waitFor('/etc listed', (f) => /dd-files:\/etc\s+\d+ entries/.test(f) && /passwd/.test(f) && /hostname/.test(f), 60_000);
  const listed = execOut(id, ['ls', '-1A', '/etc']);
  for (const name of (await listed).split('\n').filter(Boolean)) assert.match(h!.frame(), new RegExp(`\\b${name.replace(/[.]/g, '\\.')}\\b`), name);
  // view /etc/passwd
  await pick('passwd');
  await h!.press(KEY.enter);
  await h!.waitFor('passwd viewed', (f) => /dd-files:\/etc\/passwd\s+\d+B/.test(f) && /^root:x:0:0:/m.test(f), 60_000);
  // out: to a new file on this machine
  await h!.press(KEY.esc, 'o');
  await h!.waitFor('the copy-out prompt', (f) => /copy \/etc\/passwd to/.test(f), 30_000);
  await h!.press(...join(out, 'passwd.txt'), KEY.enter);
  await h!.waitFor('copied out', (f) => /copied \/etc\/passwd to .*passwd\.txt/.test(f), 60_000);
  assert.ok(h!.frame().includes(`$ berth -H ${d.host} cp dd-files:/etc/passwd ${join(out, 'passwd.txt')}`), h!.frame());
  assert.equal(readFileSync(join(out, 'passwd.txt'), 'utf8'), await execOut(id, ['cat', '/etc/passwd']));
  // in: a file of this machine into /etc, listed there
  writeFileSync(join(out, 'dd-in.conf'), 'from the host\n');
  await h!.press('i');
  await h!.waitFor('the copy-in prompt', (f) => /copy into \/etc from/.test(f), 30_000);
  await h!.press(...join(out, 'dd-in.conf'), KEY.enter);
  await h!.waitFor('copied in, and listed', (f) => /copied .*dd-in\.conf to \/etc\/dd-in\.conf/.test(f) && /^\S?\s*dd-in\.conf\s*$/m.test(f), 60_000);
  assert.equal(await execOut(id, ['cat', '/etc/dd-in.conf']), 'from the host\n');
});

test('p on a Docker host: a pull from a local registry with a row per layer, then the image listed', { skip }, async () => {
  registry = await LocalRegistry.start();
  const ref = `${registry.host}/dd-pull:1`;
  // An image with a layer of its own (busybox's is already on the daemon): made, pushed, removed.
  const layer = await running('dd-layer', ['sleep', '600']);
  await execOut(layer, ['sh', '-c', 'head -c 2000000 /dev/urandom > /blob']);
  await d.engine.containers.commit(layer, { reference: ref });
  await d.engine.images.push(ref);
  await d.engine.containers.remove(layer, { force: true });
  await d.engine.images.remove(ref);
  assert.equal(
    (await d.engine.images.list()).some((i) => i.repoTags.includes(ref)),
    false,
  );
  await openDashboard();
  await h!.press('2', 'p');
  await h!.waitFor('the pull prompt', (f) => /Pull an image/.test(f), 30_000);
  await h!.press(...ref, KEY.enter);
  // The layer the daemon lacks is downloaded, with its bar; busybox's is already there.
  await h!.waitFor(
    'the pull done, a layer pulled with its bar',
    (f) => f.includes(`Pulled ${ref}`) && /^[0-9a-f]{12}\s+Pull complete\s+\[█+\]/m.test(f) && /^[0-9a-f]{12}\s+Already exists/m.test(f),
    120_000,
  );
  assert.ok(h!.frame().includes(`$ berth -H ${d.host} pull ${ref}`), h!.frame());
  await h!.press(KEY.esc);
  await h!.waitFor('the image listed', (f) => /dd-pull\s+1\b/.test(f), 60_000);
  assert.ok((await d.engine.images.list()).some((i) => i.repoTags.includes(ref)));
  await d.engine.images.remove(ref);
});

test("the processes tab on a Docker host: docker's top of a container running sleep", { skip }, async () => {
  await running('dd-top', ['sleep', '600']);
  await openDashboard();
  await only('dd-top');
  await h!.press(KEY.enter);
  await h!.waitFor('the detail', (f) => /1 overview/.test(f) && /2 top/.test(f), 30_000);
  await h!.press('2');
  await h!.waitFor('top', (f) => /UID\s+PID\s+PPID/.test(f) && /sleep 600/.test(f), 60_000);
});

test('the graphs tab on a Docker host: CPU and memory history after a few stats passes', { skip }, async () => {
  await running('dd-graphs', ['sh', '-c', 'while true; do sleep 0.5; done']);
  await openDashboard();
  await only('dd-graphs');
  await h!.press(KEY.enter, '8');
  await h!.waitFor('the graphs tab', (f) => /8 graphs/.test(f) && /collecting samples|CPU %/.test(f), 30_000);
  const samples = () => Number(/(\d+) samples/.exec(h!.frame())?.[1] ?? 0);
  // Each tick asks the daemon for a pass; a pass still under way on a loaded machine skips one.
  const deadline = Date.now() + 120_000;
  while (samples() < 8) {
    if (Date.now() > deadline) assert.fail(`fewer than 8 samples after 120 s:\n${h!.frame()}`);
    await h!.tick();
    await sleep(200);
  }
  const f = h!.frame();
  assert.match(f, /CPU %\s+now \d+\.\d%/);
  assert.match(f, /Memory\s+now \S+/);
  const lines = f.split('\n');
  const mem = lines.findIndex((l) => /Memory\s+now/.test(l));
  assert.match(lines[mem + 1] ?? '', /[▁▂▃▄▅▆▇█]{2,}/, f);
});
