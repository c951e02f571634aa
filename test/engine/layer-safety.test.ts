/** Hostile and broken layer tarballs: refused whole, nothing written outside, store unchanged. */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, statSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { spawn } from 'node:child_process';
import { getAttributeSync } from '@napi-rs/xattr';
import { EmbeddedEngine } from '../../src/engine/embedded.js';
import { makeTar } from '../helpers/tar.js';
import { Sandbox, BERTH } from '../helpers/berth.js';
import { waitFor } from '../helpers/wait.js';

let dir: string;
let engine: EmbeddedEngine;
let outside: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'berth-layers-'));
  outside = join(dir, 'outside');
  engine = new EmbeddedEngine({ root: join(dir, 'root'), runRoot: join(dir, 'run') });
});
after(async () => {
  await engine.close();
  rmSync(dir, { recursive: true, force: true });
});

function storeIsEmpty(): void {
  assert.deepEqual(readdirSync(engine.paths.layers), []);
  assert.deepEqual(readdirSync(engine.paths.blobs), []);
  assert.deepEqual(readdirSync(engine.paths.tmp), []);
  assert.equal(engine.store.images().length, 0);
}

const hostile: [string, Parameters<typeof makeTar>[0]][] = [
  ['dot-dot path', [{ name: '../outside-file', body: 'x' }]],
  ['deep dot-dot path', [{ name: 'a/../../../../outside-file', body: 'x' }]],
  [
    'write through a symlink to an absolute dir',
    [
      { name: 'link', type: 'symlink', linkname: '/tmp' },
      { name: 'link/berth-evil', body: 'x' },
    ],
  ],
  [
    'write through a relative symlink out',
    [
      { name: 'up', type: 'symlink', linkname: '../../../../../..' },
      { name: 'up/tmp/berth-evil', body: 'x' },
    ],
  ],
  ['hardlink pointing out', [{ name: 'hl', type: 'link', linkname: '../../../../etc/passwd' }]],
  [
    'whiteout through a symlink',
    [
      { name: 'l', type: 'symlink', linkname: '/etc' },
      { name: 'l/.wh.passwd', body: '' },
    ],
  ],
  [
    'opaque marker through a symlink',
    [
      { name: 'l2', type: 'symlink', linkname: '/etc' },
      { name: 'l2/.wh..wh..opq', body: '' },
    ],
  ],
];

for (const [name, entries] of hostile) {
  test(`refuses a layer with a ${name}`, async () => {
    const tar = await makeTar(entries);
    await assert.rejects(engine.images.import(Readable.from(tar), { reference: 'evil' }), /unsafe|escapes|symlink|invalid/);
    storeIsEmpty();
    assert.equal(existsSync(join(dir, 'outside-file')), false);
    assert.equal(existsSync('/tmp/berth-evil'), false);
    assert.ok(statSync('/etc/passwd').isFile());
  });
}

test('absolute paths are kept inside the layer (leading / stripped, as docker does)', async () => {
  const tar = await makeTar([{ name: `${outside}/abs-file`, body: 'x' }]);
  const id = await engine.images.import(Readable.from(tar), { reference: 'abs' });
  assert.equal(existsSync(`${outside}/abs-file`), false);
  const diff = engine.store.diffDir(engine.store.layersOf(id)[0]!);
  assert.ok(existsSync(join(diff, outside, 'abs-file')));
  await engine.images.remove('abs');
  storeIsEmpty();
});

test('device nodes and FIFOs are created as in the tar; whiteouts become overlay whiteouts', async () => {
  const tar = await makeTar([
    { name: 'dev/', type: 'directory' },
    { name: 'dev/sda', type: 'block-device', devmajor: 8, devminor: 0 },
    { name: 'etc/', type: 'directory' },
    { name: 'etc/.wh.gone', body: '' },
    { name: 'opaque/', type: 'directory' },
    { name: 'opaque/.wh..wh..opq', body: '' },
    { name: 'opaque/kept', body: 'k' },
  ]);
  const id = await engine.images.import(Readable.from(tar), { reference: 'wh' });
  const diff = engine.store.diffDir(engine.store.layersOf(id)[0]!);
  const dev = statSync(join(diff, 'dev/sda'));
  assert.ok(dev.isBlockDevice());
  assert.equal(dev.rdev, (8 << 8) | 0);
  const wh = statSync(join(diff, 'etc/gone'));
  assert.ok(wh.isCharacterDevice());
  assert.equal(wh.rdev, 0);
  assert.equal(getAttributeSync(join(diff, 'opaque'), 'trusted.overlay.opaque')?.toString(), 'y');
  assert.equal(existsSync(join(diff, 'opaque/.wh..wh..opq')), false);
  await engine.images.remove('wh');
});

