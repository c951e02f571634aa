/**
 * The embedded engine's volume copies (volumes.copyFrom/copyTo/stat, what the dashboard's file
 * browser copies a volume's files with): `berth cp`'s archive code with the volume's top as the
 * root. A volume holding `data/link -> /etc`, an absolute link to a host directory and relative
 * links climbing with `..`: copies in through them land inside the volume, copies out of them
 * give what they point to inside the volume; modes, owners and a directory tree are kept; cp's
 * errors for missing paths; nothing is ever written outside the volume. A volume is only a
 * directory: no container, mount or network is made here.
 */
import { test, before, after } from 'node:test';
import { Readable } from 'node:stream';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Sandbox } from '../helpers/berth.js';
import { NEEDS_ROOT } from '../helpers/tools.js';
import { EmbeddedEngine } from '../../src/engine/embedded.js';
import { isEngineError } from '../../src/engine/errors.js';
import { extractOneFile, extractToHost, packHostPath } from '../../src/engine/archive.js';
import { makeTar, type TarEntry } from '../helpers/tar.js';

/** A tar of the given entries, as a stream. */
const tarOf = async (entries: TarEntry[]): Promise<Readable> => Readable.from([await makeTar(entries)]);

let sb: Sandbox;
let engine: EmbeddedEngine;
let vol: string; // the volume's directory on the host
let outside: string; // a host directory the volume's links point at: must stay as it is
let work: string;
/** A name no host file has: a copy through `data/link -> /etc` that escaped would make /etc/<it>. */
const unique = `berth-volume-copy-${randomBytes(6).toString('hex')}`;

before(async () => {
  if (NEEDS_ROOT) throw new Error(NEEDS_ROOT);
  sb = new Sandbox('berth-volume-copy');
  // Only the engine's state directory is used: no `berth system reset` afterwards (nothing to reset).
  engine = new EmbeddedEngine({ root: sb.root, runRoot: sb.runRoot });
  vol = (await engine.volumes.create({ name: 'vol' })).mountpoint;
  outside = join(sb.dir, 'outside');
  mkdirSync(outside);
  writeFileSync(join(outside, 'target.txt'), 'host file\n');
  work = mkdtempSync(join(sb.dir, 'work-'));
  // The volume: its own etc, links that would leave it if followed on the host.
  mkdirSync(join(vol, 'etc'));
  writeFileSync(join(vol, 'etc', 'conf'), 'inside\n');
  chmodSync(join(vol, 'etc', 'conf'), 0o640);
  mkdirSync(join(vol, 'data'));
  symlinkSync('/etc', join(vol, 'data', 'link'));
  symlinkSync(outside, join(vol, 'abs'));
  symlinkSync('../../../../../../..', join(vol, 'data', 'up'));
  symlinkSync(join(outside, 'target.txt'), join(vol, 'hostfile'));
});

after(async () => {
  await engine?.close();
  // A failed confinement test must not leave a file in the host's /etc.
  rmSync(join('/etc', unique), { force: true });
  if (sb) rmSync(sb.dir, { recursive: true, force: true });
});

/** Everything under `dir`, relative, sorted (to see that nothing appeared). */
function tree(dir: string, pre = ''): string[] {
  const out: string[] = [];
  for (const n of readdirSync(dir).sort()) {
    const rel = pre ? `${pre}/${n}` : n;
    out.push(rel);
    const st = lstatSync(join(dir, n));
    if (st.isDirectory()) out.push(...tree(join(dir, n), rel));
  }
  return out;
}

const outsideBefore = () => assert.deepEqual(tree(outside), ['target.txt']);

async function rejects(p: Promise<unknown>, kind: 'not-found' | 'invalid', message: string | RegExp): Promise<void> {
  await assert.rejects(p, (e: Error) => {
    assert.ok(isEngineError(e, kind), `${kind}: ${e.message}`);
    if (typeof message === 'string') assert.equal(e.message, message);
    else assert.match(e.message, message);
    return true;
  });
}

