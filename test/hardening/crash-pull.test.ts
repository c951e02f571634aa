/**
 * kill -9 of berth inside `pull` from a local registry (issue 8): while the manifest or the
 * config is awaited, half-way through a layer (with the unpack under way), after every blob is
 * in before the image row is written, and at plain delays. Afterwards no partial image is
 * listed, the next command leaves no staging dir, `system prune` leaves no blob or layer nothing
 * references, and a second pull succeeds and the image runs.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Sandbox } from '../helpers/berth.js';
import { LocalRegistry } from '../helpers/registry.js';
import { busyboxTarball } from '../fixtures/busybox.js';
import { killWhen, withDbWriteLock, type KillOutcome } from './kill-points.js';
import { StallProxy } from './stall-proxy.js';

let registry: LocalRegistry | undefined;
let proxy: StallProxy | undefined;
let src: Sandbox | undefined; // builds and pushes the image
let sb: Sandbox; // pulls it, and is killed doing so
let imageId = '';
let bigLayer = { digest: '', size: 0 };
let ref = '';

before(async () => {
  registry = await LocalRegistry.start();
  proxy = new StallProxy(registry.port, registry.dir);
  await proxy.start();
  src = new Sandbox('berth-crash-pull-src');
  sb = new Sandbox('berth-crash-pull');
  src.ok(['import', busyboxTarball(), 'busybox']);
  // one big layer (24 MB that do not compress, and 400 small files) over busybox's: long
  // enough to be caught half-way, with an unpack that has entries to write
  src.ok([
    'run',
    '--name',
    'maker',
    '--net',
    'none',
    'busybox',
    'sh',
    '-c',
    'mkdir /many && for i in $(seq 1 400); do echo $i > /many/f$i; done; dd if=/dev/urandom of=/data.bin bs=1M count=24 2>/dev/null',
  ]);
  const pushed = `${registry.host}/bigpull:1`;
  src.ok(['commit', 'maker', pushed]);
  src.ok(['push', pushed], { timeout: 180_000 });
  imageId = src.ok(['inspect', '-f', '{{.Id}}', pushed]).trim();
  const res = await fetch(`http://127.0.0.1:${registry.port}/v2/bigpull/manifests/1`, {
    headers: { accept: 'application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json' },
  });
  const manifest = (await res.json()) as { layers: { digest: string; size: number }[] };
  bigLayer = manifest.layers.reduce((a, b) => (b.size > a.size ? b : a));
  assert.ok(bigLayer.size > 20 * 1024 * 1024, `the big layer is only ${bigLayer.size} bytes`);
  ref = `${proxy.host}/bigpull:1`; // pulls go through the proxy
});

after(async () => {
  try {
    sb?.dispose();
    src?.dispose();
  } finally {
    await proxy?.stop();
    await registry?.stop();
  }
});

const ls = (d: string): string[] => {
  try {
    return readdirSync(d);
  } catch {
    return []; // not there (yet), or a file
  }
};
const staging = () => ls(join(sb.root, 'tmp'));
const blobs = () => ls(join(sb.root, 'blobs', 'sha256'));
const layers = () => ls(join(sb.root, 'layers'));
/** Staging dirs with an unpack under way (a layer's diff dir with entries in it). */
const unpacking = () => staging().some((s) => ls(join(sb.root, 'tmp', s)).some((f) => /^f\d+$/.test(f) && ls(join(sb.root, 'tmp', s, f)).length > 0));
const listed = () => sb.ok(['images', '--format', '{{.Repository}}:{{.Tag}}']).trim().split('\n').filter(Boolean);

