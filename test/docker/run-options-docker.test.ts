/**
 * The run/create option cases of test/cli/run-option-cases.ts against a private dockerd, on the
 * same Debian image (`docker import`ed): through berth's Docker-API backend (`berth -H`) and
 * through docker 20.10's own CLI as the oracle. Same cases, same outcomes as on the embedded
 * engine, except where docker itself differs (said at each such case).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { casesOnDockerd } from './oracle.js';
import { NEEDS_ROOT } from '../helpers/tools.js';
import { DEBIAN_REF } from '../fixtures/docker-built.js';
import * as cases from '../cli/run-option-cases.js';

const skip = NEEDS_ROOT;

const on = casesOnDockerd('berth-ropts', skip);
const both = (fn: (e: cases.Engine) => void) => on.both((e) => fn(e));
const missingCaps = cases.capsMissingHere().length > 0;

test('capabilities: --cap-add/--cap-drop in CapEff; unknown refused', { skip }, both(cases.capabilities));
test(
  '--privileged: host devices, every capability, no seccomp',
  {
    skip:
      skip ??
      (missingCaps &&
        `the host's bounding set lacks ${cases.capsMissingHere().join(', ')}: dockerd asks runc for every capability and fails with "unable to apply caps", where berth gives the ones it holds`),
  },
  both(cases.privileged),
);
test('--device: made and usable as its permissions say; a missing one is refused', { skip }, both(cases.devices));
test('--read-only: / refuses writes; tmpfs, /dev/shm, /proc, /etc files work', { skip }, both(cases.readOnly));
test(
  '--init: pid 1 is the init and reaps an orphaned zombie',
  { skip },
  on.both((e, tag) => cases.init(e, `rod-init-${tag}`)),
);
test('--ulimit: the limits inside; bad ones refused', { skip }, both(cases.ulimits));
test('--sysctl: namespaced ones set inside only; others refused', { skip }, both(cases.sysctls));
test('--shm-size: the size of /dev/shm', { skip }, both(cases.shmSize));
test("--pid host: the host's processes are visible", { skip }, both(cases.pidHost));
test(
  '--ipc container:X shares with a shareable donor; a private one is refused',
  { skip },
  on.both((e, tag) => cases.ipcContainer(e, `rod-ipc-${tag}`)),
);
test(
  '--log-opt max-size=1k,max-file=3 rotates; logs reads across the files',
  { skip },
  on.both((e, tag) => cases.logRotation(e, `rod-rot-${tag}`)),
);
test(
  '--log-driver json-file and none',
  { skip },
  on.both((e, tag) => cases.logDrivers(e, `rod-drv-${tag}`)),
);
test(
  "logs --since/--until in docker's time forms",
  { skip },
  on.both((e, tag) => cases.logsSinceUntil(e, `rod-since-${tag}`)),
);

test("berth -H sends each option in docker's HostConfig: inspect by the daemon shows them", { skip }, () => {
  const id = cases
    .ok(on.berth(), [
      'create',
      '--name',
      'rod-insp',
      '--network',
      'none',
      '--cap-add',
      'net_admin',
      '--cap-drop',
      'CAP_CHOWN',
      '--init',
      '--read-only',
      '--device',
      '/dev/fuse',
      '--ulimit',
      'nofile=100:200',
      '--shm-size',
      '128m',
      '--sysctl',
      'net.ipv4.ip_forward=1',
      '--security-opt',
      'no-new-privileges',
      '--group-add',
      '50',
      '--ipc',
      'shareable',
      '--pid',
      'host',
      '--uts',
      'host',
      '--cgroupns',
      'private',
      '--userns',
      'host',
      '--dns-search',
      'example.com',
      '--dns-option',
      'ndots:2',
      '--domainname',
      'example.org',
      '--expose',
      '8080',
      '--log-driver',
      'json-file',
      '--log-opt',
      'max-size=1k',
      '--cpuset-cpus',
      '0',
      '--cpu-period',
      '100000',
      '--cpu-quota',
      '50000',
      '--memory-reservation',
      '64m',
      '--oom-kill-disable',
      '-m',
      '256m',
      '--mac-address',
      '02:42:ac:11:00:09',
      DEBIAN_REF,
      'true',
    ])
    .trim();
  try {
    const doc = JSON.parse(cases.ok(on.docker(), ['inspect', id]))[0];
    const h = doc.HostConfig;
    assert.deepEqual(h.CapAdd, ['net_admin']);
    assert.deepEqual(h.CapDrop, ['CAP_CHOWN']);
    assert.equal(h.Init, true);
    assert.equal(h.ReadonlyRootfs, true);
    assert.deepEqual(h.Devices, [{ PathOnHost: '/dev/fuse', PathInContainer: '/dev/fuse', CgroupPermissions: 'rwm' }]);
    assert.deepEqual(h.Ulimits, [{ Name: 'nofile', Hard: 200, Soft: 100 }]);
    assert.equal(h.ShmSize, 134217728);
    assert.deepEqual(h.Sysctls, { 'net.ipv4.ip_forward': '1' });
    assert.ok(h.SecurityOpt.includes('no-new-privileges'));
    assert.deepEqual(h.GroupAdd, ['50']);
    assert.deepEqual([h.IpcMode, h.PidMode, h.UTSMode, h.CgroupnsMode, h.UsernsMode], ['shareable', 'host', 'host', 'private', 'host']);
    assert.deepEqual([h.DnsSearch, h.DnsOptions], [['example.com'], ['ndots:2']]);
    assert.deepEqual(h.LogConfig, { Type: 'json-file', Config: { 'max-size': '1k' } });
    assert.deepEqual([h.CpusetCpus, h.CpuPeriod, h.CpuQuota, h.MemoryReservation, h.OomKillDisable], ['0', 100000, 50000, 64 << 20, true]);
    assert.equal(doc.Config.Domainname, 'example.org');
    assert.equal(doc.Config.MacAddress, '02:42:ac:11:00:09');
    assert.deepEqual(doc.Config.ExposedPorts, { '8080/tcp': {} });
    // and berth's own inspect through the backend shows the daemon's document
    const mine = JSON.parse(cases.ok(on.berth(), ['inspect', id]))[0];
    assert.deepEqual(mine.HostConfig.Ulimits, h.Ulimits);
  } finally {
    cases.ok(on.berth(), ['rm', id]);
  }
});

test('berth -H refuses what the daemon refuses, with its words, leaving nothing', { skip }, () => {
  cases.refused(
    on.berth(),
    ['run', '--rm', '--network', 'none', '--cpuset-cpus', '999', DEBIAN_REF, 'true'],
    /Requested CPUs are not available - requested 999/,
  );
  cases.refused(on.berth(), ['run', '--rm', '--network', 'none', '--ipc', 'nope', DEBIAN_REF, 'true'], /Invalid IPC mode: nope/);
  cases.refused(on.berth(), ['run', '--rm', '--network', 'none', '--pid', 'container:nope', DEBIAN_REF, 'true'], /No such container: nope/);
});
