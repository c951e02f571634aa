/**
 * The tar applier against GNU tar as the reference: a tree with everything a root filesystem
 * holds (absolute and dangling symlinks, links through links, setuid/setgid/sticky modes,
 * numeric owners, hardlinks, FIFOs, devices, binary xattrs and file capabilities, long names,
 * sparse files), archived by GNU tar in each of its formats, applied by berth and by GNU tar:
 * the two trees must be identical. Then berth's own writer → reader round trip, docker's
 * whiteout forms, and the umask playing no part.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  createReadStream,
  lchownSync,
  linkSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
  lutimesSync,
  utimesSync,
  openSync,
  writeSync,
  closeSync,
  ftruncateSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { getAttributeSync, listAttributesSync, setAttributeSync } from '@napi-rs/xattr';
import { ApplyStream } from '../../src/engine/fs/apply-tar.js';
import { packInto } from '../../src/engine/fs/pack-tree.js';
import { makeTar } from '../helpers/tar.js';

let dir: string;
let src: string;

/** File capability bytes with high-bit bytes in them (cap_setfcap is bit 31 → 0x80). */
const CAP = Buffer.from('0100000200200080000000000000000000000000', 'hex');

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'berth-apply-'));
  src = join(dir, 'src');
  makeTree(src);
});
after(() => rmSync(dir, { recursive: true, force: true }));

function makeTree(root: string): void {
  const p = (...x: string[]) => join(root, ...x);
  for (const d of ['usr/bin', 'usr/lib/x86_64-linux-gnu', 'etc/alternatives', 'usr/share/man/pl/man1', 'var/mail', 'dev', 'srv/deep'])
    mkdirSync(p(d), { recursive: true });
  writeFileSync(p('usr/bin/busybox'), 'binary');
  symlinkSync('usr/bin', p('bin')); // relative, to a directory
  symlinkSync('/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2', p('usr/lib/ld-linux.so')); // absolute, dangling here
  symlinkSync('/bin/busybox', p('usr/bin/sh')); // absolute, through a link
  symlinkSync('/usr/bin/which.debianutils', p('etc/alternatives/which.1.gz'));
  symlinkSync('/etc/alternatives/which.1.gz', p('usr/share/man/pl/man1/which.1.gz')); // a chain of links
  symlinkSync('../../nowhere/at/all', p('srv/dangling'));
  mkdirSync(p('tmp'));
  chmodSync(p('tmp'), 0o1777);
  chmodSync(p('var/mail'), 0o2775);
  chownSync(p('var/mail'), 0, 8);
  writeFileSync(p('usr/bin/passwd'), 'suid');
  chmodSync(p('usr/bin/passwd'), 0o4755);
  writeFileSync(p('usr/bin/wall'), 'sgid');
  chownSync(p('usr/bin/wall'), 0, 5);
  chmodSync(p('usr/bin/wall'), 0o2755);
  writeFileSync(p('srv/group-write'), 'gw');
  chmodSync(p('srv/group-write'), 0o664);
  writeFileSync(p('srv/world-write'), 'ww');
  chmodSync(p('srv/world-write'), 0o666);
  writeFileSync(p('srv/owned'), 'o');
  chownSync(p('srv/owned'), 1234, 5678);
  lchownSync(p('srv/dangling'), 4321, 8765);
  writeFileSync(p('usr/bin/ping'), 'ping');
  setAttributeSync(p('usr/bin/ping'), 'security.capability', CAP);
  writeFileSync(p('srv/xattr'), 'x');
  setAttributeSync(p('srv/xattr'), 'user.binary', Buffer.from([0, 0x80, 0xff, 0x0a, 0x3d]));
  linkSync(p('usr/bin/busybox'), p('usr/bin/hard'));
  execFileSync('mkfifo', [p('srv/fifo')]);
  execFileSync('mknod', ['-m', '0666', p('dev/null'), 'c', '1', '3']);
  execFileSync('mknod', ['-m', '0660', p('dev/sda'), 'b', '8', '0']);
  const long = p('srv/deep', `${'n'.repeat(120)}/${'m'.repeat(130)}`);
  mkdirSync(long, { recursive: true });
  writeFileSync(join(long, `${'f'.repeat(200)}.txt`), 'long');
  symlinkSync(`/${'t'.repeat(180)}/target`, p('srv/longlink'));
  // sparse: 1 MiB hole, 4 KiB of data, a hole to 3 MiB
  const fd = openSync(p('srv/sparse'), 'w');
  writeSync(fd, Buffer.alloc(4096, 7), 0, 4096, 1 << 20);
  ftruncateSync(fd, 3 << 20);
  closeSync(fd);
  // times last (creating children changes a directory's mtime)
  lutimesSync(p('srv/dangling'), 1_000_000, 1_000_000);
  utimesSync(p('usr/bin/busybox'), 1_200_000_000, 1_200_000_000);
  utimesSync(p('srv'), 1_500_000_000, 1_500_000_000);
}

