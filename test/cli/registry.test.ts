/**
 * pull / push / login / logout / search against Debian's docker-registry on 127.0.0.1: an
 * anonymous one, one with htpasswd (Basic) and one behind a Bearer token service.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  mkdtempSync,
  mkdirSync,
  readFileSync,
  writeFileSync,
  statSync,
  existsSync,
  rmSync,
  openSync,
  readSync,
  writeSync,
  closeSync,
  readdirSync,
} from 'node:fs';
import { createHash, randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Sandbox, BERTH } from '../helpers/berth.js';
import { LocalRegistry, TokenService, FlakyProxy, listTree, freePort } from '../helpers/registry.js';
import { busyboxTarball } from '../fixtures/busybox.js';

let plain: LocalRegistry | undefined;
let basic: LocalRegistry | undefined;
let bearer: LocalRegistry | undefined;
let tokens: TokenService | undefined;
let sb1: Sandbox;
const sandboxes: Sandbox[] = [];
const dockerConfig = mkdtempSync(join(tmpdir(), 'berth-dockercfg-'));

function sandbox(name: string): Sandbox {
  const s = new Sandbox(name);
  sandboxes.push(s);
  return s;
}

before(async () => {
  // credentials go to a temp dir, never to the real ~/.docker
  process.env.DOCKER_CONFIG = dockerConfig;
  plain = await LocalRegistry.start();
  basic = await LocalRegistry.start({ htpasswd: { alice: 'wonderland' } });
  tokens = new TokenService(mkdtempSync(join(tmpdir(), 'berth-tokens-')), { bob: 'builder' });
  await tokens.start();
  bearer = await LocalRegistry.start({ token: tokens });
  sb1 = sandbox('berth-reg1');
  sb1.ok(['import', '-c', 'CMD ["sh"]', busyboxTarball(), 'busybox']);
});

after(async () => {
  for (const s of sandboxes) s.dispose();
  await plain?.stop();
  await basic?.stop();
  await bearer?.stop();
  await tokens?.stop();
  if (tokens) rmSync(tokens.dir, { recursive: true, force: true });
  rmSync(dockerConfig, { recursive: true, force: true });
});

test('push, then pull back into a clean store and run it', () => {
  const ref = `${plain!.host}/busybox:1`;
  sb1.ok(['tag', 'busybox', ref]);
  const out = sb1.ok(['push', ref]);
  assert.match(out, new RegExp(`The push refers to repository \\[${plain!.host}/busybox\\]`));
  assert.match(out, /: Pushed/);
  const digest = /1: digest: (sha256:[a-f0-9]{64}) size: \d+/.exec(out)?.[1];
  assert.ok(digest, out);

  const sb2 = sandbox('berth-reg2');
  const pulled = sb2.ok(['pull', ref]);
  assert.match(pulled, /Pull complete/);
  assert.match(pulled, new RegExp(`Digest: ${digest}`));
  assert.match(pulled, new RegExp(`Status: Downloaded newer image for ${plain!.host}/busybox:1`));
  const doc = JSON.parse(sb2.ok(['inspect', ref]))[0];
  assert.deepEqual(doc.RepoDigests, [`${plain!.host}/busybox@${digest}`]);
  assert.equal(doc.Id, JSON.parse(sb1.ok(['inspect', ref]))[0].Id);
  assert.equal(sb2.ok(['run', '--rm', '--net', 'none', ref, 'cat', '/var/www/index.html']), 'hello from berth\n');
  // pull by digest, and a second pull fetches nothing
  const again = sb2.ok(['pull', `${plain!.host}/busybox@${digest}`]);
  assert.match(again, /Already exists/);
  assert.doesNotMatch(again, /Downloading/);
});

test('tag, push, rmi, pull round trip as in the tutorials; run pulls a missing image', () => {
  const ref = `${plain!.host}/my-busybox:tut`;
  sb1.ok(['tag', 'busybox', ref]);
  sb1.ok(['push', ref]);
  sb1.ok(['rmi', ref]);
  assert.equal(sb1.run(['inspect', ref]).code, 1);
  sb1.ok(['pull', ref]);
  assert.ok(sb1.ok(['images', '--format', '{{.Repository}}:{{.Tag}}']).split('\n').includes(ref));
  // run of an image this store lacks pulls it first, as docker does
  const sb3 = sandbox('berth-reg3');
  const r = sb3.run(['run', '--rm', '--net', 'none', ref, 'echo', 'pulled and ran']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, new RegExp(`Unable to find image '${ref}' locally`));
  assert.equal(r.stdout, 'pulled and ran\n');
  // --pull never does not
  const sb4 = sandbox('berth-reg4');
  assert.notEqual(sb4.run(['create', '--pull', 'never', ref]).code, 0);
});

test('a second push skips the blobs the registry has (no upload at all)', () => {
  const ref = `${plain!.host}/skip:1`;
  sb1.ok(['tag', 'busybox', ref]);
  sb1.ok(['push', ref]);
  const before = plain!.count('POST', '/blobs/uploads/') + plain!.count('PATCH', '/blobs/uploads/') + plain!.count('PUT', '/blobs/uploads/');
  const out = sb1.ok(['push', ref]);
  assert.match(out, /Layer already exists/);
  assert.doesNotMatch(out, /Pushed/);
  const afterCount = plain!.count('POST', '/blobs/uploads/') + plain!.count('PATCH', '/blobs/uploads/') + plain!.count('PUT', '/blobs/uploads/');
  assert.equal(afterCount, before, 'no blob upload on the second push');
  // another repository of the same registry: the layer is mounted across, not uploaded
  const other = `${plain!.host}/skip-other:1`;
  sb1.ok(['tag', 'busybox', other]);
  const mounted = sb1.ok(['push', other]);
  assert.match(mounted, /Mounted from|Layer already exists/);
  assert.doesNotMatch(mounted, /: Pushed/);
});

/** A gzipped layer of random bytes: a blob no other test pushes. */
function uniqueLayer(bytes: number): { file: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'berth-layer-'));
  mkdirSync(join(dir, 'rootfs/data'), { recursive: true });
  writeFileSync(join(dir, 'rootfs/data/blob.bin'), randomBytes(bytes));
  execFileSync('tar', ['-C', join(dir, 'rootfs'), '-czf', join(dir, 'layer.tgz'), '.']);
  return { file: join(dir, 'layer.tgz'), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

test('chunked upload (PATCH in pieces) gives the same image', () => {
  const ref = `${plain!.host}/chunked:1`;
  const sb = sandbox('berth-chunk');
  const layer = uniqueLayer(1_000_000);
  sb.ok(['import', layer.file, ref]);
  layer.cleanup();
  const patches = plain!.count('PATCH', '/chunked/blobs/uploads/');
  const r = execFileSync(BERTH, ['push', ref], {
    env: { ...sb.env, BERTH_PUSH_CHUNK_SIZE: String(256 * 1024) },
    encoding: 'utf8',
  });
  assert.match(r, /: Pushed/);
  assert.ok(plain!.count('PATCH', '/chunked/blobs/uploads/') - patches >= 4, 'the layer went up in several PATCHes');
  const sb2 = sandbox('berth-chunk2');
  sb2.ok(['pull', ref]);
  assert.equal(JSON.parse(sb2.ok(['inspect', ref]))[0].Id, JSON.parse(sb.ok(['inspect', ref]))[0].Id);
});

test('Basic auth: push refused without login; login --password-stdin writes config.json 0600; logout removes it', () => {
  const ref = `${basic!.host}/private/busybox:1`;
  sb1.ok(['tag', 'busybox', ref]);
  const denied = sb1.run(['push', ref]);
  assert.equal(denied.code, 1);
  assert.match(denied.stderr, /unauthorized/i);
  assert.equal(denied.stderr.trim().split('\n').length, 1, denied.stderr);

  const bad = sb1.run(['login', '-u', 'alice', '--password-stdin', basic!.host], { input: 'wrong\n' });
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /unauthorized/i);
  assert.doesNotMatch(bad.stderr, /wrong/);
  assert.equal(
    existsSync(join(dockerConfig, 'config.json')) && JSON.parse(readFileSync(join(dockerConfig, 'config.json'), 'utf8')).auths?.[basic!.host] !== undefined,
    false,
  );

  const ok = sb1.run(['login', '-u', 'alice', '--password-stdin', basic!.host], { input: 'wonderland\n' });
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /Login Succeeded/);
  const file = join(dockerConfig, 'config.json');
  assert.equal(statSync(file).mode & 0o777, 0o600);
  const cfg = JSON.parse(readFileSync(file, 'utf8'));
  assert.equal(Buffer.from(cfg.auths[basic!.host].auth, 'base64').toString(), 'alice:wonderland');

  sb1.ok(['push', ref]);
  const sb2 = sandbox('berth-basic');
  sb2.ok(['pull', ref]);
  // no secret in inspect output
  assert.doesNotMatch(sb2.ok(['inspect', ref]), /wonderland/);

  assert.match(sb1.ok(['logout', basic!.host]), new RegExp(`Removing login credentials for ${basic!.host}`));
  assert.equal(JSON.parse(readFileSync(file, 'utf8')).auths[basic!.host], undefined);
  assert.match(sb1.ok(['logout', basic!.host]), /Not logged in/);
  const sb3 = sandbox('berth-basic3');
  const r = sb3.run(['pull', ref]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /unauthorized/i);
});

