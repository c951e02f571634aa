/**
 * The Docker-API backend against a real dockerd started here (own socket, data root and
 * containerd; see dockerd.ts): negotiation, images, container lifecycle, exec, logs, inspect,
 * commit, networks connect/disconnect, volumes, events from the stream, stats by every path,
 * archive stat/copy, and errors as EngineError kinds.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DockerEngine } from '../../src/engine/docker/engine.js';
import { isEngineError } from '../../src/engine/errors.js';
import { capture, checkExec, checkStatsModes } from './engine-checks.js';
import { TestDockerd } from './dockerd.js';
import { NEEDS_ROOT } from '../helpers/tools.js';
import { eventually } from '../helpers/wait.js';

const skip = NEEDS_ROOT;
let d: TestDockerd;

before(async () => {
  if (skip) return;
  d = new TestDockerd();
  await d.start();
  await d.importBusybox();
});
after(async () => {
  if (d) await d.stop();
});

test('negotiates the API version (capped, never pinned)', { skip }, async () => {
  const v = await d.engine.system.version();
  assert.match(v.apiVersion, /^1\.\d+$/);
  const capped = new DockerEngine({ host: d.host, maxApiVersion: '1.40' });
  assert.equal((await capped.system.version()).apiVersion, '1.40');
  await capped.close();
  const info = await d.engine.system.info();
  assert.equal(info.engine, 'docker');
  assert.ok(info.ncpu > 0);
});

test('images: list, inspect, history, tag, remove', { skip }, async () => {
  const imgs = await d.engine.images.list();
  const bb = imgs.find((i) => i.repoTags.includes('busybox:latest'));
  assert.ok(bb, JSON.stringify(imgs));
  assert.match(bb.id, /^sha256:[0-9a-f]{64}$/);
  assert.equal((await d.engine.images.inspect('busybox')).Id, bb.id);
  assert.ok((await d.engine.images.history('busybox')).length >= 1);
  await d.engine.images.tag('busybox', 'bb2:one');
  assert.ok((await d.engine.images.list()).some((i) => i.repoTags.includes('bb2:one')));
  const r = await d.engine.images.remove('bb2:one');
  assert.deepEqual(r.untagged, ['bb2:one']);
  await assert.rejects(d.engine.images.inspect('nope:none'), (e) => isEngineError(e, 'not-found'));
});

test('containers: create, list, start, inspect, exec, logs, stop, remove', { skip }, async () => {
  const { id } = await d.engine.containers.create({ image: 'busybox', name: 'life', cmd: ['sh', '-c', 'echo to-out; echo to-err >&2; exec sleep 600'] });
  let c = (await d.engine.containers.list({ all: true })).find((x) => x.id === id);
  assert.equal(c?.state, 'created');
  assert.deepEqual(c?.names, ['life']);
  await d.engine.containers.start('life');
  c = (await d.engine.containers.list()).find((x) => x.id === id);
  assert.equal(c?.state, 'running');
  const doc = await d.engine.containers.inspect('life');
  assert.equal(doc.Name, '/life');
  assert.equal(doc.State.Running, true);
  assert.ok(doc.State.Pid > 0);

  await checkExec(d.engine, 'life');

  const lines = [];
  for await (const l of d.engine.containers.logs('life')) lines.push(l);
  assert.deepEqual(lines.map((l) => [l.stream, l.text]).sort(), [
    ['stderr', 'to-err'],
    ['stdout', 'to-out'],
  ]);
  assert.ok(lines.every((l) => !Number.isNaN(Date.parse(l.time))));

  const top = await d.engine.containers.top('life');
  assert.ok(top.processes.some((p) => p.join(' ').includes('sleep 600')));

  await d.engine.containers.stop('life', { timeout: 1 });
  assert.equal((await d.engine.containers.inspect('life')).State.Running, false);
  assert.equal(await d.engine.containers.wait('life'), 137);
  await d.engine.containers.remove('life');
  await assert.rejects(d.engine.containers.inspect('life'), (e) => isEngineError(e, 'not-found') && /No such container/i.test(e.message));
});

test('run-style: startAttached returns the exit code; errors map to kinds', { skip }, async () => {
  const { id } = await d.engine.containers.create({ image: 'busybox', cmd: ['sh', '-c', 'echo attached; exit 5'], autoRemove: true });
  const io = capture();
  assert.equal(await d.engine.containers.startAttached(id, io), 5);
  assert.equal(io.out(), 'attached\n');
  await d.engine.containers.create({ image: 'busybox', name: 'dup', cmd: ['true'] });
  await assert.rejects(d.engine.containers.create({ image: 'busybox', name: 'dup', cmd: ['true'] }), (e) => isEngineError(e, 'conflict'));
  await d.engine.containers.remove('dup');
  await assert.rejects(d.engine.containers.create({ image: 'busybox', name: 'bad name!' }), (e) => isEngineError(e, 'invalid'));
});

test('commit, archive stat and copy', { skip }, async () => {
  await d.engine.containers.create({ image: 'busybox', name: 'cm', cmd: ['sh', '-c', 'echo made > /made.txt; sleep 600'] });
  await d.engine.containers.start('cm');
  // the container's shell writes the file once it runs
  const st = await eventually('/made.txt written', async () => {
    const s = await d.engine.containers.stat('cm', '/made.txt');
    assert.equal(s.size, 5);
    return s;
  });
  assert.equal(st.name, 'made.txt');
  assert.equal(st.size, 5);
  assert.equal(st.isDir, false);
  assert.ok((await d.engine.containers.stat('cm', '/etc')).isDir);
  const { stream } = await d.engine.containers.copyFrom('cm', '/made.txt');
  let tar = Buffer.alloc(0);
  for await (const c of stream) tar = Buffer.concat([tar, c as Buffer]);
  assert.ok(tar.includes(Buffer.from('made\n')));
  const img = await d.engine.containers.commit('cm', { reference: 'committed:v1', message: 'from test' });
  assert.match(img, /^sha256:/);
  const doc = await d.engine.images.inspect('committed:v1');
  assert.equal(doc.Comment, 'from test');
  const io = capture();
  const { id } = await d.engine.containers.create({ image: 'committed:v1', cmd: ['cat', '/made.txt'] });
  assert.equal(await d.engine.containers.startAttached(id, io), 0);
  assert.equal(io.out(), 'made\n');
  await d.engine.containers.remove(id);
  await d.engine.containers.remove('cm', { force: true });
  await d.engine.images.remove('committed:v1');
});

test('networks and volumes: create, connect, disconnect, list users, remove', { skip }, async () => {
  const net = await d.engine.networks.create({ name: 'bt-net', ipam: [{ subnet: '10.213.7.0/24' }] });
  assert.equal(net.name, 'bt-net');
  assert.deepEqual(
    net.ipam.map((i) => i.subnet),
    ['10.213.7.0/24'],
  );
  const vol = await d.engine.volumes.create({ name: 'bt-vol' });
  assert.equal(vol.name, 'bt-vol');
  await d.engine.containers.create({
    image: 'busybox',
    name: 'nc',
    cmd: ['sleep', '600'],
    mounts: [{ type: 'volume', source: 'bt-vol', target: '/data', readOnly: false }],
  });
  await d.engine.containers.start('nc');
  await d.engine.networks.connect('bt-net', 'nc', { aliases: ['db'] });
  const doc = await d.engine.containers.inspect('nc');
  assert.match(doc.NetworkSettings.Networks['bt-net']?.IPAddress ?? '', /^10\.213\.7\./);
  const listed = (await d.engine.networks.list()).find((n) => n.name === 'bt-net');
  assert.deepEqual(
    listed?.containers.map((e) => e.name),
    ['nc'],
  );
  assert.deepEqual((await d.engine.volumes.inspect('bt-vol')).usedBy, [doc.Id]);
  await d.engine.networks.disconnect('bt-net', 'nc');
  assert.equal((await d.engine.containers.inspect('nc')).NetworkSettings.Networks['bt-net'], undefined);
  await assert.rejects(d.engine.volumes.remove('bt-vol'), (e) => isEngineError(e, 'conflict'));
  await d.engine.containers.remove('nc', { force: true });
  await d.engine.volumes.remove('bt-vol');
  await d.engine.networks.remove('bt-net');
  assert.equal(
    (await d.engine.networks.list()).some((n) => n.name === 'bt-net'),
    false,
  );
});

test('events arrive from the stream', { skip }, async () => {
  const ac = new AbortController();
  const all: { id: string; what: string }[] = [];
  let id = '';
  // since a moment ago: what happens before the stream is open is replayed (no pause for the
  // stream to connect); earlier tests' containers are told apart by id
  const done = (async () => {
    for await (const e of d.engine.system.events(ac.signal, { since: Date.now() - 1000 })) {
      all.push({ id: e.id, what: `${e.type}:${e.action}` });
      if (e.action === 'destroy' && e.id === id) break;
    }
  })();
  ({ id } = await d.engine.containers.create({ image: 'busybox', cmd: ['true'] }));
  await d.engine.containers.start(id);
  await d.engine.containers.wait(id);
  await d.engine.containers.remove(id);
  await done;
  ac.abort();
  const seen = all.filter((e) => e.id === id).map((e) => e.what);
  assert.ok(seen.includes('container:create') && seen.includes('container:start') && seen.includes('container:destroy'), seen.join(' '));
});

test('stats: cgroup files locally, one-shot, and streams; CPU % of a busy container', { skip }, async () => {
  await d.engine.containers.create({ image: 'busybox', name: 'busy', cmd: ['sh', '-c', 'while :; do :; done'] });
  await d.engine.containers.create({ image: 'busybox', name: 'idle', cmd: ['sleep', '600'] });
  await d.engine.containers.start('busy');
  await d.engine.containers.start('idle');
  const modes = [
    ['cgroup', { cgroups: true }],
    ['one-shot', { cgroups: false, oneShot: true }],
    ['stream', { cgroups: false, oneShot: false }],
  ] as const;
  await checkStatsModes(d.engine.client, modes, { busy: 'busy', idle: 'idle' });
  await d.engine.containers.remove('busy', { force: true });
  await d.engine.containers.remove('idle', { force: true });
});

test('prune removes stopped containers', { skip }, async () => {
  const { id } = await d.engine.containers.create({ image: 'busybox', cmd: ['true'] });
  const r = await d.engine.containers.prune();
  assert.ok(r.deleted.includes(id));
});

test('host pool: a live host and a dead one; all-hosts list carries the host; down is not fatal', { skip }, async () => {
  const { HostPool } = await import('../../src/engine/hosts/host-pool.js');
  await d.engine.containers.create({ image: 'busybox', name: 'pooled', cmd: ['true'] });
  const pool = new HostPool(
    [
      { name: 'live', host: d.host },
      { name: 'dead', host: `unix://${d.dir}/nothing.sock` },
    ],
    { timeoutMs: 2000 },
  );
  try {
    await pool.probe();
    assert.deepEqual(
      pool.statuses().map((s) => [s.name, s.state]),
      [
        ['live', 'up'],
        ['dead', 'down'],
      ],
    );
    const rows = await pool.containersOfAll({ all: true });
    assert.ok(rows.some((r) => r.host === 'live' && r.container.names[0] === 'pooled'));
    assert.ok(rows.every((r) => r.host === 'live'));
  } finally {
    await pool.close();
    await d.engine.containers.remove('pooled');
  }
});
