/**
 * Real images with docker as the oracle. A Debian 12 rootfs from debootstrap, busybox installed
 * the usual way, and a multi-layer image built by a real dockerd (packages, a file capability,
 * a non-root user, a setgid directory, whiteouts, an opaque directory, a hardlink, an absolute
 * symlink, a FIFO) reach berth by `import`, `load` (docker save) and `pull` (docker push to a
 * local registry); the container's file tree listed inside berth's container must be the one
 * listed inside docker's. Then berth's `commit` and `save` go back to docker: identical again.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { BERTH, Sandbox } from '../helpers/berth.js';
import { Tmux } from '../e2e/tmux.js';
import { TestDockerd } from '../docker/dockerd.js';
import { NEEDS_ROOT } from '../helpers/tools.js';
import { LocalRegistry } from '../helpers/registry.js';
import { debianTarball } from '../fixtures/debian.js';
import { busyboxTarball } from '../fixtures/busybox.js';
import { APP_REF, DEBIAN_REF, dockerApp, dockerOk } from '../fixtures/docker-built.js';

/**
 * The container's tree as `find` prints it (less /proc, /sys, /dev and the files each engine
 * writes for the container), then every file capability. A directory's size is left out: it is
 * the file system's, not the image's (on tmpfs it counts the entries, and each engine's upper
 * directory holds its own mount points).
 */
const LIST = [
  'find / -xdev \\( -path /proc -o -path /sys -o -path /dev -o -path /etc/hostname -o -path /etc/hosts -o -path /etc/resolv.conf -o -path /.dockerenv -o -path /run/.containerenv \\) -prune',
  "-o -type d -printf '%p %m %u:%g d %n\\n' -o -printf '%p %m %u:%g %y %l %s %n\\n' | sort",
  '; if command -v getcap >/dev/null; then echo "-- capabilities"; getcap -r / 2>/dev/null | grep -v "^/proc/" | sort; fi',
].join(' ');

let sb: Sandbox;
let dockerd: TestDockerd;
let registry: LocalRegistry;
let appArchive: string;

const skip = NEEDS_ROOT;

before(async () => {
  if (skip) return;
  sb = new Sandbox('berth-real');
  dockerd = new TestDockerd('berth-real-dockerd');
  await dockerd.start();
  appArchive = dockerApp(dockerd.host); // also imports berth-test/debian:12 into dockerd
  registry = await LocalRegistry.start();
});

after(async () => {
  await registry?.stop();
  await dockerd?.stop();
  sb?.dispose();
});

function berthList(image: string, args: string[] = []): string {
  return sb.ok(['run', '--rm', '--network', 'none', ...args, '--entrypoint', 'sh', image, '-c', LIST], { timeout: 120_000 });
}

function dockerList(image: string, args: string[] = []): string {
  return dockerOk(dockerd.host, ['run', '--rm', '--network', 'none', ...args, '--entrypoint', 'sh', image, '-c', LIST]);
}

/** Equal listings; on a difference, the differing lines (not two 7000-line blobs). */
function sameTree(berth: string, docker: string, what: string): void {
  const b = berth.split('\n');
  const d = docker.split('\n');
  const onlyB = b.filter((l) => !d.includes(l));
  const onlyD = d.filter((l) => !b.includes(l));
  assert.deepEqual({ onlyInBerth: onlyB.slice(0, 40), onlyInDocker: onlyD.slice(0, 40) }, { onlyInBerth: [], onlyInDocker: [] }, what);
  assert.ok(b.length > 100, `${what}: the listing is a whole filesystem (${b.length} lines)`);
}

test('Debian from debootstrap: import, then the tree berth shows is the one docker shows', { skip }, () => {
  sb.ok(['import', debianTarball(), 'debian:12'], { timeout: 120_000 });
  sameTree(berthList('debian:12'), dockerList(DEBIAN_REF), 'debian:12 imported');
  // the dynamic loader's absolute link is intact, so programs run
  assert.equal(
    sb.ok(['run', '--rm', '--network', 'none', 'debian:12', 'readlink', '/usr/lib64/ld-linux-x86-64.so.2']).trim(),
    '/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2',
  );
  assert.equal(sb.ok(['run', '--rm', '--network', 'none', 'debian:12', 'stat', '-c', '%a', '/tmp']).trim(), '1777');
});

test('busybox made with `busybox --install -s` runs its applets through absolute links', { skip }, () => {
  sb.ok(['import', busyboxTarball(), 'bb:abs']);
  assert.equal(sb.ok(['run', '--rm', '--network', 'none', 'bb:abs', 'readlink', '/bin/sleep']).trim(), '/bin/busybox');
  assert.equal(sb.ok(['run', '--rm', '--network', 'none', 'bb:abs', 'sh', '-c', 'sleep 0 && echo ok']).trim(), 'ok');
});

test('an image built by dockerd: docker save → berth load, the same tree and capabilities', { skip }, () => {
  sb.ok(['load', '-i', appArchive], { timeout: 180_000 });
  const b = berthList(APP_REF);
  sameTree(b, dockerList(APP_REF), 'docker-built image loaded');
  assert.match(b, /\/usr\/bin\/ping cap_net_raw=ep/);
  assert.match(b, /^\/shared 2775 app:app d/m);
  assert.match(b, /^\/srv\/app.fifo 644 root:root p/m);
  assert.doesNotMatch(b, /^\/usr\/share\/doc /m);
});

