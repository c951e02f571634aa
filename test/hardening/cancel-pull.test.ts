/**
 * `berth pull` cancelled with Ctrl-C (SIGINT) half-way through the Debian image's layer, from a
 * local registry behind a proxy that holds the layer's response part-way (so the cancel lands
 * mid-download, with the unpack under way). The pull exits 130 at once and leaves the store as
 * it found it: no image, no blob, no layer, no staging dir — before any other command runs
 * (a kill needs the next command's sweep; a cancel cleans up itself). A second pull is whole.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { BERTH, Sandbox } from '../helpers/berth.js';
import { LocalRegistry } from '../helpers/registry.js';
import { debianTarball } from '../fixtures/debian.js';
import { StallProxy } from './stall-proxy.js';

let registry: LocalRegistry | undefined;
let proxy: StallProxy | undefined;
let src: Sandbox | undefined; // imports and pushes the image
let sb: Sandbox; // pulls it, and is interrupted doing so
let imageId = '';
let layer = { digest: '', size: 0 };
let ref = '';

before(async () => {
  registry = await LocalRegistry.start();
  proxy = new StallProxy(registry.port, registry.dir);
  await proxy.start();
  src = new Sandbox('berth-cancel-pull-src');
  sb = new Sandbox('berth-cancel-pull');
  const pushed = `${registry.host}/debian:12`;
  src.ok(['import', debianTarball(), pushed], { timeout: 180_000 });
  src.ok(['push', pushed], { timeout: 300_000 });
  imageId = src.ok(['inspect', '-f', '{{.Id}}', pushed]).trim();
  const res = await fetch(`http://127.0.0.1:${registry.port}/v2/debian/manifests/12`, {
    headers: { accept: 'application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json' },
  });
  const manifest = (await res.json()) as { layers: { digest: string; size: number }[] };
  layer = manifest.layers.reduce((a, b) => (b.size > a.size ? b : a));
  assert.ok(layer.size > 10 * 1024 * 1024, `the Debian layer is only ${layer.size} bytes`);
  ref = `${proxy.host}/debian:12`;
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
    return readdirSync(d, { recursive: true }) as string[];
  } catch {
    return [];
  }
};
/** Everything the store holds on disk, but its database. */
const store = () => ({ blobs: ls(join(sb.root, 'blobs')), layers: ls(join(sb.root, 'layers')), tmp: ls(join(sb.root, 'tmp')) });
const unpacking = () => ls(join(sb.root, 'tmp')).some((p) => p.split('/').length >= 3); // files inside a layer's diff dir
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('Ctrl-C half-way through the Debian layer: exit 130, nothing of the image left, and a second pull is whole', async () => {
  sb.ok(['images']); // the store exists, empty
  const before = store();
  proxy!.stall(new RegExp(`^GET .*/blobs/${layer.digest}$`), Math.floor(layer.size / 2));
  const child = spawn(BERTH, ['pull', ref], { env: sb.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  let code: number | null | undefined;
  void exited.then((c) => (code = c));
  const deadline = Date.now() + 120_000;
  while (code === undefined && Date.now() < deadline && !(proxy!.stalled().length > 0 && unpacking())) await sleep(5);
  assert.equal(code, undefined, `the pull ended before it was held: ${out}`);
  assert.ok(proxy!.stalled().length > 0 && unpacking(), 'the pull was not held half-way with its unpack under way');
  assert.ok(store().tmp.length > 0, 'nothing staged while pulling');
  child.kill('SIGINT');
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  assert.equal(await exited, 130, `berth pull after Ctrl-C: ${out}`);
  clearTimeout(timer);
  proxy!.clear();
  // nothing of it, before any other command could sweep
  assert.deepEqual(store(), before);
  assert.equal(sb.ok(['images', '-q']).trim(), '');
  assert.notEqual(sb.run(['image', 'inspect', ref]).code, 0);

  const again = sb.ok(['pull', ref], { timeout: 300_000 });
  assert.match(again, /Pull complete/);
  assert.equal(sb.ok(['inspect', '-f', '{{.Id}}', ref]).trim(), imageId);
  assert.deepEqual(store().tmp, []);
});
