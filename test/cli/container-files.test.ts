/**
 * Files in and out of containers: `cp` both ways (files, directories, running and stopped
 * containers, inside a volume), no escape through a symlink to / inside the container; `commit`
 * (the change and a deleted file as a whiteout, -m/-a/-c) then `run` of the new image.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chownSync, lstatSync, mkdirSync, readlinkSync, writeFileSync, readFileSync, existsSync, statSync, readdirSync, symlinkSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { Box, NONE } from './container-support.js';

let sb: Box;
before(() => {
  sb = new Box('berth-ctr-files');
});
after(() => sb.disposeChecked());

test('cp a file and a directory into a running container and back out', () => {
  sb.runD(['--name', 'cp1', ...NONE, 'busybox', 'sleep', '300']);
  const src = sb.path('src');
  mkdirSync(join(src, 'dir/sub'), { recursive: true });
  writeFileSync(join(src, 'file.txt'), 'one\n');
  writeFileSync(join(src, 'dir/sub/deep.txt'), 'two\n');
  symlinkSync('sub/deep.txt', join(src, 'dir/link'));
  sb.ok(['cp', join(src, 'file.txt'), 'cp1:/tmp/']);
  sb.ok(['cp', join(src, 'file.txt'), 'cp1:/tmp/renamed.txt']);
  sb.ok(['cp', join(src, 'dir'), 'cp1:/tmp/dir']);
  assert.equal(sb.ok(['exec', 'cp1', 'cat', '/tmp/file.txt', '/tmp/renamed.txt', '/tmp/dir/sub/deep.txt', '/tmp/dir/link']), 'one\none\ntwo\ntwo\n');
  assert.equal(sb.ok(['exec', 'cp1', 'readlink', '/tmp/dir/link']).trim(), 'sub/deep.txt');
  sb.ok(['exec', 'cp1', 'sh', '-c', 'mkdir -p /out/a && echo made-inside > /out/a/f && echo single > /root/single']);
  const dst = sb.path('dst');
  mkdirSync(dst);
  sb.ok(['cp', 'cp1:/root/single', join(dst, 'single.txt')]);
  assert.equal(readFileSync(join(dst, 'single.txt'), 'utf8'), 'single\n');
  sb.ok(['cp', 'cp1:/out', join(dst, 'out')]);
  assert.equal(readFileSync(join(dst, 'out/a/f'), 'utf8'), 'made-inside\n');
  // SRC/. copies the directory's contents
  sb.ok(['cp', 'cp1:/out/.', join(dst, 'contents')]);
  assert.ok(existsSync(join(dst, 'contents/a/f')));
  // a missing path says so
  const r = sb.run(['cp', 'cp1:/nope', dst]);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /Could not find the file \/nope in container cp1/);
});

test('cp works on a stopped container and leaves nothing mounted', () => {
  sb.ok(['create', '--name', 'cpstop', ...NONE, 'busybox', 'true']);
  const id = sb.id('cpstop');
  writeFileSync(sb.path('in.txt'), 'cold\n');
  sb.ok(['cp', sb.path('in.txt'), 'cpstop:/in.txt']);
  sb.ok(['cp', 'cpstop:/in.txt', sb.path('back.txt')]);
  assert.equal(readFileSync(sb.path('back.txt'), 'utf8'), 'cold\n');
  assert.ok(!readFileSync('/proc/self/mountinfo', 'utf8').includes(id));
  assert.equal(sb.ok(['start', '-a', 'cpstop']), '');
  sb.ok(['rm', 'cpstop']);
});

test("cp: a link is copied as the link, -L copies what it points to under the link's name, -a keeps owners", () => {
  sb.runD(['--name', 'cpl', ...NONE, 'busybox', 'sleep', '300']);
  sb.ok([
    'exec',
    'cpl',
    'sh',
    '-c',
    'echo target > /tmp/t.txt && chown 1234:1235 /tmp/t.txt && ln -s t.txt /tmp/l && mkdir /tmp/d && echo in > /tmp/d/f && ln -s /tmp/d /tmp/ld',
  ]);
  // out of the container
  sb.ok(['cp', 'cpl:/tmp/l', sb.path('l1')]);
  assert.equal(readlinkSync(sb.path('l1')), 't.txt');
  sb.ok(['cp', '-L', 'cpl:/tmp/l', sb.path('l2')]);
  assert.ok(lstatSync(sb.path('l2')).isFile());
  assert.equal(readFileSync(sb.path('l2'), 'utf8'), 'target\n');
  mkdirSync(sb.path('into'));
  sb.ok(['cp', '-L', 'cpl:/tmp/l', sb.path('into')]);
  assert.deepEqual(readdirSync(sb.path('into')), ['l']);
  assert.equal(readFileSync(join(sb.path('into'), 'l'), 'utf8'), 'target\n');
  sb.ok(['cp', '-L', 'cpl:/tmp/ld', sb.path('ld')]);
  assert.equal(readFileSync(join(sb.path('ld'), 'f'), 'utf8'), 'in\n');
  sb.ok(['cp', 'cpl:/tmp/t.txt', sb.path('own0')]);
  assert.deepEqual([statSync(sb.path('own0')).uid, statSync(sb.path('own0')).gid], [0, 0]);
  sb.ok(['cp', '-a', 'cpl:/tmp/t.txt', sb.path('own1')]);
  assert.deepEqual([statSync(sb.path('own1')).uid, statSync(sb.path('own1')).gid], [1234, 1235]);
  // into the container
  const h = sb.path('h');
  writeFileSync(h, 'x\n');
  chownSync(h, 4321, 4322);
  symlinkSync('h', sb.path('hl'));
  sb.ok(['cp', h, 'cpl:/tmp/h0']);
  sb.ok(['cp', '-a', h, 'cpl:/tmp/h1']);
  sb.ok(['cp', sb.path('hl'), 'cpl:/tmp/hl0']);
  sb.ok(['cp', '-L', sb.path('hl'), 'cpl:/tmp/hl1']);
  sb.ok(['cp', h, 'cpl:/tmp/ld']); // a link to a directory as the destination: into the directory
  const seen = sb.ok(['exec', 'cpl', 'sh', '-c', 'stat -c "%u:%g" /tmp/h0 /tmp/h1; readlink /tmp/hl0; cat /tmp/hl1 /tmp/d/h']);
  assert.equal(seen, '0:0\n4321:4322\nh\nx\nx\n');
  sb.ok(['rm', '-f', 'cpl']);
});

test('cp resolves symlinks inside the container: a link to / never reaches the host', () => {
  sb.runD(['--name', 'cpesc', ...NONE, 'busybox', 'sleep', '300']);
  sb.ok(['exec', 'cpesc', 'sh', '-c', 'ln -s / /tmp/root && ln -s /etc /tmp/etc && echo container-passwd > /etc/marker']);
  // out: /tmp/root/etc/passwd is the container's passwd, not the host's
  sb.ok(['cp', 'cpesc:/tmp/root/etc/passwd', sb.path('pw')]);
  assert.notEqual(readFileSync(sb.path('pw'), 'utf8'), readFileSync('/etc/passwd', 'utf8'));
  assert.match(readFileSync(sb.path('pw'), 'utf8'), /^root:x:0:0:root:\/root:\/bin\/sh\nnobody:/);
  sb.ok(['cp', 'cpesc:/tmp/etc/marker', sb.path('marker')]);
  assert.equal(readFileSync(sb.path('marker'), 'utf8'), 'container-passwd\n');
  // .. above the root stays at the container's root
  const dots = sb.run(['cp', 'cpesc:/../../../../etc/marker', sb.path('marker2')]);
  assert.equal(dots.code, 0, dots.stderr);
  assert.equal(readFileSync(sb.path('marker2'), 'utf8'), 'container-passwd\n');
  // in: writing through the link lands in the container's /etc, not the host's
  const probe = `berth-cp-probe-${process.pid}`;
  writeFileSync(sb.path(probe), 'x\n');
  sb.ok(['cp', sb.path(probe), `cpesc:/tmp/root/etc/${probe}`]);
  assert.equal(existsSync(`/etc/${probe}`), false);
  assert.equal(sb.ok(['exec', 'cpesc', 'cat', `/etc/${probe}`]), 'x\n');
  // a directory copied in whose entries would go through the container's symlink is refused or kept inside
  const evil = sb.path('evil');
  mkdirSync(join(evil, 'tmp'), { recursive: true });
  writeFileSync(join(evil, 'tmp', probe), 'y\n');
  sb.run(['cp', `${evil}/.`, 'cpesc:/tmp/root/']);
  assert.equal(existsSync(`/tmp/${probe}`) && readFileSync(`/tmp/${probe}`, 'utf8') === 'y\n', false);
  sb.ok(['rm', '-f', 'cpesc']);
});

test("cp sees the container's mounts: volumes, binds, /etc/hostname, also through a symlink", () => {
  const bind = sb.path('cp-bind');
  mkdirSync(bind);
  const id = sb.runD(['--name', 'cpm', ...NONE, '--hostname', 'cp-host', '-v', 'cpvol:/vol', '-v', `${bind}:/bind`, 'busybox', 'sleep', '300']);
  sb.ok(['exec', 'cpm', 'sh', '-c', 'echo in-volume > /vol/v && ln -s /vol /tmp/tovol']);
  sb.ok(['cp', 'cpm:/vol/v', sb.path('v1')]);
  assert.equal(readFileSync(sb.path('v1'), 'utf8'), 'in-volume\n');
  sb.ok(['cp', 'cpm:/tmp/tovol/v', sb.path('v2')]);
  assert.equal(readFileSync(sb.path('v2'), 'utf8'), 'in-volume\n');
  sb.ok(['cp', 'cpm:/etc/hostname', sb.path('hn')]);
  assert.equal(readFileSync(sb.path('hn'), 'utf8'), 'cp-host\n');
  writeFileSync(sb.path('to-bind'), 'b\n');
  sb.ok(['cp', sb.path('to-bind'), 'cpm:/bind/']);
  assert.equal(readFileSync(join(bind, 'to-bind'), 'utf8'), 'b\n');
  sb.ok(['cp', sb.path('to-bind'), 'cpm:/tmp/tovol/']);
  assert.equal(sb.ok(['exec', 'cpm', 'cat', '/vol/to-bind']), 'b\n');
  void id;
  sb.ok(['rm', '-f', 'cpm']);
  sb.ok(['volume', 'rm', 'cpvol']);
});

test('commit: an opaque directory, hardlinks, symlinks and FIFOs come through, as docker commits them', () => {
  sb.runD(['--name', 'cmo', ...NONE, 'busybox', 'sleep', '300']);
  sb.ok(['exec', 'cmo', 'sh', '-c', 'mkdir -p /d/sub && echo a > /d/a && echo s > /d/sub/s']);
  sb.ok(['commit', 'cmo', 'opaque:v0']);
  sb.ok(['rm', '-f', 'cmo']);
  sb.runD(['--name', 'cmo', ...NONE, 'opaque:v0', 'sleep', '300']);
  sb.ok(['exec', 'cmo', 'sh', '-c', 'rm -rf /d && mkdir /d && echo b > /d/b && ln /d/b /d/b2 && ln -s /d/b /lnk && mkfifo /fifo']);
  sb.ok(['commit', 'cmo', 'opaque:v1']);
  const out = sb.ok([
    'run',
    '--rm',
    ...NONE,
    'opaque:v1',
    'sh',
    '-c',
    'ls -A /d | tr "\\n" " "; echo; stat -c %h /d/b; readlink /lnk; cat /lnk; stat -c %F /fifo',
  ]);
  const [listing, links, target, content, fifo] = out.split('\n');
  // opaque: the lower layer's a and sub are hidden by the re-created directory
  assert.equal(listing!.trim(), 'b b2');
  assert.equal(links, '2');
  assert.equal(target, '/d/b');
  assert.equal(content, 'b');
  assert.equal(fifo, 'fifo');
  sb.ok(['rm', '-f', 'cmo']);
});

test('commit: the change is in the new image, a deleted file is a whiteout, -m -a -c apply', () => {
  sb.runD(['--name', 'cm', ...NONE, 'busybox', 'sleep', '300']);
  sb.ok(['exec', 'cm', 'sh', '-c', 'echo committed > /hello.txt && rm /etc/group && rm -r /var/www && mkdir -p /home/new']);
  const id = sb
    .ok(['commit', '-m', 'my message', '-a', 'Jane <jane@example.com>', '-c', 'ENV FOO=bar', '-c', 'CMD ["cat", "/hello.txt"]', 'cm', 'committed:v1'])
    .trim();
  assert.match(id, /^sha256:[a-f0-9]{64}$/);
  // the container was paused for the commit and is running again
  assert.equal(sb.ok(['inspect', '-f', '{{.State.Status}}', 'cm']).trim(), 'running');
  assert.equal(sb.ok(['exec', 'cm', 'true']), '');
  assert.equal(sb.ok(['run', '--rm', ...NONE, 'committed:v1']), 'committed\n');
  const r = sb.run([
    'run',
    '--rm',
    ...NONE,
    'committed:v1',
    'sh',
    '-c',
    'echo $FOO; ls /etc/group; ls -d /var/www; ls -d /home/new; cat /etc/passwd | head -1',
  ]);
  assert.deepEqual(r.stdout.trim().split('\n'), ['bar', '/home/new', 'root:x:0:0:root:/root:/bin/sh']);
  assert.match(r.stderr, /\/etc\/group: No such file or directory/);
  assert.match(r.stderr, /\/var\/www: No such file or directory/);
  const img = JSON.parse(sb.ok(['image', 'inspect', 'committed:v1']))[0];
  assert.equal(img.Comment, 'my message');
  assert.equal(img.Author, 'Jane <jane@example.com>');
  assert.deepEqual(img.Config.Cmd, ['cat', '/hello.txt']);
  assert.ok(img.Config.Env.includes('FOO=bar'));
  assert.equal(img.RootFS.Layers.length, 2);
  // the new layer holds the whiteouts as `.wh.` entries
  const out = sb.path('saved.tar');
  sb.ok(['save', '-o', out, 'committed:v1']);
  const x = sb.path('saved');
  mkdirSync(x);
  execFileSync('tar', ['-xf', out, '-C', x]);
  const blobs = readdirSync(join(x, 'blobs/sha256'));
  const entries = blobs
    .map((b) => join(x, 'blobs/sha256', b))
    .filter((f) => statSync(f).size > 0)
    .map((f) => {
      try {
        return execFileSync('tar', ['-tf', f], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
      } catch {
        return '';
      }
    })
    .find((t) => t.includes('hello.txt'));
  assert.ok(entries, 'no layer with hello.txt');
  assert.match(entries!, /etc\/\.wh\.group/);
  assert.match(entries!, /var\/\.wh\.www/);
  // not the mount points runc made for the /etc files berth bind-mounts
  assert.doesNotMatch(entries!, /^(\.\/)?etc\/(hosts|hostname|resolv\.conf)$/m);
  // commit of a stopped container works too, and -c CMD without a change keeps the config
  sb.ok(['stop', '-t', '0', 'cm']);
  sb.ok(['commit', 'cm', 'committed:v2']);
  assert.equal(sb.ok(['run', '--rm', ...NONE, 'committed:v2', 'cat', '/hello.txt']), 'committed\n');
  sb.ok(['rm', 'cm']);
});