test('the same image pushed by docker to a registry → berth pull, the same tree', { skip }, () => {
  const ref = `127.0.0.1:${registry.port}/real/app:1`;
  dockerOk(dockerd.host, ['tag', APP_REF, ref]);
  dockerOk(dockerd.host, ['push', ref]);
  sb.ok(['pull', ref], { timeout: 180_000 });
  sameTree(berthList(ref), dockerList(APP_REF), 'docker-built image pulled');
});

test('berth commit and save → docker load: docker sees the tree berth made', { skip }, () => {
  sb.ok(['run', '-d', '--name', 'changer', '--network', 'none', '--user', 'root', APP_REF, 'sleep', '300']);
  sb.ok([
    'exec',
    'changer',
    'sh',
    '-c',
    [
      'rm -rf /usr/share/nginx', // a whiteout of a directory from a lower layer
      'rm -rf /etc/apt && mkdir -p /etc/apt/sources.list.d', // opaque
      'mkdir -m 3770 /team && chown app:app /team',
      'cp /usr/bin/ping /usr/local/bin/ping2 && setcap cap_net_raw=ep /usr/local/bin/ping2',
      'ln -s /nowhere /dangling && mkfifo -m 600 /pipe && ln /etc/passwd /passwd-hard',
    ].join(' && '),
  ]);
  sb.ok(['commit', 'changer', 'berth-made:1']);
  sb.ok(['rm', '-f', 'changer']);
  const file = sb.path('berth-made.tar');
  sb.ok(['save', '-o', file, 'berth-made:1']);
  dockerOk(dockerd.host, ['load', '-i', file]);
  const b = berthList('berth-made:1');
  sameTree(b, dockerList('berth-made:1'), 'committed by berth, loaded by docker');
  assert.match(b, /\/usr\/local\/bin\/ping2 cap_net_raw=ep/);
  assert.match(b, /^\/team 3770 app:app d/m);
  assert.doesNotMatch(b, /^\/usr\/share\/nginx/m);
  // and back: docker save of what docker loaded, berth load, still the same
  const again = sb.path('again.tar');
  dockerOk(dockerd.host, ['save', '-o', again, 'berth-made:1']);
  sb.ok(['rmi', 'berth-made:1']);
  sb.ok(['load', '-i', again]);
  sameTree(berthList('berth-made:1'), b, 'round trip berth → docker → berth');
});

test('a non-root USER writes /tmp and pings with its file capability; nginx serves through -p', { skip }, () => {
  const out = sb.ok([
    'run',
    '--rm',
    APP_REF,
    'sh',
    '-c',
    'id -un; echo hi > /tmp/mine && ls -l /tmp/mine | cut -d" " -f3; ping -c1 -W2 127.0.0.1 >/dev/null && echo pinged',
  ]);
  assert.deepEqual(out.trim().split('\n'), ['app', 'app', 'pinged']);
  const port = 20000 + Math.floor(Math.random() * 20000);
  sb.ok(['run', '-d', '--name', 'web', '--user', 'root', '-p', `127.0.0.1:${port}:80`, APP_REF, 'nginx', '-g', 'daemon off;']);
  try {
    let body = '';
    for (let i = 0; i < 50 && !body.includes('berth'); i++) {
      body = spawnSync('curl', ['-s', '--max-time', '2', `http://127.0.0.1:${port}/`], { encoding: 'utf8' }).stdout ?? '';
      if (!body.includes('berth')) spinWait(100);
    }
    assert.match(body, /<h1>berth<\/h1>/);
  } finally {
    sb.ok(['rm', '-f', 'web']);
  }
});

function spinWait(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

test('the tutorial: run -it a shell, apt-get install net-tools inside, detach, commit, run the new image', { skip }, async () => {
  const t = new Tmux(sb.env);
  try {
    t.start([BERTH, 'run', '-it', '--name', 'tut', 'debian:12', 'bash'], 120, 40);
    await t.waitFor('a shell prompt', (s) => /root@[0-9a-f]+:\/# *$/m.test(s), 30_000);
    t.type('apt-get update -qq && apt-get install -y -qq net-tools >/dev/null 2>&1; echo "INSTALLED=$?"');
    t.keys('Enter');
    assert.equal(await t.waitFor('apt-get to finish', (s) => /^INSTALLED=(\d+)/m.exec(s)?.[1], 300_000), '0');
    t.type('ifconfig eth0 | head -1');
    t.keys('Enter');
    await t.waitFor('ifconfig output', (s) => /eth0: flags=/.test(s));
    t.keys('C-p', 'C-q');
    await t.waitFor('berth to detach', () => t.dead(), 20_000);
    assert.equal(sb.ok(['inspect', '-f', '{{.State.Status}}', 'tut']).trim(), 'running');
    sb.ok(['commit', 'tut', 'tutorial:1']);
    assert.equal(sb.ok(['run', '--rm', '--network', 'none', 'tutorial:1', 'sh', '-c', 'command -v ifconfig']).trim(), '/usr/sbin/ifconfig');
  } finally {
    t.kill();
    sb.run(['rm', '-f', 'tut']);
  }
});