test('credential helpers: credHelpers entry is used instead of the file', () => {
  const bin = mkdtempSync(join(tmpdir(), 'berth-credhelper-'));
  const store = join(bin, 'store.json');
  // a docker-credential-<name> speaking the helper protocol (get/store/erase, server on stdin)
  writeFileSync(
    join(bin, 'docker-credential-berthtest'),
    `#!/bin/sh\nin=$(cat)\ncase "$1" in\n get) if [ -f ${store} ]; then cat ${store}; else echo "credentials not found in native keychain"; exit 1; fi ;;\n store) printf '%s' "$in" > ${store} ;;\n erase) rm -f ${store} ;;\nesac\n`,
    { mode: 0o755 },
  );
  const prevPath = process.env.PATH;
  const cfgFile = join(dockerConfig, 'config.json');
  const prev = existsSync(cfgFile) ? readFileSync(cfgFile, 'utf8') : undefined;
  try {
    process.env.PATH = `${bin}:${prevPath}`;
    writeFileSync(cfgFile, JSON.stringify({ auths: {}, credHelpers: { [basic!.host]: 'berthtest' } }), { mode: 0o600 });
    sb1.ok(['login', '-u', 'alice', '--password-stdin', basic!.host], { input: 'wonderland' });
    assert.equal(JSON.parse(readFileSync(store, 'utf8')).Secret, 'wonderland');
    assert.doesNotMatch(readFileSync(cfgFile, 'utf8'), /wonderland|YWxpY2U/);
    const sb = sandbox('berth-helper');
    sb.ok(['pull', `${basic!.host}/private/busybox:1`]);
    sb1.ok(['logout', basic!.host]);
    assert.equal(existsSync(store), false);
  } finally {
    process.env.PATH = prevPath;
    if (prev === undefined) rmSync(cfgFile, { force: true });
    else writeFileSync(cfgFile, prev, { mode: 0o600 });
    rmSync(bin, { recursive: true, force: true });
  }
});

