/**
 * One healthcheck monitor per state root (issue 16): containers with healthchecks share one
 * detached process, which runs only while one of them runs. Three containers started at once
 * get exactly one monitor and all become healthy; stopping one leaves the others probed and
 * its own health file untouched; after the last stops the monitor ends by itself. A monitor
 * killed with SIGKILL is started again by the next healthchecked start, and it re-arms the
 * checks of every container still running (as dockerd re-arms them when it restarts).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Box, NONE } from './container-support.js';
import { BERTH } from '../helpers/berth.js';
import { waitFor } from './container-surface-cases.js';

let sb: Box;
before(() => {
  sb = new Box('berth-health');
});
after(() => sb.disposeChecked());

const HC = ['--health-cmd', 'test -e /tmp/ok', '--health-interval', '1s', '--health-retries', '2'];
const CMD = ['busybox', 'sh', '-c', 'touch /tmp/ok; exec sleep 300'];

/** This sandbox's health monitor processes (their command line names the state root). */
function monitors(): number[] {
  return readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .filter((p) => {
      try {
        const cmd = readFileSync(`/proc/${p}/cmdline`, 'utf8');
        return cmd.includes('health-monitor.js') && cmd.includes(JSON.stringify(sb.root));
      } catch {
        return false;
      }
    })
    .map(Number);
}

interface Health {
  Status: string;
  FailingStreak: number;
  Log: { Start: string; End: string; ExitCode: number }[];
}
const healthFile = (id: string) => join(sb.root, 'containers', id, 'health.json');
const health = (id: string): Health => JSON.parse(readFileSync(healthFile(id), 'utf8'));
const pidFile = () => join(sb.runRoot, 'health', 'monitor.pid');

function waitHealth(id: string, status: string, also: (h: Health) => boolean = () => true): void {
  waitFor(`${id.slice(0, 12)} ${status}`, () => {
    try {
      const h = health(id);
      return h.Status === status && also(h) ? true : undefined;
    } catch {
      return undefined;
    }
  });
}

/** `berth run -d` of several containers at the same time: each berth process makes sure the monitor runs. */
async function runAtOnce(names: string[]): Promise<string[]> {
  const ids = await Promise.all(
    names.map(
      (n) =>
        new Promise<string>((resolve, reject) => {
          const c = spawn(BERTH, ['run', '-d', '--name', n, ...NONE, ...HC, ...CMD], { env: sb.env });
          let out = '';
          let err = '';
          c.stdout.on('data', (d) => (out += d));
          c.stderr.on('data', (d) => (err += d));
          c.on('error', reject);
          c.on('close', (code) => (code === 0 ? resolve(out.trim().split('\n').pop()!) : reject(new Error(`run ${n} exited ${code}: ${err}`))));
        }),
    ),
  );
  for (const id of ids) sb.ids.add(id);
  return ids;
}

const lastEnd = (id: string) => health(id).Log.at(-1)?.End ?? '';

