/**
 * kill -9 of berth in the middle of commit, load and volume rm (issue 8): afterwards the store
 * is consistent (no partial image, tag, layer or staging dir once berth runs again), a container
 * frozen by the killed commit is running again, and a repeated volume rm finishes the job.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BERTH, Sandbox } from '../helpers/berth.js';
import { busyboxTarball } from '../fixtures/busybox.js';

let sb: Sandbox;
let id = '';

async function killedAfter(args: string[], ms: number): Promise<void> {
  const c = spawn(BERTH, args, { env: sb.env, stdio: 'ignore' });
  // listen from the start: the command may finish on its own before the kill
  const exited = new Promise((r) => c.on('exit', r));
  await new Promise((r) => setTimeout(r, ms));
  c.kill('SIGKILL');
  await exited;
}

const layers = () => readdirSync(join(sb.root, 'layers')).sort();
const tmp = () => (existsSync(join(sb.root, 'tmp')) ? readdirSync(join(sb.root, 'tmp')) : []);

before(() => {
  sb = new Sandbox('berth-crash-store');
  sb.ok(['import', busyboxTarball(), 'busybox']);
  // 40 MB of changes make commit and load take long enough to be caught half-way
  id = sb
    .ok([
      'run',
      '-d',
      '--name',
      'big',
      '--net',
      'none',
      '--stop-timeout',
      '1',
      'busybox',
      'sh',
      '-c',
      'dd if=/dev/urandom of=/data.bin bs=1M count=40 2>/dev/null; trap "exit 0" TERM; sleep 3600 & wait',
    ])
    .trim();
  for (let i = 0; i < 200 && sb.run(['exec', 'big', 'sh', '-c', 'test $(wc -c < /data.bin) -eq 41943040']).code !== 0; i++) spawnSync('sleep', ['0.1']);
});

after(() => sb?.dispose());

test('commit killed at several points: no partial image, the container runs (not frozen)', async () => {
  const before = layers();
  for (const ms of [80, 200, 350, 600]) {
    await killedAfter(['commit', 'big', `half:${ms}`], ms);
    // the next command sees the truth: running, and really running (exec would hang if frozen)
    assert.equal(sb.ok(['inspect', '-f', '{{.State.Status}}', 'big']).trim(), 'running');
    const r = spawnSync(BERTH, ['exec', 'big', 'true'], { env: sb.env, timeout: 10_000 });
    assert.equal(r.status, 0, 'exec into the container after a killed commit');
    const freezer = `/sys/fs/cgroup/freezer/berth/${id}/freezer.state`;
    if (existsSync(freezer)) assert.equal(spawnSync('cat', [freezer], { encoding: 'utf8' }).stdout.trim(), 'THAWED');
  }
  const tags = sb.ok(['images', '--format', '{{.Repository}}:{{.Tag}}']).trim().split('\n');
  // a commit that got as far as its transaction made a whole image; none is partial
  for (const t of tags.filter((x) => x.startsWith('half:'))) assert.equal(sb.run(['run', '--rm', '--net', 'none', t, 'test', '-s', '/data.bin']).code, 0, t);
  sb.ok(['image', 'prune', '-a', '-f']);
  assert.deepEqual(tmp(), []);
  assert.ok(
    layers().every((l) => before.includes(l) || tags.length > 1),
    'no unreferenced layer after prune',
  );
});

test('load killed at several points: nothing half-loaded, the archive loads afterwards', async () => {
  sb.ok(['commit', 'big', 'bigimg:1']);
  const archive = sb.path('big.tar');
  sb.ok(['save', '-o', archive, 'bigimg:1']);
  sb.ok(['rmi', 'bigimg:1']);
  const before = layers();
  for (const ms of [60, 150, 300, 500]) {
    await killedAfter(['load', '-i', archive], ms);
    const imgs = sb.ok(['images', '--format', '{{.Repository}}']).trim().split('\n');
    if (imgs.includes('bigimg')) sb.ok(['rmi', 'bigimg:1']); // it finished before the kill: fine, but whole
    assert.deepEqual(tmp(), []);
  }
  sb.ok(['image', 'prune', '-f']);
  assert.deepEqual(layers(), before);
  assert.match(sb.ok(['load', '-i', archive]), /Loaded image: bigimg:1/);
  assert.equal(sb.run(['run', '--rm', '--net', 'none', 'bigimg:1', 'test', '-s', '/data.bin']).code, 0);
});

test('volume rm killed half-way: a second rm finishes, nothing left', async () => {
  sb.ok(['volume', 'create', 'bulk']);
  sb.ok(['run', '--rm', '--net', 'none', '-v', 'bulk:/v', 'busybox', 'sh', '-c', 'for i in $(seq 1 3000); do echo $i > /v/f$i; done']);
  await killedAfter(['volume', 'rm', 'bulk'], 120);
  sb.run(['volume', 'rm', '-f', 'bulk']);
  assert.equal(sb.ok(['volume', 'ls', '-q']).trim(), '');
  assert.equal(existsSync(join(sb.root, 'volumes', 'bulk')), false);
});

test('a container left frozen by a killed commit is thawed by the next berth command', () => {
  // the window between commit's pause and resume is short: stage exactly what a kill leaves
  const runc = ['--root', join(sb.runRoot, 'runc')];
  assert.equal(spawnSync('runc', [...runc, 'pause', id]).status, 0);
  writeFileSync(join(sb.runRoot, 'exits', `${id}.commit-pause`), '999999 12345'); // a dead claimant
  sb.ok(['ps']);
  const st = JSON.parse(spawnSync('runc', [...runc, 'state', id], { encoding: 'utf8' }).stdout) as { status: string };
  assert.equal(st.status, 'running');
  assert.equal(existsSync(join(sb.runRoot, 'exits', `${id}.commit-pause`)), false);
});