test('Bearer token flow: anonymous refused, login then push and pull with tokens', () => {
  const ref = `${bearer!.host}/team/busybox:1`;
  sb1.ok(['tag', 'busybox', ref]);
  const anon = sb1.run(['push', ref]);
  assert.equal(anon.code, 1);
  assert.match(anon.stderr, /unauthorized|denied/i);
  const bad = sb1.run(['login', '-u', 'bob', '--password-stdin', bearer!.host], { input: 'nope' });
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /unauthorized/);
  sb1.ok(['login', '-u', 'bob', '--password-stdin', bearer!.host], { input: 'builder' });
  sb1.ok(['push', ref]);
  assert.ok(
    tokens!.requests.some((r) => r.user === 'bob' && r.scope.includes('repository:team/busybox:pull,push')),
    JSON.stringify(tokens!.requests),
  );
  const sb = sandbox('berth-bearer');
  sb.ok(['pull', ref]);
  assert.equal(sb.ok(['run', '--rm', '--net', 'none', ref, 'echo', 'token ok']), 'token ok\n');
  sb1.ok(['logout', bearer!.host]);
});

test('a tampered blob is rejected and leaves nothing behind', async () => {
  // an image with a layer of its own, so corrupting it touches no other test's blobs
  const layer = uniqueLayer(300_000);
  const ref = `${plain!.host}/tamper:1`;
  sb1.ok(['import', layer.file, ref]);
  layer.cleanup();
  sb1.ok(['push', ref]);
  const res = await fetch(`http://127.0.0.1:${plain!.port}/v2/tamper/manifests/1`, { headers: { accept: 'application/vnd.oci.image.manifest.v1+json' } });
  const manifest = (await res.json()) as { layers: { digest: string }[] };
  const blob = plain!.blobFile(manifest.layers[0]!.digest);
  // flip a byte in the middle: same size, different content
  const fd = openSync(blob, 'r+');
  const b = Buffer.alloc(1);
  const pos = Math.floor(statSync(blob).size / 2);
  readSync(fd, b, 0, 1, pos);
  b[0] = b[0]! ^ 0xff;
  writeSync(fd, b, 0, 1, pos);
  closeSync(fd);

  const sb = sandbox('berth-tamper');
  const r = sb.run(['pull', ref]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /verification failed for digest sha256:[a-f0-9]{64}/);
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  assert.equal(sb.ok(['images', '-q']).trim(), '');
  assert.deepEqual(listTree(join(sb.root, 'blobs/sha256')), []);
  assert.deepEqual(listTree(join(sb.root, 'layers')), []);
  assert.deepEqual(listTree(join(sb.root, 'tmp')), []);
});

