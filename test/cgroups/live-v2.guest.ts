/**
 * cgroup v2, live, inside the Debian 12 VM that live-v2-vm.test.ts boots (pure v2, systemd 252
 * as PID 1). Not part of the host's suite (its name does not end in .test.ts): the host runs it
 * in the guest with the built project and reports each case as its own.
 *
 * One busy container carries most cases (every berth command costs seconds under emulation):
 * it is made by the CLI on the default bridge with limits, then read through the cgroup files,
 * systemd, `stats`, the dashboard's sampler, and removed. Two small ones cover a container
 * started from a systemd service and the cgroupfs driver.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CgroupSampler, chooseCgroupDriver, cgroupsPathFor, detectCgroups, readLimits } from '../../src/cgroups/index.js';
import { busyboxTarball } from '../fixtures/busybox.js';
import { BERTH, Sandbox } from '../helpers/berth.js';

const MiB = 1024 * 1024;
const layout = detectCgroups();
const CG = '/sys/fs/cgroup';
/** Every case has a bound of its own: a hang fails that case, not the whole VM run. */
const T = { timeout: 120_000 };

const cat = (p: string) => readFileSync(p, 'utf8').trim();
const systemctl = (...args: string[]) => execFileSync('systemctl', args, { encoding: 'utf8' }).trim();
/** `systemctl show` properties as a map. */
function unitProps(unit: string, props: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const l of systemctl('show', unit, ...props.map((p) => `--property=${p}`)).split('\n')) {
    const i = l.indexOf('=');
    if (i > 0) out[l.slice(0, i)] = l.slice(i + 1);
  }
  return out;
}
const usageUsec = (dir: string) => Number(/^usage_usec (\d+)$/m.exec(cat(join(dir, 'cpu.stat')))![1]);
const throttled = (dir: string) => Number(/^nr_throttled (\d+)$/m.exec(cat(join(dir, 'cpu.stat')))![1]);
/** The pid of the process whose command line contains `cmdline` (NUL-separated arguments). */
function pidOf(cmdline: string): number | undefined {
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      if (readFileSync(`/proc/${e}/cmdline`, 'latin1').includes(cmdline)) return Number(e);
    } catch {
      // gone meanwhile
    }
  }
  return undefined;
}
const berthScopes = () => readdirSync(join(CG, 'machine.slice')).filter((e) => e.startsWith('berth-'));
/** The cgroup a process is in (v2: one line "0::PATH"). */
const cgroupOf = (pid: number) => cat(`/proc/${pid}/cgroup`).replace(/^0::/, '');

async function until(what: string, ok: () => boolean, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) assert.fail(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(100);
  }
}

