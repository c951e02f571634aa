/** Presentation functions: model → cells / lines, without Ink. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeEngine } from '../fakes/fake-engine.js';
import { containersSpec, portsText, shortImage, stateText, type ContainerCtx } from '../../src/screens/containers-view.js';
import { imagesSpec, splitRef } from '../../src/screens/images-view.js';
import { networksSpec } from '../../src/screens/networks-view.js';
import { volumesSpec } from '../../src/screens/volumes-view.js';
import { applyView, INITIAL_VIEW } from '../../src/screens/pane-spec.js';
import { addPass, EMPTY_STATS, samplesPerMinute } from '../../src/screens/stats-history.js';
import { containerDetailLines, imageDetailLines, limitsText, networkDetailLines, volumeDetailLines } from '../../src/screens/detail-lines.js';
import { helpLines } from '../../src/screens/help-lines.js';
import { highlight, matchingLines, nextMatch } from '../../src/screens/log-search.js';
import { kindsFor } from '../../src/screens/use-resources.js';
import { connectable, isValidReference } from '../../src/screens/container-actions.js';
import { isValidCidr, parseLabels } from '../../src/screens/resource-actions.js';
import { BINDINGS } from '../../src/ui/bindings.js';
import { makeTheme } from '../../src/ui/theme.js';
import { stripAnsi } from '../../src/ui/text.js';

const mono = makeTheme(false);

async function model() {
  const e = new FakeEngine();
  const sampler = await e.containers.sampler();
  let stats = EMPTY_STATS;
  for (let i = 0; i < 3; i++) stats = addPass(stats, await sampler.sample(), 60);
  return { e, containers: await e.containers.list({ all: true }), stats };
}

test('container cells: every column, live figures for running ones only', async () => {
  const { containers, stats } = await model();
  const ctx: ContainerCtx = { stats: stats.byId, now: Date.now(), spark: (s) => `spark${s.values.length}` };
  const spec = containersSpec(() => ctx);
  const web = spec.cells(
    containers.find((c) => c.names[0] === 'web')!,
    ctx,
  );
  assert.deepEqual(Object.keys(web).sort(), spec.columns.map((c) => c.id).sort());
  assert.equal(web['image']?.text, 'nginx:1.27');
  assert.match(web['cpu']!.text, /%$/);
  assert.match(web['mem']!.text, /MiB \/ 256MiB/);
  assert.equal(web['spark']?.text, 'spark3');
  assert.equal(web['ports']?.text, '8080->80/tcp');
  assert.equal(web['state']?.tone, 'running');
  const old = spec.cells(
    containers.find((c) => c.names[0] === 'old-job')!,
    ctx,
  );
  assert.equal(old['cpu']?.text, '-');
  assert.equal(old['spark']?.text, '');
  assert.equal(old['state']?.text, 'exited (0)');
});

test('container sorts and filter', async () => {
  const { containers, stats } = await model();
  const ctx: ContainerCtx = { stats: stats.byId, now: Date.now(), spark: () => '' };
  const spec = containersSpec(() => ctx);
  const names = (v: typeof INITIAL_VIEW) => applyView(containers, spec, v, ctx).map((c) => c.names[0]);
  assert.deepEqual(names(INITIAL_VIEW), ['db', 'old-job', 'web', 'worker']);
  assert.deepEqual(names({ ...INITIAL_VIEW, desc: true }), ['worker', 'web', 'old-job', 'db']);
  const cpuSorted = names({ ...INITIAL_VIEW, sort: spec.sorts.findIndex((s) => s.id === 'cpu') });
  assert.deepEqual(cpuSorted.slice(0, 2).sort(), ['db', 'web']);
  assert.deepEqual(names({ ...INITIAL_VIEW, filter: 'BACKEND' }), ['db']);
  assert.deepEqual(names({ ...INITIAL_VIEW, filter: 'paused' }), ['worker']);
});

test('state, ports and image texts', () => {
  const base = { id: 'x', names: ['n'], image: '', imageId: '', command: '', created: '', status: '', ports: [], labels: {}, networks: [], mounts: [] };
  const now = Date.parse('2026-01-01T03:00:00Z');
  assert.equal(stateText({ ...base, state: 'running', startedAt: '2026-01-01T00:00:00Z' }, now), 'running 3h');
  assert.equal(stateText({ ...base, state: 'exited', exitCode: 137 }, now), 'exited (137)');
  assert.equal(stateText({ ...base, state: 'created' }, now), 'created');
  assert.equal(
    portsText([
      { hostIp: '127.0.0.1', hostPort: 80, containerPort: 8080, protocol: 'tcp' },
      { hostIp: '', hostPort: 53, containerPort: 53, protocol: 'udp' },
    ]),
    '127.0.0.1:80->8080/tcp, 53->53/udp',
  );
  assert.equal(shortImage('docker.io/library/nginx:1.27'), 'nginx:1.27');
  assert.equal(shortImage('docker.io/me/app:1'), 'me/app:1');
  assert.equal(shortImage('registry.local:5000/app'), 'registry.local:5000/app');
});

test('images, networks, volumes cells', async () => {
  const { e, containers } = await model();
  const images = await e.images.list();
  const nginx = images.find((i) => i.repoTags[0]?.includes('nginx'))!;
  const ic = imagesSpec.cells(nginx, { now: Date.now(), containers });
  assert.equal(ic['repo']?.text, 'nginx');
  assert.equal(ic['tag']?.text, '1.27');
  assert.equal(ic['id']?.text.length, 12);
  assert.equal(ic['size']?.text, '192MB');
  assert.equal(ic['used']?.text, 'web');
  assert.deepEqual(splitRef(undefined), ['<none>', '<none>']);
  assert.deepEqual(splitRef('registry.local:5000/app'), ['registry.local:5000/app', 'latest']);
  const backend = (await e.networks.list()).find((n) => n.name === 'backend')!;
  const nc = networksSpec.cells(backend, undefined);
  assert.equal(nc['subnet']?.text, '10.89.1.0/24');
  assert.equal(nc['gateway']?.text, '10.89.1.1');
  assert.equal(nc['containers']?.text, '1: db');
  const data = (await e.volumes.list()).find((v) => v.name === 'data')!;
  const vc = volumesSpec.cells(data, { containers });
  assert.equal(vc['used']?.text, 'web');
  assert.equal(vc['size']?.text, '12MB');
  const cache = (await e.volumes.list()).find((v) => v.name === 'cache')!;
  assert.equal(volumesSpec.cells(cache, { containers })['size']?.text, '-', 'size unknown is shown as such');
});

test('stats history keeps a minute, continues series, restarts after gaps', async () => {
  const e = new FakeEngine();
  const sampler = await e.containers.sampler();
  let s = EMPTY_STATS;
  for (let i = 0; i < 70; i++) s = addPass(s, await sampler.sample(), samplesPerMinute(1000));
  const web = [...s.byId.values()].find((x) => x.sample.name === 'web')!;
  assert.equal(web.cpu.values.length, 60);
  assert.equal(web.cpu.start, 10);
  assert.ok(web.cpu.values.every((v) => v >= 0));
  s = addPass(s, [], 60);
  s = addPass(s, await sampler.sample(), 60);
  const again = [...s.byId.values()].find((x) => x.sample.name === 'web')!;
  assert.equal(again.cpu.values.length, 1, 'a gap starts a new series');
  assert.equal(samplesPerMinute(500), 120);
});

test('detail lines cover env, command, mounts, ports, networks, limits, logs', async () => {
  const { e } = await model();
  const web = await e.containers.inspect('web');
  const logs = [];
  for await (const l of e.containers.logs('web', { tail: 3 })) logs.push(l);
  const text = stripAnsi(containerDetailLines(web, logs, mono).join('\n'));
  for (const s of [
    'nginx -g daemon off;',
    'APP=web',
    'volume data -> /data (rw)',
    '80/tcp -> 0.0.0.0:8080',
    'bridge  10.88.',
    'gw 10.88.0.1',
    'memory  256MiB',
    'cpus    1.00',
    'pids    100',
    'web log line 29',
  ]) {
    assert.ok(text.includes(s), s);
  }
  assert.deepEqual(limitsText({}), ['memory  unlimited', 'swap    default', 'cpus    unlimited', 'pids    unlimited']);
  const img = stripAnsi(
    imageDetailLines(await e.images.inspect('docker.io/library/nginx:1.27'), await e.images.history('docker.io/library/nginx:1.27'), mono).join('\n'),
  );
  assert.match(img, /linux\/amd64/);
  assert.match(img, /History/);
  const net = stripAnsi(networkDetailLines(await e.networks.inspect('backend'), mono).join('\n'));
  assert.match(net, /db {2}10\.89\.1\.\d+\/24/);
  const vol = stripAnsi(volumeDetailLines(await e.volumes.inspect('data'), await e.containers.list({ all: true }), mono).join('\n'));
  assert.match(vol, /Used by\n {2}web/);
});

test('help lines list every binding', () => {
  const text = helpLines(mono).join('\n');
  // tab 2 … tab 8 are told on tab 1's line
  for (const b of BINDINGS) if (!/^tab[2-8]$/.test(b.command)) assert.ok(text.includes(b.help), b.help);
  assert.match(text, /tab 1 … 8 \(digits\)/);
  assert.match(text, /100 % = one core/);
});

test('log search', () => {
  const lines = ['a ERROR b', 'ok', 'error again', 'fine'];
  assert.deepEqual(matchingLines(lines, 'error'), [0, 2]);
  assert.equal(nextMatch([0, 2], 0, 1), 2);
  assert.equal(nextMatch([0, 2], 2, 1), 0, 'wraps');
  assert.equal(nextMatch([0, 2], 1, -1), 0);
  assert.equal(nextMatch([], 1, 1), undefined);
  assert.equal(highlight('a ERROR b error', 'error', mono), 'a \u001B[7mERROR\u001B[0m b \u001B[7merror\u001B[0m');
});

test('events map to the lists they make stale', () => {
  assert.deepEqual(kindsFor({ type: 'container', action: 'die', id: 'x', time: 0 }), ['containers']);
  assert.deepEqual(kindsFor({ type: 'container', action: 'destroy', id: 'x', time: 0 }).sort(), ['containers', 'images', 'networks', 'volumes']);
  assert.deepEqual(kindsFor({ type: 'network', action: 'connect', id: 'x', time: 0 }), ['networks', 'containers']);
});

test('form validation helpers', async () => {
  assert.ok(isValidReference('myapp:v1'));
  assert.ok(isValidReference('registry.local:5000/team/app:1.0'));
  assert.ok(!isValidReference('BAD!'));
  assert.ok(!isValidReference('a:b:c'));
  assert.ok(isValidCidr('10.0.0.0/24'));
  assert.ok(!isValidCidr('10.0.0.0'));
  assert.ok(!isValidCidr('300.0.0.0/8'));
  assert.deepEqual(parseLabels('a=b, c=d=e ,flag'), { a: 'b', c: 'd=e', flag: '' });
  const { e, containers } = await model();
  const web = containers.find((c) => c.names[0] === 'web')!;
  assert.deepEqual(
    connectable(web, await e.networks.list()).map((n) => n.name),
    ['backend'],
  );
});