/** Every path with its mode, owner, type, link, size, link count, mtime, content hash, xattrs. */
function listing(root: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    const abs = rel ? join(root, rel) : root;
    const st = lstatSync(abs);
    const type = st.isDirectory() ? 'd' : st.isSymbolicLink() ? 'l' : st.isFIFO() ? 'p' : st.isCharacterDevice() ? 'c' : st.isBlockDevice() ? 'b' : 'f';
    const link = type === 'l' ? readlinkSync(abs) : '';
    const body = type === 'f' ? createHash('sha256').update(readFileSync(abs)).digest('hex').slice(0, 12) : '';
    const size = type === 'd' ? '' : String(st.size);
    const x =
      type === 'l'
        ? []
        : listAttributesSync(abs)
            .sort()
            .map((n) => `${n}=${getAttributeSync(abs, n)?.toString('hex')}`);
    const mtime = type === 'd' && rel === '' ? '' : Math.floor(st.mtimeMs / 1000);
    out.push([rel || '.', (st.mode & 0o7777).toString(8), `${st.uid}:${st.gid}`, type, link, size, st.nlink, st.rdev, mtime, body, x.join(',')].join(' '));
    if (type === 'd') for (const n of readdirSync(abs).sort()) walk(rel ? `${rel}/${n}` : n);
  };
  walk('');
  return out;
}

function gnuTar(args: string[], xattrs = true): Buffer {
  return execFileSync('tar', ['--numeric-owner', ...(xattrs ? ['--xattrs', '--xattrs-include=*'] : []), ...args, '-C', src, '.'], { maxBuffer: 64 << 20 });
}

/** The listing without its xattrs column (for formats that cannot carry them). */
const noXattrs = (l: string[]) => l.map((x) => x.replace(/ [^ ]*$/, ' '));

async function apply(tar: Buffer | Readable, opts: Partial<ConstructorParameters<typeof ApplyStream>[1]> = {}): Promise<string> {
  const dest = mkdtempSync(join(dir, 'out-'));
  await pipeline(Buffer.isBuffer(tar) ? Readable.from([tar]) : tar, new ApplyStream(dest, { what: 'test', rootMeta: true, ...opts }));
  return dest;
}

function blocksOf(p: string): number {
  return lstatSync(p).blocks;
}

const formats: [string, string[], boolean][] = [
  ['posix (PAX, sparse 1.0)', ['--format=posix', '--sparse'], true],
  ['posix, sparse 0.1', ['--format=posix', '--sparse', '--sparse-version=0.1'], true],
  ['posix, sparse 0.0', ['--format=posix', '--sparse', '--sparse-version=0.0'], true],
  ['gnu (long names and links, old sparse; no xattrs)', ['--format=gnu', '--sparse'], false],
];

for (const [name, args, xattrs] of formats) {
  test(`GNU tar ${name}: berth applies exactly what the source holds`, async () => {
    const want = xattrs ? listing(src) : noXattrs(listing(src));
    const got = await apply(gnuTar(['-c', ...args, '-f', '-'], xattrs));
    assert.deepEqual(xattrs ? listing(got) : noXattrs(listing(got)), want);
    // holes stay holes: 4 KiB of data in a 3 MiB file
    assert.ok(blocksOf(join(got, 'srv/sparse')) * 512 < 64 * 1024, 'sparse file should keep its holes');
    rmSync(got, { recursive: true, force: true });
  });
}

test('ustar and v7 archives (no xattrs, short names) apply like GNU tar extracts them', async () => {
  for (const fmt of ['ustar', 'v7']) {
    const ref = mkdtempSync(join(dir, 'ref-'));
    // GNU tar warns (and exits non-zero) about what the format cannot hold: it leaves it out
    const tar = spawnSync('tar', ['--numeric-owner', `--format=${fmt}`, '-c', '-f', '-', '-C', src, '--exclude=./srv/deep', '--exclude=./srv/longlink', '.'], {
      maxBuffer: 64 << 20,
    }).stdout;
    execFileSync('tar', ['--numeric-owner', '--same-permissions', '--same-owner', '-x', '-f', '-', '-C', ref], { input: tar, maxBuffer: 64 << 20 });
    const got = await apply(tar);
    // v7 has no device or FIFO types and GNU tar then skips them; we both see the same tree
    assert.deepEqual(
      listing(got).filter((l) => !l.startsWith('. ')),
      listing(ref).filter((l) => !l.startsWith('. ')),
      fmt,
    );
    rmSync(ref, { recursive: true, force: true });
    rmSync(got, { recursive: true, force: true });
  }
});

test("berth's own writer and reader round-trip the tree, binary xattrs and all", async () => {
  const dest = mkdtempSync(join(dir, 'rt-'));
  await packInto(src, { as: '' }, (tar) => pipeline(tar, new ApplyStream(dest, { what: 'test' })));
  // the writer keeps whole-second mtimes (as moby does); everything else is identical
  assert.deepEqual(listing(dest).slice(1), listing(src).slice(1));
  assert.deepEqual(getAttributeSync(join(dest, 'usr/bin/ping'), 'security.capability'), CAP);
  // GNU tar reads what berth writes: same tree again
  const chunks: Buffer[] = [];
  await packInto(src, { as: '' }, async (tar) => {
    for await (const c of tar) chunks.push(c as Buffer);
  });
  const ref = mkdtempSync(join(dir, 'gnu-'));
  execFileSync('tar', ['--numeric-owner', '--xattrs', '--xattrs-include=*', '--same-permissions', '--same-owner', '-x', '-f', '-', '-C', ref], {
    input: Buffer.concat(chunks),
    maxBuffer: 64 << 20,
  });
  assert.deepEqual(listing(ref).slice(1), listing(src).slice(1));
  rmSync(ref, { recursive: true, force: true });
  rmSync(dest, { recursive: true, force: true });
});

