/**
 * Concurrency (issue 8): 20 `run -d` at once on one user network while the dashboard is open,
 * then `rm -f`, `commit`, `network connect` and more `run -d` all at once. Every operation
 * succeeds, addresses are distinct, no row is lost, and the dashboard keeps drawing.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { BERTH, Sandbox } from '../helpers/berth.js';
import { busyboxTarball } from '../fixtures/busybox.js';
import { Tmux } from '../e2e/tmux.js';

let sb: Sandbox;
let tm: Tmux;
const NET = 'concnet';

function berthAsync(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const c = spawn(BERTH, args, { env: sb.env });
    let out = '';
    let err = '';
    c.stdout.on('data', (d) => (out += d));
    c.stderr.on('data', (d) => (err += d));
    c.on('exit', (code) => resolve({ code, out, err }));
  });
}

function addressesOn(net: string): string[] {
  const doc = JSON.parse(sb.ok(['network', 'inspect', net]))[0] as { Containers: Record<string, { IPv4Address: string }> };
  return Object.values(doc.Containers).map((c) => c.IPv4Address.split('/')[0]!);
}

before(() => {
  sb = new Sandbox('berth-conc');
  sb.ok(['import', busyboxTarball(), 'busybox']);
  sb.ok(['network', 'create', '--subnet', '10.233.7.0/24', '-o', `com.docker.network.bridge.name=${sb.bridge}n`, NET]);
  tm = new Tmux({ ...sb.env, TERM: 'xterm-256color', LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8', CI: 'true' });
  tm.start(['env', `BERTH_ROOT=${sb.root}`, `BERTH_RUNROOT=${sb.runRoot}`, `BERTH_BRIDGE_NAME=${sb.bridge}`, BERTH], 120, 32);
});

after(() => {
  tm?.kill();
  sb?.dispose();
});

test('20 concurrent run -d on one network, with the dashboard open: all start, distinct addresses', async () => {
  await tm.waitForText(/1 Containers/, 30_000);
  const runs = await Promise.all(
    Array.from({ length: 20 }, (_, i) => berthAsync(['run', '-d', '--name', `c${i}`, '--net', NET, '--stop-timeout', '1', 'busybox', 'sleep', '600'])),
  );
  for (const [i, r] of runs.entries()) assert.equal(r.code, 0, `run c${i}: ${r.err}`);
  const running = sb.ok(['ps', '-q']).trim().split('\n').filter(Boolean);
  assert.equal(running.length, 20);
  const ips = addressesOn(NET);
  assert.equal(ips.length, 20);
  assert.equal(new Set(ips).size, 20, `duplicate addresses: ${ips.join(' ')}`);
  await tm.waitFor('20 running in the dashboard', (s) => (/1 Containers 20\b/.test(s) ? s : undefined), 30_000);
});

test('concurrent rm -f, commit, network connect and run -d all succeed, no lost rows', async () => {
  const ops = [
    ...[0, 1, 2, 3, 4].map((i) => berthAsync(['rm', '-f', `c${i}`])),
    ...[5, 6, 7, 8, 9].map((i) => berthAsync(['commit', `c${i}`, `snap${i}:1`])),
    ...[10, 11, 12, 13, 14].map((i) => berthAsync(['network', 'connect', 'bridge', `c${i}`])),
    ...[20, 21, 22, 23, 24].map((i) => berthAsync(['run', '-d', '--name', `c${i}`, '--net', NET, '--stop-timeout', '1', 'busybox', 'sleep', '600'])),
  ];
  const results = await Promise.all(ops);
  for (const r of results) assert.equal(r.code, 0, r.err);
  const names = sb.ok(['ps', '-a', '--format', '{{.Names}}']).trim().split('\n').sort();
  const want = [...Array.from({ length: 15 }, (_, i) => `c${i + 5}`), ...[20, 21, 22, 23, 24].map((i) => `c${i}`)].sort();
  assert.deepEqual(names, want);
  const images = sb.ok(['images', '--format', '{{.Repository}}']).trim().split('\n');
  for (const i of [5, 6, 7, 8, 9]) assert.ok(images.includes(`snap${i}`), `commit of c${i}`);
  for (const i of [10, 11, 12, 13, 14]) {
    const nets = Object.keys(JSON.parse(sb.ok(['inspect', '-f', '{{json .NetworkSettings.Networks}}', `c${i}`])) as object).sort();
    assert.deepEqual(nets, ['bridge', NET]);
  }
  const ips = addressesOn(NET);
  assert.equal(new Set(ips).size, ips.length);
  assert.equal(ips.length, 20);
  // the dashboard is still alive and drawing
  await tm.waitFor('20 running in the dashboard', (s) => (/1 Containers 20\b/.test(s) ? s : undefined), 30_000);
  tm.keys('q');
});