test('three healthchecked containers started at once share ONE monitor; stopping one leaves the others probed; after the last stops it ends', async () => {
  const ids = await runAtOnce(['h1', 'h2', 'h3']);
  const [h1, h2, h3] = ids as [string, string, string];
  for (const id of ids) waitHealth(id, 'healthy');
  const mons = monitors();
  assert.equal(mons.length, 1, `monitors: ${mons.join(' ')}`);
  const mon = mons[0]!;
  assert.equal(Number(readFileSync(pidFile(), 'utf8')), mon);
  assert.deepEqual(readdirSync(join(sb.runRoot, 'health', 'jobs')).sort(), ids.map((id) => `${id}.json`).sort());
  for (const n of ['h1', 'h2', 'h3']) assert.equal(sb.inspect(n).State.Health.Status, 'healthy');

  sb.ok(['stop', '-t', '1', 'h1']);
  assert.equal(existsSync(join(sb.runRoot, 'health', 'jobs', `${h1}.json`)), false);
  // the others go on being probed, by the same monitor
  const after2 = lastEnd(h2);
  const after3 = lastEnd(h3);
  waitFor('h2 and h3 probed after h1 stopped', () => (lastEnd(h2) > after2 && lastEnd(h3) > after3 ? true : undefined), 30_000);
  const stopped = readFileSync(healthFile(h1), 'utf8');
  const again2 = lastEnd(h2);
  waitFor('h2 probed once more', () => (lastEnd(h2) > again2 ? true : undefined), 30_000);
  assert.equal(readFileSync(healthFile(h1), 'utf8'), stopped, 'nothing is written for a stopped container');
  assert.deepEqual(monitors(), [mon]);

  // one container's failing check is its own: the other stays healthy
  sb.ok(['exec', 'h2', 'rm', '/tmp/ok']);
  waitHealth(h2, 'unhealthy');
  assert.equal(health(h3).Status, 'healthy');
  // its events, from the shared monitor: healthy once, then unhealthy
  const until = String(Math.ceil(Date.now() / 1000) + 1);
  const events = sb.ok([
    'events',
    '--since',
    '10m',
    '--until',
    until,
    '--filter',
    `container=${h2}`,
    '--filter',
    'event=health_status',
    '--format',
    '{{.Action}}',
  ]);
  assert.deepEqual(events.trim().split('\n'), ['health_status: healthy', 'health_status: unhealthy']);

  sb.ok(['stop', '-t', '1', 'h2', 'h3']);
  waitFor('the monitor to end after its last job', () => (monitors().length === 0 ? true : undefined), 15_000);
  assert.equal(existsSync(pidFile()), false);
  assert.deepEqual(readdirSync(join(sb.runRoot, 'health', 'jobs')), []);

  // the next healthchecked start brings one back; rm -f ends it again
  sb.ok(['start', 'h1']);
  waitHealth(h1, 'healthy');
  assert.equal(monitors().length, 1);
  sb.ok(['rm', '-f', 'h1', 'h2', 'h3']);
  waitFor('the monitor to end after rm -f', () => (monitors().length === 0 ? true : undefined), 15_000);
});

test('a monitor killed with SIGKILL: the next healthchecked start runs a new one that re-arms every live container', async () => {
  const [k1, k2] = (await runAtOnce(['k1', 'k2'])) as [string, string];
  waitHealth(k1, 'healthy');
  waitHealth(k2, 'healthy');
  const [old] = monitors();
  assert.ok(old);
  process.kill(old, 'SIGKILL');
  waitFor('the monitor to die', () => (monitors().length === 0 ? true : undefined), 10_000);
  const killedAt = Date.now();

  const k3 = sb.runD(['--name', 'k3', ...NONE, ...HC, ...CMD]);
  const mons = waitFor('a new monitor', () => (monitors().length ? monitors() : undefined), 10_000);
  assert.equal(mons.length, 1);
  assert.notEqual(mons[0], old);
  // every running container's check runs again, under the new monitor
  const probedSince = (h: Health) => h.Log.some((l) => Date.parse(l.Start) > killedAt);
  for (const id of [k1, k2, k3]) waitHealth(id, 'healthy', probedSince);
  assert.deepEqual(monitors(), mons);

  sb.ok(['rm', '-f', 'k1', 'k2', 'k3']);
  waitFor('the monitor to end after rm -f', () => (monitors().length === 0 ? true : undefined), 15_000);
});

test('a paused container is not made unhealthy: its checks wait, and go on after unpause', () => {
  const id = sb.ok(['run', '-d', '--name', 'hp', ...NONE, ...HC, ...CMD]).trim();
  sb.ids.add(id);
  waitHealth(id, 'healthy');
  sb.ok(['pause', 'hp']);
  const frozen = readFileSync(healthFile(id), 'utf8');
  // retries 2 at 1 s: two failed probes would have made it unhealthy by now
  const until = Date.now() + 4000;
  while (Date.now() < until) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
  assert.equal(readFileSync(healthFile(id), 'utf8'), frozen, 'no result recorded while paused');
  assert.equal(sb.inspect('hp').State.Health.Status, 'healthy');
  sb.ok(['unpause', 'hp']);
  const last = lastEnd(id);
  waitHealth(id, 'healthy', (h) => (h.Log.at(-1)?.End ?? '') > last && h.FailingStreak === 0);
  sb.ok(['rm', '-f', 'hp']);
});