test("copy in through data/link -> /etc lands in the volume's etc; the host /etc is untouched", async () => {
  const src = join(work, unique);
  writeFileSync(src, 'through the link\n');
  await engine.volumes.copyTo('vol', '/data/link', packHostPath(src, unique));
  assert.equal(readFileSync(join(vol, 'etc', unique), 'utf8'), 'through the link\n');
  assert.ok(!existsSync(join('/etc', unique)), 'nothing written in the host /etc');
  // the link is still the link it was
  assert.equal(readlinkSync(join(vol, 'data', 'link')), '/etc');
  // deeper: data/link/sub/x through the link, a directory made inside the volume
  await engine.volumes.copyTo(
    'vol',
    '/data/link/',
    await tarOf([
      { name: 'sub', type: 'directory' },
      { name: 'sub/x', type: 'file', body: 'x\n' },
    ]),
  );
  assert.equal(readFileSync(join(vol, 'etc', 'sub', 'x'), 'utf8'), 'x\n');
  rmSync(join(vol, 'etc', 'sub'), { recursive: true });
  rmSync(join(vol, 'etc', unique));
});

test("copy out of the link gives what it points to inside the volume, not the host's /etc", async () => {
  // the link itself, as docker's archive API gives a link as the last element
  const link = await engine.volumes.copyFrom('vol', '/data/link');
  assert.equal(link.stat.linkTarget, '/etc');
  const one = join(work, 'link-itself');
  await extractOneFile(link.stream, one);
  assert.equal(readlinkSync(one), '/etc');
  // a trailing "/" follows it: the volume's etc, holding conf only
  const followed = await engine.volumes.copyFrom('vol', '/data/link/');
  assert.equal(followed.stat.isDir, true);
  const dir = join(work, 'followed');
  mkdirSync(dir);
  await extractToHost(followed.stream, dir, 0);
  assert.deepEqual(tree(dir), ['link', 'link/conf']);
  assert.equal(readFileSync(join(dir, 'link', 'conf'), 'utf8'), 'inside\n');
  // a file behind the link
  const conf = await engine.volumes.copyFrom('vol', '/data/link/conf');
  assert.equal(conf.stat.mode & 0o777, 0o640);
  await extractOneFile(conf.stream, join(work, 'conf'));
  assert.equal(readFileSync(join(work, 'conf'), 'utf8'), 'inside\n');
  // /etc/passwd exists on the host, not in the volume
  await rejects(engine.volumes.copyFrom('vol', '/data/link/passwd'), 'not-found', 'Could not find the file /data/link/passwd in volume vol');
  // an absolute link to a host directory: resolved inside the volume, where it does not exist
  await rejects(engine.volumes.copyFrom('vol', '/abs/target.txt'), 'not-found', 'Could not find the file /abs/target.txt in volume vol');
  await rejects(engine.volumes.stat('vol', '/abs/'), 'not-found', 'Could not find the file /abs/ in volume vol');
  assert.equal((await engine.volumes.stat('vol', '/abs')).linkTarget, outside);
});

test(".. and links climbing out stop at the volume's top, in and out", async () => {
  // out: "/../../../etc/conf" is the volume's /etc/conf; data/up/etc/conf too
  for (const p of ['/../../../etc/conf', '/data/up/etc/conf', '../etc/conf']) {
    const r = await engine.volumes.copyFrom('vol', p);
    const got = join(work, `up-${randomBytes(3).toString('hex')}`);
    await extractOneFile(r.stream, got);
    assert.equal(readFileSync(got, 'utf8'), 'inside\n', p);
  }
  await rejects(engine.volumes.copyFrom('vol', '/../../../etc/passwd'), 'not-found', 'Could not find the file /../../../etc/passwd in volume vol');
  // in: a destination of ".." is the volume's top
  await engine.volumes.copyTo('vol', '/../..', await tarOf([{ name: 'top.txt', type: 'file', body: 'top\n' }]));
  assert.equal(readFileSync(join(vol, 'top.txt'), 'utf8'), 'top\n');
  rmSync(join(vol, 'top.txt'));
  // through data/up (a relative link climbing past the top): the volume's top
  await engine.volumes.copyTo('vol', '/data/up', await tarOf([{ name: 'up.txt', type: 'file', body: 'up\n' }]));
  assert.equal(readFileSync(join(vol, 'up.txt'), 'utf8'), 'up\n');
  rmSync(join(vol, 'up.txt'));
  // an entry climbing with "..": refused, nothing written beside the volume
  const beside = tree(join(vol, '..'));
  await rejects(
    engine.volumes.copyTo('vol', '/data', await tarOf([{ name: '../../../escape.txt', type: 'file', body: 'no\n' }])),
    'invalid',
    /path escapes its root/,
  );
  assert.deepEqual(tree(join(vol, '..')), beside);
  outsideBefore();
});