test('404, unreachable and a bad platform: one clear line each', async () => {
  const closed = await freePort();
  const sb = sandbox('berth-errs');
  const nf = sb.run(['pull', `${plain!.host}/nope:1`]);
  assert.equal(nf.code, 1);
  assert.match(nf.stderr, /manifest unknown/);
  assert.equal(nf.stderr.trim().split('\n').length, 1, nf.stderr);
  const un = sb.run(['pull', `127.0.0.1:${closed}/busybox:1`]);
  assert.equal(un.code, 1);
  assert.equal(un.stderr, `Error: Get "http://127.0.0.1:${closed}/v2/": connection refused\n`);
  const bad = sb.run(['push', 'never-tagged:1']);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /does not exist locally/);
  const plat = sb.run(['pull', '--platform', 'linux/s390x', `${plain!.host}/busybox:1`]);
  assert.equal(plat.code, 1);
  assert.match(plat.stderr, /does not match the specified platform/);
  assert.deepEqual(listTree(join(sb.root, 'tmp')), []);
});

test('a manifest list: the entry for this machine is chosen', async () => {
  const base = `http://127.0.0.1:${plain!.port}`;
  const repo = 'multi';
  const src = `${plain!.host}/busybox:1`;
  sb1.ok(['tag', 'busybox', `${plain!.host}/${repo}:real`]);
  sb1.ok(['push', `${plain!.host}/${repo}:real`]);
  const head = await fetch(`${base}/v2/${repo}/manifests/real`, { headers: { accept: 'application/vnd.oci.image.manifest.v1+json' } });
  const realBytes = Buffer.from(await head.arrayBuffer());
  const real = JSON.parse(realBytes.toString());
  const sha = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;
  const put = async (path: string, body: Buffer, type?: string) => {
    const res = await fetch(`${base}${path}`, { method: 'PUT', body, headers: type ? { 'content-type': type } : {} });
    assert.ok(res.status === 201, `${path}: ${res.status} ${await res.text()}`);
  };
  const arch = JSON.parse(sb1.ok(['inspect', src]))[0].Architecture as string;
  const otherArch = arch === 'arm64' ? 'amd64' : 'arm64';
  // an image for another architecture: its own config, the same layer
  const cfg = JSON.parse(sb1.ok(['image', 'inspect', '-f', '{{json .RootFS}}', src]));
  const otherCfg = Buffer.from(JSON.stringify({ architecture: otherArch, os: 'linux', rootfs: { type: 'layers', diff_ids: cfg.Layers }, config: {} }));
  const up = await fetch(`${base}/v2/${repo}/blobs/uploads/`, { method: 'POST' });
  await up.arrayBuffer();
  const loc = new URL(up.headers.get('location')!, base);
  loc.searchParams.set('digest', sha(otherCfg));
  await put(loc.pathname + loc.search, otherCfg);
  const otherMan = Buffer.from(JSON.stringify({ ...real, config: { ...real.config, digest: sha(otherCfg), size: otherCfg.length } }));
  await put(`/v2/${repo}/manifests/${sha(otherMan)}`, otherMan, real.mediaType);
  const index = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: [
        { mediaType: real.mediaType, digest: sha(otherMan), size: otherMan.length, platform: { os: 'linux', architecture: otherArch } },
        { mediaType: real.mediaType, digest: sha(realBytes), size: realBytes.length, platform: { os: 'linux', architecture: arch } },
      ],
    }),
  );
  await put(`/v2/${repo}/manifests/list`, index, 'application/vnd.oci.image.index.v1+json');

  const sb = sandbox('berth-index');
  sb.ok(['pull', `${plain!.host}/${repo}:list`]);
  const doc = JSON.parse(sb.ok(['inspect', `${plain!.host}/${repo}:list`]))[0];
  assert.equal(doc.Architecture, arch);
  assert.deepEqual(doc.RepoDigests, [`${plain!.host}/${repo}@${sha(index)}`]);
  const other = sb.run(['pull', '--platform', `linux/${otherArch}`, `${plain!.host}/${repo}:list`]);
  assert.equal(other.code, 0, other.stderr);
  assert.equal(JSON.parse(sb.ok(['inspect', `${plain!.host}/${repo}:list`]))[0].Architecture, otherArch);
  const none = sb.run(['pull', '--platform', 'linux/riscv64', `${plain!.host}/${repo}:list`]);
  assert.equal(none.code, 1);
  assert.match(none.stderr, /no matching manifest for linux\/riscv64/);
});

