/**
 * The rest of docker's container surface on the embedded engine, on the real Debian image:
 * the cases shared with the private dockerd (container-surface-cases.ts), then what only
 * berth's side can show — the healthcheck reached with no berth process running (its state
 * file watched directly), the cgroup files `update` changes, the monitor gone after rm, the
 * image's HEALTHCHECK, export to a pipe and its refusal of a terminal.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Box, NONE } from './container-support.js';
import { BERTH } from '../helpers/berth.js';
import { debianTarball } from '../fixtures/debian.js';
import * as cases from './container-surface-cases.js';

let sb: Box;
let berth: cases.Engine;

before(() => {
  sb = new Box('berth-surface');
  sb.ok(['import', debianTarball(), 'debian:12'], { timeout: 120_000 });
  berth = {
    label: 'berth',
    image: 'debian:12',
    run: (a, o) => sb.run(a, o),
    containers: () => sb.ok(['ps', '-aq', '--no-trunc']).trim().split('\n').filter(Boolean).sort(),
    missingDeviceExit: 125,
  };
});
after(() => sb.disposeChecked());

const V1 = !existsSync('/sys/fs/cgroup/cgroup.controllers');
const cg = (ctrl: string, id: string, file: string) => readFileSync(`/sys/fs/cgroup/${ctrl}/berth/${id}/${file}`, 'utf8').trim();

/** The health monitor of this sandbox's state root, while it runs (its command line names the root). */
function monitors(): number[] {
  return readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .filter((p) => {
      try {
        const cmd = readFileSync(`/proc/${p}/cmdline`, 'utf8');
        return cmd.includes('health-monitor') && cmd.includes(sb.root);
      } catch {
        return false;
      }
    })
    .map(Number);
}

test('healthcheck: healthy, then unhealthy, with no berth process running meanwhile', () => {
  cases.healthcheck(berth, 'hc', (id, status) => {
    // the monitor's state file, read directly: no berth command runs until the status is reached
    const file = join(sb.root, 'containers', id, 'health.json');
    cases.waitFor(`health.json says ${status}`, () => {
      try {
        return JSON.parse(readFileSync(file, 'utf8')).Status === status ? true : undefined;
      } catch {
        return undefined;
      }
    });
  });
  // rm -f removed the root's last healthcheck job: its one monitor ends by itself (~2 s later)
  cases.waitFor('the health monitor to end', () => (monitors().length === 0 ? true : undefined), 10_000);
});

test("healthcheck refusals: docker's messages, exit 125, nothing created", () => cases.healthRefusals(berth));