test("an archive cannot write out through a link, its own or the volume's", async () => {
  // its own: a link to the host directory, then a file under it -> inside the volume
  await engine.volumes.copyTo(
    'vol',
    '/',
    await tarOf([
      { name: 'esc', type: 'symlink', linkname: outside },
      { name: 'esc/pwn.txt', type: 'file', body: 'pwn\n' },
      { name: 'climb', type: 'symlink', linkname: '../../../../../../..' },
      { name: 'climb/pwn2.txt', type: 'file', body: 'pwn2\n' },
    ]),
  );
  outsideBefore();
  assert.equal(readFileSync(join(vol, outside, 'pwn.txt'), 'utf8'), 'pwn\n');
  assert.equal(readFileSync(join(vol, 'pwn2.txt'), 'utf8'), 'pwn2\n');
  // the volume's: abs -> the host directory
  await engine.volumes.copyTo('vol', '/abs', await tarOf([{ name: 'pwn3.txt', type: 'file', body: 'pwn3\n' }]));
  outsideBefore();
  assert.equal(readFileSync(join(vol, outside, 'pwn3.txt'), 'utf8'), 'pwn3\n');
  // a file over a link to a host file replaces the link, never writes through it
  await engine.volumes.copyTo('vol', '/', await tarOf([{ name: 'hostfile', type: 'file', body: 'mine\n' }]));
  assert.equal(readFileSync(join(outside, 'target.txt'), 'utf8'), 'host file\n');
  assert.ok(lstatSync(join(vol, 'hostfile')).isFile());
  assert.equal(readFileSync(join(vol, 'hostfile'), 'utf8'), 'mine\n');
  // a hardlink to a path outside the archive's root: refused
  await rejects(
    engine.volumes.copyTo('vol', '/', await tarOf([{ name: 'hl', type: 'link', linkname: '../../../etc/passwd' }])),
    'invalid',
    /path escapes its root/,
  );
  assert.ok(!existsSync(join(vol, 'hl')));
  outsideBefore();
  for (const p of ['esc', 'climb', 'pwn2.txt', 'hostfile', outside.split('/')[1]!]) rmSync(join(vol, p), { recursive: true, force: true });
  symlinkSync(join(outside, 'target.txt'), join(vol, 'hostfile'));
});

test('a link with a non-ASCII name is followed inside the volume too (archive names are bytes)', async () => {
  symlinkSync(outside, join(vol, 'café'));
  mkdirSync(join(vol, 'ünï'));
  symlinkSync('/etc', join(vol, 'ünï', 'lïnk'));
  try {
    await engine.volumes.copyTo(
      'vol',
      '/',
      await tarOf([
        { name: 'café/pwn.txt', type: 'file', body: 'pwn\n' },
        { name: 'ünï/lïnk/deep.txt', type: 'file', body: 'deep\n' },
      ]),
    );
    outsideBefore();
    assert.equal(readFileSync(join(vol, outside, 'pwn.txt'), 'utf8'), 'pwn\n');
    assert.equal(readFileSync(join(vol, 'etc', 'deep.txt'), 'utf8'), 'deep\n');
    assert.equal(readlinkSync(join(vol, 'café')), outside);
    // through the volume's own link as the destination, named in text
    await engine.volumes.copyTo('vol', '/café', await tarOf([{ name: 'pwn2.txt', type: 'file', body: 'pwn2\n' }]));
    outsideBefore();
    assert.equal(readFileSync(join(vol, outside, 'pwn2.txt'), 'utf8'), 'pwn2\n');
  } finally {
    for (const p of ['café', 'ünï', 'etc/deep.txt', outside.split('/')[1]!]) rmSync(join(vol, p), { recursive: true, force: true });
  }
});