test('search lists the registry catalog', () => {
  const out = sb1.ok(['search', `${plain!.host}/busy`]);
  const lines = out.trim().split('\n');
  assert.match(lines[0]!, /^NAME\s+DESCRIPTION\s+STARS\s+OFFICIAL$/);
  assert.ok(
    lines.some((l) => l.startsWith(`${plain!.host}/busybox `) || l.trim() === `${plain!.host}/busybox     0` || l.includes(`${plain!.host}/busybox`)),
    out,
  );
  assert.ok(!lines.some((l) => l.includes('/tamper')), out);
  void readdirSync;
});

test('a download cut off halfway resumes with a Range request and verifies', async () => {
  const layer = uniqueLayer(2_000_000);
  const ref = `${plain!.host}/flaky:1`;
  sb1.ok(['import', layer.file, ref]);
  layer.cleanup();
  sb1.ok(['push', ref]);
  const dir = mkdtempSync(join(tmpdir(), 'berth-flaky-'));
  const proxy = new FlakyProxy(plain!.port, dir);
  try {
    await proxy.start();
    const sb = sandbox('berth-flaky');
    const viaProxy = `${proxy.host}/flaky:1`;
    const out = sb.ok(['pull', viaProxy]);
    assert.match(out, /Pull complete/);
    assert.ok(
      proxy.ranges().some((r) => /^bytes=\d+-$/.test(r) && r !== 'bytes=0-'),
      `resumed with Range: ${proxy.ranges().join(', ')}`,
    );
    assert.equal(JSON.parse(sb.ok(['inspect', viaProxy]))[0].Id, JSON.parse(sb1.ok(['inspect', ref]))[0].Id);
    assert.deepEqual(listTree(join(sb.root, 'tmp')), []);
  } finally {
    await proxy.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