test('pull killed at several points: nothing partial, nothing left, and a second pull runs', async () => {
  const seen: string[] = [];
  const points: [string, () => Promise<KillOutcome>, { mustKill: boolean }][] = [
    // the store is empty: the first blob there was moved in by the commit's transaction (a
    // window of milliseconds, so the kill may come after the commit: then the image is whole)
    ['inside the commit transaction', () => killWhen(sb, ['pull', ref], () => blobs().length > 0), { mustKill: false }],
    [
      'fetching the manifest',
      () => (proxy!.stall(/^GET .*\/manifests\//, 0), killWhen(sb, ['pull', ref], () => proxy!.stalled().length > 0)),
      { mustKill: true },
    ],
    [
      'fetching the image config',
      () => (proxy!.stall(new RegExp(`^GET .*/blobs/${imageId}$`), 0), killWhen(sb, ['pull', ref], () => proxy!.stalled().length > 0)),
      { mustKill: true },
    ],
    [
      'half-way through the big layer, unpacking it',
      () => (
        proxy!.stall(new RegExp(`^GET .*/blobs/${bigLayer.digest}$`), Math.floor(bigLayer.size / 2)),
        killWhen(sb, ['pull', ref], () => proxy!.stalled().length > 0 && unpacking())
      ),
      { mustKill: true },
    ],
    [
      'every blob in and unpacked, before the image row (database lock held)',
      () => (
        proxy!.clear(),
        withDbWriteLock(sb, () => killWhen(sb, ['pull', ref], () => staging().some((s) => existsSync(join(sb.root, 'tmp', s, 'manifest')))))
      ),
      { mustKill: true },
    ],
    ...[300, 450, 600, 700, 800, 1000].map((ms): [string, () => Promise<KillOutcome>, { mustKill: boolean }] => [
      `after ${ms} ms`,
      () => (proxy!.clear(), killWhen(sb, ['pull', ref], () => false, ms)),
      { mustKill: false },
    ]),
  ];
  for (const [what, kill, { mustKill }] of points) {
    const r = await kill();
    proxy!.clear();
    if (mustKill) assert.ok(r.killed, `${what}: the pull was not held there`);
    // the next command: the image is whole or not there at all, and no staging dir is left
    const inStore = blobs().length;
    const names = listed();
    seen.push(
      `${what}: ${r.killed ? `killed at ${r.afterMs} ms, ${inStore} blob(s) in the store, ${names.includes(ref) ? 'image whole' : 'no image'}` : 'finished before the kill'}`,
    );
    if (names.includes(ref)) {
      assert.ok(!mustKill, `${what}: an image appeared though the pull was stopped before its commit`);
      assert.equal(sb.run(['run', '--rm', '--net', 'none', ref, 'test', '-s', '/data.bin']).code, 0, `${what}: a listed image does not run`);
      sb.ok(['rmi', ref]);
    } else {
      assert.deepEqual(names, [], `${what}: ${names.join(' ')}`);
      assert.notEqual(sb.run(['image', 'inspect', ref]).code, 0, `${what}: inspect finds an image that is not listed`);
    }
    assert.deepEqual(staging(), [], `${what}: staging left after the next command`);
  }
  process.stdout.write(`# pull: ${seen.join('; ')}\n`);
  // prune frees whatever a kill inside the commit left in place without a row
  sb.ok(['system', 'prune', '-f']);
  assert.deepEqual(blobs(), [], 'blobs no image references');
  assert.deepEqual(layers(), [], 'layers no image references');
  assert.deepEqual(staging(), []);

  const out = sb.ok(['pull', ref], { timeout: 180_000 });
  assert.match(out, /Pull complete/);
  assert.equal(sb.ok(['inspect', '-f', '{{.Id}}', ref]).trim(), imageId);
  assert.equal(sb.ok(['run', '--rm', '--net', 'none', ref, 'sh', '-c', 'cat /many/f400; wc -c < /data.bin']).trim().split(/\s+/).join(' '), '400 25165824');
});

test('a pull of a newer image killed half-way leaves the old image under the tag, whole', async () => {
  // a new image under the same tag, with its own big layer
  const pushed = `${registry!.host}/bigpull:1`;
  src!.ok([
    'run',
    '--name',
    'maker2',
    '--net',
    'none',
    'busybox',
    'sh',
    '-c',
    'echo two > /version; dd if=/dev/urandom of=/data.bin bs=1M count=24 2>/dev/null',
  ]);
  src!.ok(['commit', 'maker2', pushed]);
  src!.ok(['push', pushed], { timeout: 180_000 });
  const newId = src!.ok(['inspect', '-f', '{{.Id}}', pushed]).trim();
  const res = await fetch(`http://127.0.0.1:${registry!.port}/v2/bigpull/manifests/1`, {
    headers: { accept: 'application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json' },
  });
  const big = ((await res.json()) as { layers: { digest: string; size: number }[] }).layers.reduce((a, b) => (b.size > a.size ? b : a));
  assert.notEqual(big.digest, bigLayer.digest);

  assert.equal(sb.ok(['inspect', '-f', '{{.Id}}', ref]).trim(), imageId);
  proxy!.stall(new RegExp(`^GET .*/blobs/${big.digest}$`), Math.floor(big.size / 2));
  const r = await killWhen(sb, ['pull', ref], () => proxy!.stalled().length > 0 && unpacking());
  proxy!.clear();
  assert.ok(r.killed, 'the pull was not held half-way');
  // the tag still names the old image, which runs as before
  assert.equal(sb.ok(['inspect', '-f', '{{.Id}}', ref]).trim(), imageId);
  assert.equal(sb.ok(['run', '--rm', '--net', 'none', ref, 'sh', '-c', 'test ! -e /version && cat /many/f1']).trim(), '1');
  assert.deepEqual(staging(), []);
  // and the pull, run again without any prune in between, brings the new one whole
  sb.ok(['pull', ref], { timeout: 180_000 });
  assert.equal(sb.ok(['inspect', '-f', '{{.Id}}', ref]).trim(), newId);
  assert.equal(sb.ok(['run', '--rm', '--net', 'none', ref, 'cat', '/version']).trim(), 'two');
});