test('garbage, truncated and oversized-header archives are refused, store unchanged', async () => {
  const good = await makeTar([{ name: 'a', body: 'x'.repeat(5000) }]);
  const cases: [string, Buffer][] = [
    ['not a tar', Buffer.from('this is not a tarball at all, just text\n'.repeat(40))],
    ['truncated', good.subarray(0, 700)],
    ['empty input', Buffer.alloc(0)],
  ];
  for (const [name, buf] of cases) {
    await assert.rejects(engine.images.import(Readable.from([buf]), { reference: 'bad' }), /invalid/, name);
    storeIsEmpty();
  }
});

test('huge headers neither crash nor escape: refused, or imported harmlessly', async () => {
  for (const pax of [{ comment: 'y'.repeat(2 * 1024 * 1024) }, { path: `${'d/'.repeat(700_000)}f` }, { linkpath: '../'.repeat(400_000) }]) {
    const tar = await makeTar([{ name: 'p', body: 'x', pax }]);
    try {
      await engine.images.import(Readable.from(tar), { reference: 'huge' });
      await engine.images.remove('huge');
    } catch (e) {
      assert.match((e as Error).message, /invalid|unsafe/);
    }
    storeIsEmpty();
  }
});

test('a load or import killed mid-way leaves nothing once berth runs again', async () => {
  const sb = new Sandbox('berth-kill');
  try {
    sb.ok(['images']);
    const child = spawn(BERTH, ['import', '-', 'half'], { env: sb.env, stdio: ['pipe', 'ignore', 'ignore'] });
    child.stdin.on('error', () => undefined); // EPIPE once we kill it
    child.stdin.write(await makeTar([{ name: 'big', body: Buffer.alloc(4 * 1024 * 1024, 1) }]).then((b) => b.subarray(0, 3 * 1024 * 1024)));
    // wait until its staging dir exists, then kill -9
    await waitFor('the import to start staging', () => existsSync(join(sb.root, 'tmp')) && readdirSync(join(sb.root, 'tmp')).length > 0).catch(() => undefined);
    assert.ok(readdirSync(join(sb.root, 'tmp')).length > 0, 'import should have started staging');
    child.kill('SIGKILL');
    await new Promise((r) => child.on('exit', r));
    assert.equal(sb.ok(['images', '-q']).trim(), '');
    assert.deepEqual(readdirSync(join(sb.root, 'tmp')), []);
    assert.deepEqual(readdirSync(join(sb.root, 'layers')), []);
    assert.deepEqual(readdirSync(join(sb.root, 'blobs/sha256')), []);
  } finally {
    sb.dispose();
  }
});

test('concurrent writers never fail with "database is locked"', async () => {
  const sb = new Sandbox('berth-conc');
  try {
    const tar = join(sb.dir, 'l.tar');
    writeFileSync(tar, await makeTar([{ name: 'f', body: 'same' }]));
    const runs = Array.from(
      { length: 8 },
      (_, i) =>
        new Promise<{ code: number | null; err: string }>((res) => {
          const c = spawn(BERTH, ['import', tar, `conc:${i}`], { env: sb.env });
          let err = '';
          c.stderr.on('data', (d) => (err += d));
          c.on('exit', (code) => res({ code, err }));
        }),
    );
    const results = await Promise.all(runs);
    for (const r of results) assert.equal(r.code, 0, r.err);
    assert.equal(sb.ok(['images', '--format', '{{.Tag}}']).trim().split('\n').length, 8);
  } finally {
    sb.dispose();
  }
});