test('a directory tree in and out: modes, links and contents kept; owners root unless copyUIDGID', async () => {
  const src = join(work, 'site');
  mkdirSync(join(src, 'private'), { recursive: true });
  mkdirSync(join(src, 'bin'));
  writeFileSync(join(src, 'index.html'), '<p>hi</p>\n');
  writeFileSync(join(src, 'private', 'key'), 'secret\n');
  writeFileSync(join(src, 'bin', 'run'), '#!/bin/sh\necho run\n');
  symlinkSync('bin/run', join(src, 'start'));
  chmodSync(join(src, 'private'), 0o700);
  chmodSync(join(src, 'private', 'key'), 0o600);
  chmodSync(join(src, 'bin', 'run'), 0o4755);
  chmodSync(join(src, 'index.html'), 0o644);
  const modes = (root: string) =>
    Object.fromEntries(
      tree(root).map((p) => [
        p,
        lstatSync(join(root, p)).isSymbolicLink() ? `-> ${readlinkSync(join(root, p))}` : (lstatSync(join(root, p)).mode & 0o7777).toString(8),
      ]),
    );
  const want = modes(src);
  await engine.volumes.copyTo('vol', '/data', packHostPath(src, 'site'));
  assert.deepEqual(modes(join(vol, 'data', 'site')), want);
  for (const p of tree(join(vol, 'data', 'site'))) {
    const st = lstatSync(join(vol, 'data', 'site', p));
    assert.deepEqual([st.uid, st.gid], [0, 0], p);
  }
  assert.equal(readFileSync(join(vol, 'data', 'site', 'private', 'key'), 'utf8'), 'secret\n');
  // out again to a new directory on the host: the same tree
  const back = await engine.volumes.copyFrom('vol', '/data/site');
  assert.equal(back.stat.isDir, true);
  const dest = join(work, 'back');
  mkdirSync(dest);
  await extractToHost(back.stream, dest, 1);
  assert.deepEqual(modes(dest), want);
  assert.equal(readFileSync(join(dest, 'bin', 'run'), 'utf8'), '#!/bin/sh\necho run\n');
  // owners: the archive's with copyUIDGID (cp -a), root without
  await engine.volumes.copyTo('vol', '/data', await tarOf([{ name: 'owned', type: 'file', uid: 1234, gid: 4321, body: 'o\n' }]), { copyUIDGID: true });
  assert.deepEqual([lstatSync(join(vol, 'data', 'owned')).uid, lstatSync(join(vol, 'data', 'owned')).gid], [1234, 4321]);
  await engine.volumes.copyTo('vol', '/data', await tarOf([{ name: 'owned', type: 'file', uid: 1234, gid: 4321, body: 'o\n' }]));
  assert.deepEqual([lstatSync(join(vol, 'data', 'owned')).uid, lstatSync(join(vol, 'data', 'owned')).gid], [0, 0]);
  rmSync(join(vol, 'data', 'site'), { recursive: true });
  rmSync(join(vol, 'data', 'owned'));
});

test("cp's errors: a missing path, a file as the destination, a missing volume; nothing written", async () => {
  const before = tree(vol);
  await rejects(engine.volumes.copyFrom('vol', '/nope'), 'not-found', 'Could not find the file /nope in volume vol');
  await rejects(engine.volumes.stat('vol', '/nope/x'), 'not-found', 'Could not find the file /nope/x in volume vol');
  await rejects(
    engine.volumes.copyTo('vol', '/nope', await tarOf([{ name: 'a', type: 'file', body: 'a\n' }])),
    'not-found',
    'Could not find the file /nope in volume vol',
  );
  await rejects(
    engine.volumes.copyTo('vol', '/etc/conf', await tarOf([{ name: 'a', type: 'file', body: 'a\n' }])),
    'invalid',
    'extraction point is not a directory: /etc/conf',
  );
  await rejects(engine.volumes.copyFrom('nope', '/'), 'not-found', 'get nope: no such volume');
  await rejects(engine.volumes.copyTo('nope', '/', await tarOf([])), 'not-found', 'get nope: no such volume');
  await rejects(engine.volumes.stat('nope', '/'), 'not-found', 'get nope: no such volume');
  assert.deepEqual(tree(vol), before);
  outsideBefore();
});
