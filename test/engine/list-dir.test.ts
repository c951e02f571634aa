/**
 * The embedded engine's listDir (what the dashboard's file browser lists with): on the real
 * Debian image — names as `ls -A` in the running container lists them, types and modes as `stat`
 * inside reports them, links to directories followed (/bin → usr/bin); on a stopped container;
 * on a scratch image holding one static binary and no `ls` (where exec `ls` fails); links that
 * point out of the root stay inside it, for a container and for a volume.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Sandbox } from '../helpers/berth.js';
import { requireTool, NEEDS_ROOT } from '../helpers/tools.js';
import { debianTarball } from '../fixtures/debian.js';
import { EmbeddedEngine } from '../../src/engine/embedded.js';
import { isEngineError } from '../../src/engine/errors.js';
import type { DirEntry } from '../../src/engine/api.js';

let sb: Sandbox;
let engine: EmbeddedEngine;
let work: string;

before(() => {
  if (NEEDS_ROOT) throw new Error(NEEDS_ROOT);
  const busybox = requireTool(['/bin/busybox', '/usr/bin/busybox'], 'busybox-static');
  sb = new Sandbox('berth-list-dir');
  work = mkdtempSync(join(sb.dir, 'scratch-'));
  sb.ok(['import', debianTarball(), 'debian:12'], { timeout: 180_000 });
  // scratch: one static binary, a data dir, and links that try to leave the root
  const root = join(work, 'rootfs');
  mkdirSync(join(root, 'data'), { recursive: true });
  copyFileSync(busybox, join(root, 'busybox'));
  chmodSync(join(root, 'busybox'), 0o755);
  writeFileSync(join(root, 'data', 'note.txt'), 'hello\n');
  symlinkSync('/', join(root, 'abs'));
  symlinkSync('../../../../../..', join(root, 'up'));
  symlinkSync('/data/note.txt', join(root, 'data', 'link'));
  execFileSync('tar', ['-C', root, '-cf', join(work, 'scratch.tar'), '.']);
  sb.ok(['import', join(work, 'scratch.tar'), 'scratchy:1']);
  engine = new EmbeddedEngine({ root: sb.root, runRoot: sb.runRoot });
});

after(async () => {
  await engine?.close();
  sb?.dispose();
});

const names = (l: DirEntry[]) => l.map((e) => e.name);
const byName = (l: DirEntry[], n: string) => l.find((e) => e.name === n)!;

test('Debian, running: the names ls -A lists, the types and modes stat reports, /bin followed to /usr/bin', async () => {
  sb.ok(['run', '-d', '--name', 'deb', '--network', 'none', 'debian:12', 'sleep', '600']);
  for (const dir of ['/', '/etc', '/usr/bin', '/tmp']) {
    const listed = await engine.containers.listDir('deb', dir);
    const ls = sb.ok(['exec', 'deb', 'ls', '-A', dir]).split('\n').filter(Boolean).sort();
    assert.deepEqual(names(listed), ls, dir);
  }
  const root = await engine.containers.listDir('deb', '/');
  const bin = byName(root, 'bin');
  assert.equal(bin.type, 'symlink');
  assert.equal(bin.linkTarget, 'usr/bin');
  assert.equal(bin.targetIsDir, true);
  assert.equal(byName(root, 'tmp').mode & 0o7777, 0o1777);
  assert.deepEqual(names(await engine.containers.listDir('deb', '/bin')), names(await engine.containers.listDir('deb', '/usr/bin')));
  // mode and size of a few files as stat inside the container tells them
  const etc = await engine.containers.listDir('deb', '/etc');
  for (const f of ['passwd', 'os-release', 'shadow']) {
    const [mode, size, type] = sb
      .ok(['exec', 'deb', 'stat', '-c', '%f %s %F', `/etc/${f}`])
      .trim()
      .split(' ');
    const e = byName(etc, f);
    assert.equal(e.mode, parseInt(mode!, 16), f);
    assert.equal(e.type, type === 'symbolic' ? 'symlink' : 'file', f);
    assert.equal(e.size, Number(size), f);
  }
  // /etc/hostname is the one berth writes for the container (a mount), not the image's
  const hostname = sb.ok(['exec', 'deb', 'stat', '-c', '%s', '/etc/hostname']).trim();
  assert.equal(byName(etc, 'hostname').size, Number(hostname));
  sb.ok(['rm', '-f', 'deb']);
});

test('Debian, never started: listed from its image', async () => {
  sb.ok(['create', '--name', 'deb-created', '--network', 'none', 'debian:12', 'true']);
  const l = await engine.containers.listDir('deb-created', '/usr/bin');
  assert.ok(names(l).includes('ls') && names(l).includes('bash'));
  assert.equal(byName(l, 'bash').mode & 0o777, 0o755);
  sb.ok(['rm', 'deb-created']);
});

test('scratch without ls: exec ls fails, listDir lists; links out of the root stay in it; errors say which path', async () => {
  sb.ok(['run', '-d', '--name', 'bare', '--network', 'none', 'scratchy:1', '/busybox', 'sleep', '600']);
  const r = sb.run(['exec', 'bare', 'ls', '/']);
  assert.notEqual(r.code, 0, 'the image has an ls after all');
  const root = await engine.containers.listDir('bare', '/');
  for (const n of ['abs', 'busybox', 'data', 'up']) assert.ok(names(root).includes(n), `${n} in ${names(root).join(' ')}`);
  assert.equal(byName(root, 'busybox').type, 'file');
  assert.equal(byName(root, 'busybox').mode & 0o777, 0o755);
  // "/" and "../../.." from inside are the container's root, not the host's
  assert.deepEqual(names(await engine.containers.listDir('bare', '/abs')), names(root));
  assert.deepEqual(names(await engine.containers.listDir('bare', '/up')), names(root));
  assert.deepEqual(names(await engine.containers.listDir('bare', '/up/up/abs/data')), ['link', 'note.txt']);
  const link = byName(await engine.containers.listDir('bare', '/data'), 'link');
  assert.deepEqual([link.type, link.linkTarget, link.targetIsDir], ['symlink', '/data/note.txt', false]);
  await assert.rejects(
    engine.containers.listDir('bare', '/data/note.txt'),
    (e) => isEngineError(e, 'invalid') && /not a directory: \/data\/note\.txt/.test(e.message),
  );
  await assert.rejects(engine.containers.listDir('bare', '/nope'), (e) => isEngineError(e, 'not-found') && /\/nope in container bare/.test(e.message));
  sb.ok(['rm', '-f', 'bare']);
});

test('a volume: its top is the root, a link to "/" stays in it', async () => {
  sb.ok(['volume', 'create', 'vol']);
  const mp = (await engine.volumes.inspect('vol')).mountpoint;
  mkdirSync(join(mp, 'sub'));
  writeFileSync(join(mp, 'sub', 'a.txt'), 'a');
  symlinkSync('/', join(mp, 'top'));
  assert.deepEqual(names(await engine.volumes.listDir('vol', '/')), ['sub', 'top']);
  assert.deepEqual(names(await engine.volumes.listDir('vol', '/top')), ['sub', 'top']);
  assert.deepEqual(names(await engine.volumes.listDir('vol', '/top/sub')), ['a.txt']);
  await assert.rejects(engine.volumes.listDir('missing-vol', '/'), (e) => isEngineError(e, 'not-found'));
  rmSync(join(mp, 'top'));
  sb.ok(['volume', 'rm', 'vol']);
});