test('the umask plays no part: 1777, 2775 and 0666 stay as archived', async () => {
  const old = process.umask(0o077);
  try {
    const got = await apply(gnuTar(['-c', '--format=posix', '-f', '-']));
    assert.equal(lstatSync(join(got, 'tmp')).mode & 0o7777, 0o1777);
    assert.equal(lstatSync(join(got, 'var/mail')).mode & 0o7777, 0o2775);
    assert.equal(lstatSync(join(got, 'srv/world-write')).mode & 0o7777, 0o666);
    rmSync(got, { recursive: true, force: true });
    // parents the archive does not list are 0755, not 0700
    const implicit = await apply(await makeTar([{ name: 'a/b/c', body: 'x' }]));
    assert.equal(lstatSync(join(implicit, 'a')).mode & 0o7777, 0o755);
    rmSync(implicit, { recursive: true, force: true });
  } finally {
    process.umask(old);
  }
});

test("docker's whiteouts apply whatever their tar type or link name; aufs metadata is skipped", async () => {
  const tar = await makeTar([
    { name: 'etc/', type: 'directory' },
    // dockerd 20.10 writes whiteouts as regular files that carry a link name
    { name: 'etc/.wh.gone', type: 'file', linkname: 'etc/gone', body: '' },
    { name: 'etc/.wh.link-form', type: 'link', linkname: 'etc/.wh.gone' },
    { name: 'usr/.wh..wh..opq', body: '' },
    { name: '.wh..wh.plnk/', type: 'directory' },
    { name: '.wh..wh.aufs', body: '' },
  ]);
  const got = await apply(tar, { whiteouts: true });
  for (const n of ['etc/gone', 'etc/link-form']) {
    const st = lstatSync(join(got, n));
    assert.ok(st.isCharacterDevice() && st.rdev === 0, n);
  }
  assert.equal(getAttributeSync(join(got, 'usr'), 'trusted.overlay.opaque')?.toString(), 'y');
  assert.deepEqual(readdirSync(got).sort(), ['etc', 'usr']);
  rmSync(got, { recursive: true, force: true });
});

test("overlay's own xattrs are refused from a tar", async () => {
  const tar = await makeTar([{ name: 'd/', type: 'directory', pax: { 'SCHILY.xattr.trusted.overlay.redirect': '/etc' } }]);
  await assert.rejects(apply(tar, { whiteouts: true }), /trusted\.overlay\.redirect/);
});

test('a later entry replaces an earlier one at the same path, as docker applies them', async () => {
  const tar = await makeTar([
    { name: 'x/', type: 'directory' },
    { name: 'x/inner', body: 'in' },
    { name: 'x', body: 'now a file' },
    { name: 'y', body: 'file first' },
    { name: 'y/', type: 'directory' },
    { name: 'l', type: 'symlink', linkname: '/etc' },
    { name: 'l', body: 'the link is gone, nothing went through it' },
  ]);
  const got = await apply(tar);
  assert.equal(readFileSync(join(got, 'x'), 'utf8'), 'now a file');
  assert.ok(lstatSync(join(got, 'y')).isDirectory());
  assert.equal(readFileSync(join(got, 'l'), 'utf8'), 'the link is gone, nothing went through it');
  rmSync(got, { recursive: true, force: true });
});

test('onto a tree: parents are resolved inside it, a link never leads out', async () => {
  const tree = mkdtempSync(join(dir, 'tree-'));
  mkdirSync(join(tree, 'usr/bin'), { recursive: true });
  symlinkSync('usr/bin', join(tree, 'bin'));
  symlinkSync('/', join(tree, 'escape'));
  const { resolveScoped } = await import('../../src/engine/fs/scoped-path.js');
  const resolveDir = (rel: string) => resolveScoped(`/${rel}`, (p) => join(tree, p));
  await pipeline(
    Readable.from([
      await makeTar([
        { name: 'bin/tool', body: 't' },
        { name: 'escape/tmp/berth-escape-check', body: 'no' },
      ]),
    ]),
    new ApplyStream(tree, { what: 'cp', resolveDir, owner: { uid: 0, gid: 0 } }),
  );
  assert.equal(readFileSync(join(tree, 'usr/bin/tool'), 'utf8'), 't');
  assert.equal(readFileSync(join(tree, 'tmp/berth-escape-check'), 'utf8'), 'no');
  assert.throws(() => lstatSync('/tmp/berth-escape-check'));
  rmSync(tree, { recursive: true, force: true });
});