test("the image's HEALTHCHECK is used when no flags are given; flags override parts of it", () => {
  const dir = mkdtempSync(join(tmpdir(), 'berth-hc-build-'));
  try {
    writeFileSync(join(dir, 'Dockerfile'), 'FROM debian:12\nHEALTHCHECK --interval=1s --retries=1 CMD true\n');
    sb.ok(['build', '-t', 'hc-image:1', dir], { timeout: 180_000 });
    sb.ok(['run', '-d', '--name', 'hci', ...NONE, 'hc-image:1', 'sleep', '300']);
    cases.waitFor('hci healthy', () => (sb.inspect('hci').State.Health?.Status === 'healthy' ? true : undefined));
    assert.deepEqual(sb.inspect('hci').Config.Healthcheck, { Test: ['CMD-SHELL', 'true'], Interval: 1e9, Retries: 1 });
    sb.ok(['rm', '-f', 'hci']);
    // --health-retries alone keeps the image's command and interval
    const id = sb.ok(['create', ...NONE, '--health-retries', '4', 'hc-image:1', 'true']).trim();
    assert.deepEqual(sb.inspect(id).Config.Healthcheck, { Test: ['CMD-SHELL', 'true'], Interval: 1e9, Retries: 4 });
    sb.ok(['rm', id]);
    const off = sb.ok(['create', ...NONE, '--no-healthcheck', 'hc-image:1', 'true']).trim();
    // dockerd's merge fills the image's interval and retries in under NONE too
    assert.deepEqual(sb.inspect(off).Config.Healthcheck, { Test: ['NONE'], Interval: 1e9, Retries: 1 });
    assert.equal(sb.inspect(off).State.Health, undefined);
    sb.ok(['rm', off]);
    sb.ok(['rmi', 'hc-image:1']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("update: limits in place, kept for the next start; docker's refusals", () => cases.update(berth, 'upd'));

test("update changes the running container's cgroup files (v1)", { skip: !V1 && 'cgroup v2 host: see test/cgroups/live-v2.guest.ts' }, () => {
  const id = sb.runD(['--name', 'updcg', ...NONE, '-m', '64m', 'debian:12', 'sleep', '300']);
  try {
    sb.ok([
      'update',
      '-m',
      '200m',
      '--memory-swap',
      '400m',
      '--memory-reservation',
      '100m',
      '--cpus',
      '0.25',
      '--cpu-shares',
      '256',
      '--pids-limit',
      '30',
      '--cpuset-cpus',
      '0',
      'updcg',
    ]);
    assert.equal(cg('memory', id, 'memory.limit_in_bytes'), String(200 * 1024 * 1024));
    if (existsSync(`/sys/fs/cgroup/memory/berth/${id}/memory.memsw.limit_in_bytes`))
      assert.equal(cg('memory', id, 'memory.memsw.limit_in_bytes'), String(400 * 1024 * 1024));
    assert.equal(cg('memory', id, 'memory.soft_limit_in_bytes'), String(100 * 1024 * 1024));
    assert.equal(Number(cg('cpu', id, 'cpu.cfs_quota_us')) / Number(cg('cpu', id, 'cpu.cfs_period_us')), 0.25);
    assert.equal(cg('cpu', id, 'cpu.shares'), '256');
    assert.equal(cg('pids', id, 'pids.max'), '30');
    assert.equal(cg('cpuset', id, 'cpuset.cpus'), '0');
    // -1 lifts the pids limit
    sb.ok(['update', '--pids-limit', '-1', 'updcg']);
    assert.equal(cg('pids', id, 'pids.max'), 'max');
    // the same container, restarted: the record's limits
    sb.ok(['restart', '-t', '1', 'updcg']);
    assert.equal(cg('memory', id, 'memory.limit_in_bytes'), String(200 * 1024 * 1024));
    assert.equal(cg('cpu', id, 'cpu.shares'), '256');
    assert.equal(cg('pids', id, 'pids.max'), 'max');
  } finally {
    sb.ok(['rm', '-f', 'updcg']);
  }
});

test("port: docker's forms", () => cases.port(berth, 'prt'));
test("diff: A/C/D from the upper dir, whiteouts and opaque dirs, docker's order", () => {
  cases.diff(berth, 'dif');
  // berth's order: by path, a directory right before what is in it
  sb.ok(['run', '--name', 'dif2', ...NONE, 'debian:12', 'sh', '-c', cases.DIFF_SCRIPT]);
  assert.deepEqual(sb.ok(['diff', 'dif2']).trim().split('\n'), cases.DIFF_EXPECTED);
  sb.ok(['rm', 'dif2']);
});
test('export → import → export: the same tree', () => cases.exportRoundTrip(berth, 'exp'));

test('export to a pipe; refused on a terminal; an unknown container', () => {
  sb.ok(['create', '--name', 'expp', ...NONE, 'debian:12', 'true']);
  try {
    const r = spawnSync(BERTH, ['export', 'expp'], { env: sb.env, maxBuffer: 512 << 20 });
    assert.equal(r.status, 0, r.stderr?.toString());
    const dir = mkdtempSync(join(tmpdir(), 'berth-exp-pipe-'));
    writeFileSync(join(dir, 'p.tar'), r.stdout);
    const names = cases.listing(join(dir, 'p.tar'));
    assert.ok(
      names.some((l) => / usr\/bin\/dpkg$/.test(l)),
      names.slice(0, 5).join('\n'),
    );
    rmSync(dir, { recursive: true, force: true });
    // a terminal: python's pty module gives the command one as stdout
    const pty = spawnSync('python3', ['-c', 'import pty,sys; sys.exit(pty.spawn(sys.argv[1:]) >> 8)', BERTH, 'export', 'expp'], { env: sb.env });
    const out = pty.stdout.toString();
    assert.match(out, /cowardly refusing to save to a terminal\. Use the -o flag or redirect/);
    const missing = sb.run(['export', 'nosuch']);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /No such container: nosuch/);
  } finally {
    sb.ok(['rm', 'expp']);
  }
});

test("events: --since/--until, filters, docker's line and {{json .}}", () => cases.events(berth, 'evt'));
test("system df: docker's table, --format, -v", () => cases.systemDf(berth, 'sdf'));
