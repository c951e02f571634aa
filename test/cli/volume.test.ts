/**
 * Volumes and mounts on real containers: volume create/ls/inspect/rm/prune, named volumes (made
 * on first use, shared, surviving rm, refused while in use), bind mounts of a directory and a
 * single file, :ro, --mount bind|volume|tmpfs, --volumes-from, anonymous volumes and rm -v, and
 * a missing --mount bind source refused with nothing left behind.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync, readFileSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Box, NONE } from './container-support.js';

let sb: Box;
before(() => {
  sb = new Box('berth-volume');
});
after(() => sb.disposeChecked());

const vols = () => sb.ok(['volume', 'ls', '-q']).trim().split('\n').filter(Boolean);

test('volume create (positional and --name), ls, inspect Mountpoint, rm', () => {
  assert.equal(sb.ok(['volume', 'create', 'v-one']).trim(), 'v-one');
  assert.equal(sb.ok(['volume', 'create', '--name', 'v-two']).trim(), 'v-two');
  const anon = sb.ok(['volume', 'create']).trim();
  assert.match(anon, /^[a-f0-9]{64}$/);
  const ls = sb.ok(['volume', 'ls']).trimEnd().split('\n');
  assert.match(ls[0]!, /^DRIVER\s+VOLUME NAME$/);
  assert.ok(ls.some((l) => /^local\s+v-one$/.test(l)));
  const d = JSON.parse(sb.ok(['volume', 'inspect', 'v-one']))[0];
  assert.equal(d.Name, 'v-one');
  assert.equal(d.Driver, 'local');
  assert.equal(d.Scope, 'local');
  assert.ok(d.Mountpoint.startsWith(sb.root));
  assert.ok(existsSync(d.Mountpoint));
  assert.equal(sb.ok(['volume', 'inspect', '-f', '{{.Mountpoint}}', 'v-one']).trim(), d.Mountpoint);
  assert.equal(sb.ok(['volume', 'rm', 'v-one', 'v-two', anon]).trim().split('\n').length, 3);
  assert.ok(!existsSync(d.Mountpoint));
  const r = sb.run(['volume', 'inspect', 'v-one']);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /no such volume/i);
  assert.notEqual(sb.run(['volume', 'rm', 'nosuch']).code, 0);
});

test('a named volume is made on first use, shared, survives rm, and is refused for rm while in use', () => {
  assert.ok(!vols().includes('data'));
  sb.ok(['run', '--name', 'writer', ...NONE, '-v', 'data:/data', 'busybox', 'sh', '-c', 'echo persisted > /data/f']);
  sb.id('writer');
  assert.ok(vols().includes('data'));
  const mp = sb.ok(['volume', 'inspect', '-f', '{{.Mountpoint}}', 'data']).trim();
  assert.equal(readFileSync(join(mp, 'f'), 'utf8'), 'persisted\n');
  sb.ok(['rm', 'writer']);
  // a second container sees the data; two at once share it
  sb.runD(['--name', 'reader', ...NONE, '-v', 'data:/d', 'busybox', 'sleep', '300']);
  assert.equal(sb.ok(['exec', 'reader', 'cat', '/d/f']), 'persisted\n');
  sb.ok(['run', '--rm', ...NONE, '--mount', 'type=volume,source=data,target=/other', 'busybox', 'sh', '-c', 'echo second > /other/g']);
  assert.equal(sb.ok(['exec', 'reader', 'cat', '/d/g']), 'second\n');
  const m = sb.inspect('reader').Mounts;
  assert.equal(m.length, 1);
  assert.equal(m[0].Type, 'volume');
  assert.equal(m[0].Name, 'data');
  assert.equal(m[0].Source, mp);
  assert.equal(m[0].Destination, '/d');
  assert.equal(m[0].RW, true);
  const r = sb.run(['volume', 'rm', 'data']);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /volume is in use/);
  sb.ok(['rm', '-f', 'reader']);
  // a stopped (not removed) container still holds it
  sb.ok(['create', '--name', 'holder', ...NONE, '-v', 'data:/d', 'busybox', 'true']);
  sb.id('holder');
  assert.match(sb.run(['volume', 'rm', 'data']).stderr, /volume is in use/);
  sb.ok(['rm', 'holder']);
  sb.ok(['volume', 'rm', 'data']);
});

test('bind mounts: a directory (the same, not a copy), a single file, :ro, several at once', () => {
  const dir = sb.path('bind-dir');
  mkdirSync(dir);
  writeFileSync(join(dir, 'host.txt'), 'from host\n');
  const file = sb.path('bind-file.conf');
  writeFileSync(file, 'key=value\n');
  const ro = sb.path('bind-ro');
  mkdirSync(ro);
  const r = sb.run([
    'run',
    '--name',
    'binds',
    ...NONE,
    '-v',
    `${dir}:/mnt/dir`,
    '-v',
    `${file}:/etc/app.conf`,
    '-v',
    `${ro}:/ro:ro`,
    'busybox',
    'sh',
    '-c',
    'cat /mnt/dir/host.txt; echo from container > /mnt/dir/ctr.txt; cat /etc/app.conf; echo more >> /etc/app.conf; touch /ro/x && echo wrote-ro',
  ]);
  assert.equal(r.stdout, 'from host\nkey=value\n');
  assert.match(r.stderr, /Read-only file system/);
  assert.equal(readFileSync(join(dir, 'ctr.txt'), 'utf8'), 'from container\n');
  assert.equal(readFileSync(file, 'utf8'), 'key=value\nmore\n');
  assert.deepEqual(readdirSync(ro), []);
  const m = sb.inspect('binds').Mounts as Array<Record<string, unknown>>;
  const roM = m.find((x) => x.Destination === '/ro')!;
  assert.equal(roM.Type, 'bind');
  assert.equal(roM.Source, ro);
  assert.equal(roM.RW, false);
  assert.deepEqual(sb.inspect('binds').HostConfig.Binds, [`${dir}:/mnt/dir`, `${file}:/etc/app.conf`, `${ro}:/ro:ro`]);
  sb.ok(['rm', 'binds']);
  // the host's files stay when the container goes
  assert.ok(existsSync(join(dir, 'ctr.txt')));
  // -v creates a missing host directory, as docker does
  const made = sb.path('made-by-v');
  sb.ok(['run', '--rm', ...NONE, '-v', `${made}:/m`, 'busybox', 'touch', '/m/x']);
  assert.ok(existsSync(join(made, 'x')));
});

test('--mount type=bind,readonly / type=tmpfs', () => {
  const dir = sb.path('mnt-bind');
  mkdirSync(dir);
  writeFileSync(join(dir, 'a'), 'A\n');
  const out = sb.run([
    'run',
    '--rm',
    ...NONE,
    '--mount',
    `type=bind,source=${dir},target=/b,readonly`,
    '--mount',
    'type=tmpfs,target=/scratch',
    'busybox',
    'sh',
    '-c',
    'cat /b/a; touch /b/no || echo ro-ok; echo t > /scratch/t && cat /scratch/t; grep " /scratch " /proc/mounts | cut -d" " -f3',
  ]);
  assert.equal(out.stdout, 'A\nro-ok\nt\ntmpfs\n');
});

test('a --mount bind source that does not exist is refused, leaving no row, mount or cgroup', () => {
  const before = sb.ok(['ps', '-aq']);
  const r = sb.run(['run', '--name', 'nobind', ...NONE, '--mount', `type=bind,source=${sb.path('missing')},target=/x`, 'busybox', 'true']);
  assert.equal(r.code, 125);
  assert.match(r.stderr, /bind source path does not exist/);
  assert.equal(sb.ok(['ps', '-aq']), before);
  assert.notEqual(sb.run(['inspect', 'nobind']).code, 0);
  assert.ok(!readFileSync('/proc/self/mountinfo', 'utf8').includes(sb.dir));
  assert.equal(existsSync(sb.path('missing')), false);
  // a relative bind source is refused too (it would be a volume name with -v only)
  const rel = sb.run(['run', ...NONE, '--mount', 'type=bind,source=rel/path,target=/x', 'busybox', 'true']);
  assert.equal(rel.code, 125);
  assert.equal(sb.ok(['ps', '-aq']), before);
});

test("--volumes-from shares another container's mounts (and :ro)", () => {
  const dir = sb.path('vf');
  mkdirSync(dir);
  sb.ok(['create', '--name', 'src', ...NONE, '-v', 'vf-vol:/vol', '-v', `${dir}:/bind`, 'busybox', 'true']);
  sb.id('src');
  sb.ok(['run', '--rm', ...NONE, '--volumes-from', 'src', 'busybox', 'sh', '-c', 'echo v > /vol/v; echo b > /bind/b']);
  assert.equal(readFileSync(join(dir, 'b'), 'utf8'), 'b\n');
  const r = sb.run(['run', '--rm', ...NONE, '--volumes-from', 'src:ro', 'busybox', 'sh', '-c', 'cat /vol/v; touch /vol/x']);
  assert.equal(r.stdout, 'v\n');
  assert.match(r.stderr, /Read-only file system/);
  sb.ok(['rm', 'src']);
  sb.ok(['volume', 'rm', 'vf-vol']);
});

test('anonymous volumes: made per container, kept by rm, removed by rm -v and by --rm; volume prune', () => {
  const n0 = vols().length;
  sb.ok(['run', '--name', 'anon1', ...NONE, '-v', '/scratch', 'busybox', 'sh', '-c', 'echo a > /scratch/a']);
  sb.id('anon1');
  const m = sb.inspect('anon1').Mounts[0];
  assert.equal(m.Type, 'volume');
  assert.match(m.Name, /^[a-f0-9]{64}$/);
  assert.equal(vols().length, n0 + 1);
  sb.ok(['rm', '-v', 'anon1']);
  assert.equal(vols().length, n0);
  sb.ok(['run', '--rm', ...NONE, '-v', '/scratch', 'busybox', 'true']);
  assert.equal(vols().length, n0);
  sb.ok(['run', '--name', 'anon2', ...NONE, '-v', '/scratch', 'busybox', 'true']);
  sb.id('anon2');
  sb.ok(['rm', 'anon2']);
  assert.equal(vols().length, n0 + 1, 'rm without -v keeps the anonymous volume');
  sb.ok(['volume', 'create', 'named-unused']);
  sb.ok(['volume', 'create', 'named-used']);
  sb.ok(['create', '--name', 'user', ...NONE, '-v', 'named-used:/u', 'busybox', 'true']);
  sb.id('user');
  // docker ≥ 23: prune removes unused anonymous volumes; -a also unused named ones
  const p = sb.ok(['volume', 'prune', '-f']);
  assert.doesNotMatch(p, /named-/);
  assert.equal(vols().filter((v) => /^[a-f0-9]{64}$/.test(v)).length, 0);
  const pa = sb.ok(['volume', 'prune', '-a', '-f']);
  assert.match(pa, /named-unused/);
  assert.doesNotMatch(pa, /named-used/);
  assert.deepEqual(vols(), ['named-used']);
  sb.ok(['rm', 'user']);
  sb.ok(['volume', 'rm', 'named-used']);
});