describe('cgroup v2 in a VM: berth on systemd', () => {
  let sb: Sandbox;
  let id = '';
  let pid = 0;
  let scopeDir = '';
  const sdPath = () => cgroupsPathFor(id, { driver: 'systemd' });
  /** conmon's pid for a container of the sandbox (its bundle's pid file). */
  const conmonPid = (cid: string) => Number(cat(join(sb.root, 'containers', cid, 'conmon.pid')));

  before(() => {
    sb = new Sandbox('berth-v2');
  });
  after(() => sb?.dispose());

  it('the guest is pure cgroup v2 under systemd; `info` reports it, with the systemd driver', T, () => {
    assert.equal(layout.mode, 'v2');
    for (const c of ['cpu', 'memory', 'pids', 'io']) assert.ok(layout.controllers.includes(c), `controller ${c} in ${layout.controllers}`);
    assert.equal(cat('/proc/1/comm'), 'systemd');
    assert.equal(chooseCgroupDriver(layout), 'systemd');
    const info = sb.ok(['info']);
    assert.match(info, /Cgroup Driver: systemd/);
    assert.match(info, /Cgroup Version: 2/);
  });

  it('import: a busybox rootfs tarball becomes an image', T, () => {
    sb.ok(['import', busyboxTarball(), 'busybox']);
    assert.match(sb.ok(['images']), /^busybox\s+latest\s+[0-9a-f]{12}\s/m);
  });

  it('run on the default bridge with --memory/--cpus/--pids-limit: a scope in machine.slice with memory.max, cpu.max, pids.max', T, (t) => {
    const t0 = Date.now();
    id = sb.ok(['run', '-d', '--name', 'busy', '--memory', '64m', '--cpus', '0.5', '--pids-limit', '50', 'busybox', 'sh', '-c', 'while :; do :; done']).trim();
    t.diagnostic(`run -d: ${Date.now() - t0} ms`);
    assert.match(id, /^[0-9a-f]{64}$/);
    const insp = JSON.parse(sb.ok(['inspect', 'busy']))[0];
    pid = insp.State.Pid;
    scopeDir = join(CG, 'machine.slice', `berth-${id}.scope`);
    assert.equal(cgroupOf(pid), `/machine.slice/berth-${id}.scope`);
    assert.equal(insp.HostConfig.CgroupParent, 'machine.slice');
    assert.equal(cat(join(scopeDir, 'memory.max')), String(64 * MiB));
    assert.equal(cat(join(scopeDir, 'cpu.max')), '50000 100000');
    assert.equal(cat(join(scopeDir, 'pids.max')), '50');
    // berth's own reader agrees with the files
    const l = readLimits(layout, sdPath());
    assert.equal(l.memory, 64 * MiB);
    assert.equal(l.cpuQuota, 50000);
    assert.equal(l.cpuPeriod, 100000);
    assert.equal(l.pidsMax, 50);
    // on the default bridge: an address in its subnet, reachable from the host side
    const net = insp.NetworkSettings.Networks.bridge;
    assert.ok(net && net.IPAddress && net.Gateway, JSON.stringify(insp.NetworkSettings));
    assert.equal(net.IPAddress.split('.').slice(0, 2).join('.'), net.Gateway.split('.').slice(0, 2).join('.'));
    execFileSync('busybox', ['ping', '-c', '1', '-W', '5', net.IPAddress]);
  });

  it('systemd knows the scope and its limits; the monitor runs in a scope of its own', T, () => {
    const p = unitProps(`berth-${id}.scope`, ['ActiveState', 'MemoryMax', 'CPUQuotaPerSecUSec', 'TasksMax', 'Delegate']);
    assert.deepEqual(p, { ActiveState: 'active', MemoryMax: String(64 * MiB), CPUQuotaPerSecUSec: '500ms', TasksMax: '50', Delegate: 'yes' });
    const monitor = cgroupOf(conmonPid(id));
    assert.match(monitor, new RegExp(`^/machine\\.slice/berth-conmon-${id}-[0-9a-f]{8}\\.scope$`));
    // not in the unit that ran berth (this test's), which would take it down when it stops
    assert.notEqual(monitor, cgroupOf(process.pid));
  });

  it('stats --no-stream: memory in use against the limit, CPU growing under the busy loop', T, (t) => {
    const before = usageUsec(scopeDir);
    const js = JSON.parse(sb.ok(['stats', '--no-stream', '--format', 'json', 'busy']).trim());
    const after = usageUsec(scopeDir);
    t.diagnostic(`stats: ${JSON.stringify(js)}; cpu.stat usage ${before} → ${after} µs`);
    assert.ok(after > before, 'the loop keeps using CPU');
    const [used, limit] = (js.MemUsage as string).split(' / ');
    assert.equal(limit, '64MiB');
    assert.match(used!, /^[\d.]+(B|KiB|MiB)$/);
    assert.ok(parseFloat(used!) > 0, js.MemUsage);
    // 100 % = one core. Wall-clock shares are not asserted (an emulated guest's clock lags under
    // host load); the quota's hold is: the kernel throttled the loop.
    const cpu = parseFloat(js.CPUPerc);
    assert.ok(cpu > 0 && cpu <= 100 * cpus().length, js.CPUPerc);
    assert.ok(throttled(scopeDir) > 0, 'cpu.max throttles the loop');
    assert.equal(js.PIDs, '1');
  });

  it("the dashboard's sampler reads live v2 figures: ≈ the quota, the limit, the ping's bytes", T, async (t) => {
    const s = new CgroupSampler({ layout });
    try {
      assert.equal(s.track(id, 'busy', sdPath(), pid), true);
      const first = s.sample()[0]!;
      assert.equal(first.cpuPercent, null);
      await sleep(2000);
      const x = s.sample()[0]!;
      t.diagnostic(`sampler: cpu ${x.cpuPercent?.toFixed(1)} %, mem ${x.memUsage} B of ${x.memLimit}, pids ${x.pids}, net rx ${x.netRx} tx ${x.netTx}`);
      assert.ok(x.cpuNs > first.cpuNs);
      assert.ok(x.cpuPercent! > 0 && x.cpuPercent! <= 100 * cpus().length, `cpuPercent ${x.cpuPercent}`);
      assert.equal(x.memLimit, 64 * MiB);
      assert.ok(x.memUsage > 0 && x.memUsage < 64 * MiB, `memUsage ${x.memUsage}`);
      assert.equal(x.pids, Number(cat(join(scopeDir, 'pids.current'))));
      assert.ok(x.netRx > 0 && x.netTx > 0, 'the ping went through its veth');
    } finally {
      s.close();
    }
  });

  it('systemctl daemon-reload leaves the scope, its process and its limits alone', T, () => {
    systemctl('daemon-reload');
    assert.equal(cgroupOf(pid), `/machine.slice/berth-${id}.scope`);
    assert.equal(cat(join(scopeDir, 'memory.max')), String(64 * MiB));
    assert.equal(cat(join(scopeDir, 'cpu.max')), '50000 100000');
    assert.equal(cat(join(scopeDir, 'pids.max')), '50');
    assert.equal(unitProps(`berth-${id}.scope`, ['ActiveState']).ActiveState, 'active');
  });

  it('exec joins the container\'s scope (seen from the host; inside, its private cgroup namespace shows "/")', T, async () => {
    // docker's default on cgroup v2 is a private cgroup namespace: the container's scope is its root
    assert.equal(sb.ok(['exec', 'busy', 'cat', '/proc/self/cgroup']).trim(), '0::/');
    sb.ok(['exec', '-d', 'busy', 'sleep', '4321']);
    let found: number | undefined;
    await until("the exec'd sleep", () => (found = pidOf('sleep\u00004321')) !== undefined);
    assert.equal(cgroupOf(found!), `/machine.slice/berth-${id}.scope`);
    // the busy loop (pid 1) never reaps, so the sleep stays counted: hence after the stats cases
  });

  it('run --rm attached: the output and the exit code come back through the monitor; nothing is left', T, async () => {
    // --cgroupns host: the process sees its place in the host's tree (docker's v2 default is private)
    const r = sb.run(['run', '--rm', '--cgroupns', 'host', '--net', 'none', 'busybox', 'sh', '-c', 'cat /proc/self/cgroup; exit 3']);
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stdout, /^0::\/machine\.slice\/berth-[0-9a-f]{64}\.scope$/m);
    await until('its scopes to go', () => berthScopes().filter((e) => !e.includes(id)).length === 0);
    assert.equal(sb.ok(['ps', '-aq']).trim().split('\n').length, 1, 'only busy is left');
  });

  it("rm leaves no cgroup behind: neither the container's scope nor its monitor's", T, async () => {
    const monitor = conmonPid(id);
    sb.ok(['rm', '-f', 'busy']);
    assert.equal(existsSync(scopeDir), false, scopeDir);
    // the monitor scope goes with conmon, once its exit command has run
    await until('the monitor to exit', () => !existsSync(`/proc/${monitor}`));
    await until('no berth scope left', () => berthScopes().length === 0);
    assert.equal(systemctl('list-units', '--all', '--plain', '--no-legend', 'berth-*.scope'), '');
  });

  it('a container started from a systemd service keeps its monitor after the service ended', T, async (t) => {
    // Under the cgroupfs driver conmon stayed in the service's cgroup: systemd killed it when
    // the service stopped (after 90 s of "stop-sigterm") and the container was left unmonitored.
    const env = sb.env;
    const setenv = ['BERTH_ROOT', 'BERTH_RUNROOT', 'BERTH_BRIDGE_NAME', 'BERTH_SRC_ROOT'].flatMap((k) => (env[k] ? ['-E', `${k}=${env[k]}`] : []));
    const t0 = Date.now();
    const r = spawnSync(
      'systemd-run',
      [
        '--wait',
        '--quiet',
        '--collect',
        '-p',
        'TimeoutStopSec=30',
        ...setenv,
        BERTH,
        'run',
        '-d',
        '--rm',
        '--net',
        'none',
        '--name',
        'svc',
        'busybox',
        'sleep',
        '600',
      ],
      { encoding: 'utf8', timeout: 90_000 },
    );
    t.diagnostic(`systemd-run --wait berth run -d: exit ${r.status} in ${Date.now() - t0} ms`);
    assert.equal(r.status, 0, r.stderr);
    const insp = JSON.parse(sb.ok(['inspect', 'svc']))[0];
    const monitor = conmonPid(insp.Id);
    assert.ok(existsSync(`/proc/${monitor}`), 'conmon outlived the service');
    assert.match(cgroupOf(monitor), /^\/machine\.slice\/berth-conmon-/);
    assert.equal(insp.State.Status, 'running');
    // The container ends by itself (not through berth): only its monitor sees that, and runs
    // berth's cleanup, which honours --rm.
    process.kill(insp.State.Pid, 'SIGKILL');
    await until('the monitor to remove the --rm container', () => !existsSync(join(sb.root, 'containers', insp.Id)), 60_000);
    assert.equal(sb.ok(['ps', '-aq']).trim(), '');
    await until('no berth scope left', () => berthScopes().length === 0);
  });

  it('the cgroupfs driver (hosts without systemd) on v2: /berth/<id> with the limits, gone after rm', T, () => {
    const env = { ...sb.env, BERTH_CGROUP_DRIVER: 'cgroupfs' };
    const berth = (args: string[]) => {
      const r = spawnSync(BERTH, args, { env, encoding: 'utf8', timeout: 60_000 });
      assert.equal(r.status, 0, `berth ${args.join(' ')}: ${r.stderr}`);
      return r.stdout;
    };
    assert.match(berth(['info']), /Cgroup Driver: cgroupfs/);
    const fid = berth([
      'run',
      '-d',
      '--net',
      'none',
      '--name',
      'fs',
      '--memory',
      '32m',
      '--cpus',
      '0.25',
      '--pids-limit',
      '20',
      'busybox',
      'sleep',
      '600',
    ]).trim();
    const dir = join(CG, 'berth', fid);
    const fpid = Number(berth(['inspect', '-f', '{{.State.Pid}}', 'fs']).trim());
    assert.equal(cgroupOf(fpid), `/berth/${fid}`);
    assert.equal(cat(join(dir, 'memory.max')), String(32 * MiB));
    assert.equal(cat(join(dir, 'cpu.max')), '25000 100000');
    assert.equal(cat(join(dir, 'pids.max')), '20');
    // update writes the cgroupfs files in place
    assert.equal(berth(['update', '--memory', '48m', '--memory-swap', '96m', '--pids-limit', '30', 'fs']), 'fs\n');
    assert.equal(cat(join(dir, 'memory.max')), String(48 * MiB));
    assert.equal(cat(join(dir, 'pids.max')), '30');
    berth(['rm', '-f', 'fs']);
    assert.equal(existsSync(dir), false, dir);
    assert.deepEqual(
      readdirSync(join(CG, 'berth'), { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .map((e) => e.name),
      [],
    );
  });

  it('update changes memory.max, cpu.max and pids.max of a running container in place (systemd driver), kept for the next start', T, () => {
    const uid = sb
      .ok(['run', '-d', '--net', 'none', '--name', 'upd', '--memory', '64m', '--cpus', '0.5', '--pids-limit', '40', 'busybox', 'sleep', '600'])
      .trim();
    const dir = join(CG, 'machine.slice', `berth-${uid}.scope`);
    assert.equal(cat(join(dir, 'memory.max')), String(64 * MiB));
    assert.equal(sb.ok(['update', '--memory', '96m', '--memory-swap', '192m', '--cpus', '0.25', '--pids-limit', '25', 'upd']), 'upd\n');
    assert.equal(cat(join(dir, 'memory.max')), String(96 * MiB));
    assert.equal(cat(join(dir, 'memory.swap.max')), String(96 * MiB));
    assert.equal(cat(join(dir, 'cpu.max')), '25000 100000');
    assert.equal(cat(join(dir, 'pids.max')), '25');
    // systemd knows the new limits too (runc sets the scope's properties)
    const props = unitProps(`berth-${uid}.scope`, ['MemoryMax', 'TasksMax', 'CPUQuotaPerSecUSec']);
    assert.equal(props.MemoryMax, String(96 * MiB));
    assert.equal(props.TasksMax, '25');
    assert.equal(props.CPUQuotaPerSecUSec, '250ms');
    // the container sees its own limit (private cgroup namespace, docker's v2 default)
    assert.equal(sb.ok(['exec', 'upd', 'cat', '/sys/fs/cgroup/memory.max']).trim(), String(96 * MiB));
    // restarted: the record's limits
    sb.ok(['restart', '-t', '1', 'upd']);
    assert.equal(cat(join(dir, 'memory.max')), String(96 * MiB));
    assert.equal(cat(join(dir, 'pids.max')), '25');
    const h = JSON.parse(sb.ok(['inspect', 'upd']))[0].HostConfig;
    assert.equal(h.Memory, 96 * MiB);
    assert.equal(h.NanoCpus, 250_000_000);
    sb.ok(['rm', '-f', 'upd']);
  });

  it('the shipped berth.socket and berth.service: the first request starts the service, which exits when idle; the socket stays', T, async () => {
    const units = join(import.meta.dirname, '../../../contrib/systemd');
    const service = readFileSync(join(units, 'berth.service'), 'utf8');
    assert.match(service, /^ExecStart=\/usr\/local\/bin\/berth /m);
    // the units as shipped, berth where this checkout has it and the sandbox's state root
    writeFileSync('/etc/systemd/system/berth.socket', readFileSync(join(units, 'berth.socket')));
    writeFileSync(
      '/etc/systemd/system/berth.service',
      service.replace('/usr/local/bin/berth', BERTH).replace('[Service]\n', `[Service]\nEnvironment=BERTH_ROOT=${sb.root} BERTH_RUNROOT=${sb.runRoot}\n`),
    );
    const sock = '/run/berth/berth.sock';
    try {
      systemctl('daemon-reload');
      systemctl('start', 'berth.socket');
      assert.equal(statSync(sock).mode & 0o777, 0o660);
      const active = (u: string) => spawnSync('systemctl', ['is-active', u], { encoding: 'utf8' }).stdout.trim();
      assert.equal(active('berth.service'), 'inactive'); // nothing runs before a client comes
      const ping = () =>
        new Promise<string>((resolve, reject) => {
          const req = httpRequest({ socketPath: sock, path: '/v1.41/containers/json?all=1', timeout: 60_000 }, (res) => {
            let body = '';
            res.on('data', (d) => (body += d));
            res.on('end', () => resolve(`${res.statusCode} ${body}`));
          });
          req.on('error', reject).on('timeout', () => req.destroy(new Error('no answer')));
          req.end();
        });
      // the sandbox's containers, through the socket systemd made and passed on
      const listed = await ping();
      assert.match(listed, /^200 \[/);
      const ids = (JSON.parse(listed.slice(4)) as { Id: string }[]).map((c) => c.Id).sort();
      assert.deepEqual(ids, sb.ok(['ps', '-aq', '--no-trunc']).trim().split('\n').filter(Boolean).sort());
      assert.equal(active('berth.socket'), 'active');
      await until('the service to exit when idle (--time 5)', () => active('berth.service') === 'inactive', 60_000);
      assert.equal(active('berth.socket'), 'active');
      assert.match(await ping(), /^200 /); // and it comes back for the next client
    } finally {
      spawnSync('systemctl', ['stop', 'berth.socket', 'berth.service']);
      rmSync('/etc/systemd/system/berth.socket', { force: true });
      rmSync('/etc/systemd/system/berth.service', { force: true });
      spawnSync('systemctl', ['daemon-reload']);
    }
  });

  it('system reset with a container running leaves no scope, cgroup, monitor or mount of berth', T, async () => {
    const rid = sb.ok(['run', '-d', '--net', 'none', 'busybox', 'sleep', '600']).trim();
    const monitor = conmonPid(rid);
    sb.ok(['system', 'reset', '--force']);
    await until('its monitor to exit', () => !existsSync(`/proc/${monitor}`));
    await until('no berth scope left', () => berthScopes().length === 0);
    assert.deepEqual(
      readdirSync(join(CG, 'berth'), { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .map((e) => e.name),
      [],
    );
    assert.deepEqual(
      readFileSync('/proc/self/mountinfo', 'utf8')
        .split('\n')
        .filter((l) => l.includes(sb.dir)),
      [],
    );
  });
});
