/**
 * run/create options on the embedded engine, on real containers of the Debian image: the cases
 * shared with the private dockerd (run-option-cases.ts), then what only berth's side can show
 * (the cgroup files, the OCI config, the one-line ulimit warning, nothing left by a refusal,
 * inspect's docker field names).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { Box, NONE } from './container-support.js';
import { debianTarball } from '../fixtures/debian.js';
import * as cases from './run-option-cases.js';
import { ownLimits } from '../../src/engine/runtime/rlimits.js';

let sb: Box;
let berth: cases.Engine;

before(() => {
  sb = new Box('berth-runopts');
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
const missingCaps = cases.capsMissingHere();

test('capabilities: --cap-add/--cap-drop in CapEff (docker names, any case, ALL); unknown refused', () => cases.capabilities(berth));
test('--privileged: host devices, every capability the engine holds, no seccomp', () => cases.privileged(berth));
test('--device: the node is made and usable as its permissions say; a missing one is refused', () => cases.devices(berth));
test('--read-only: / refuses writes; --tmpfs, /dev/shm, /proc and the /etc files still work', () => cases.readOnly(berth));
test('--init: pid 1 is the init and reaps an orphaned zombie (without it the zombie stays)', () => cases.init(berth, 'ro-init'));
test("--ulimit: the limits inside; bad ones refused with docker's messages", () => cases.ulimits(berth));
test('--sysctl: namespaced ones set inside only; others refused', () => cases.sysctls(berth));
test('--shm-size: the size of /dev/shm', () => cases.shmSize(berth));
test("--pid host: the host's processes are visible", () => cases.pidHost(berth));
test('--ipc container:X shares the IPC namespace and /dev/shm of a shareable donor', () => cases.ipcContainer(berth, 'ro-ipc'));
test('--log-opt max-size=1k,max-file=3 rotates; logs reads across the files in order', () => cases.logRotation(berth, 'ro-rot'));
test("--log-driver json-file (docker's format on disk) and none", () => cases.logDrivers(berth, 'ro-drv'));
test("logs --since/--until in docker's time forms", () => cases.logsSinceUntil(berth, 'ro-since'));

test("a ulimit above the engine's own hard limit is lowered, said in one warning line", () => {
  const hard = ownLimits().get('RLIMIT_NOFILE')!.hard;
  const want = String(hard + 1000n);
  const r = sb.run(['run', '--rm', ...NONE, '--ulimit', `nofile=${want}:${want}`, '--ulimit', `nproc=1:2`, 'debian:12', 'sh', '-c', 'ulimit -n; ulimit -Hn']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, `${hard}\n${hard}\n`);
  const warnings = r.stderr.trim().split('\n');
  assert.equal(warnings.length, 1, r.stderr);
  assert.match(warnings[0]!, new RegExp(`^WARNING: .*nofile=${want}:${want} → ${hard}:${hard}$`));
});

test('refusals leave nothing: no row, no directory, no mount, no cgroup', () => {
  const dirs = () => (existsSync(`${sb.root}/containers`) ? readdirSync(`${sb.root}/containers`).sort() : []);
  const before = dirs();
  const bad: [string[], RegExp][] = [
    [['--cap-add', 'BOGUS'], /unknown capability: "CAP_BOGUS"/],
    [['--device', '/dev/nonexistent-berth'], /error gathering device information/],
    [['--sysctl', 'kernel.hostname=x'], /is not whitelisted/],
    [['--ipc', 'nope'], /Invalid IPC mode: nope/],
    [['--pid', 'container:nope'], /No such container: nope/],
    [['--security-opt', 'label=disable'], /SELinux labels are not supported/],
    [['--security-opt', 'apparmor=docker-default'], /AppArmor/],
    [['--security-opt', 'no-new-privileges=maybe'], /invalid --security-opt 2: "no-new-privileges=maybe"/],
    [['--userns', 'private'], /--userns: invalid USER mode/],
    [['--cgroupns', 'bogus'], /--cgroupns: invalid CGROUP mode/],
    [['--uts', 'host', '--hostname', 'h1'], /conflicting options: hostname and the UTS mode/],
    [['--uts', 'host', '--domainname', 'example.org'], /conflicting options: hostname and the UTS mode/],
    [['--cpuset-cpus', '999'], /Requested CPUs are not available - requested 999/],
    [['--cpu-period', '500'], /CPU cfs period can not be less than 1ms/],
    [['--cpus', '1', '--cpu-quota', '50000'], /Conflicting options: Nano CPUs and CPU Quota cannot both be set/],
    [['--memory-reservation', '1m'], /Minimum memory reservation allowed is 6MB/],
    [['--log-driver', 'syslog'], /error looking up logging plugin syslog/],
    [['--log-opt', 'bogus=1'], /unknown log opt 'bogus' for k8s-file log driver/],
    [['--platform', 'linux/arm64'], /does not match the specified platform: wanted linux\/arm64, actual: linux\/amd64/],
    [['--mac-address', 'zz'], /zz is not a valid mac address/],
    [['--expose', '80:90'], /invalid port format for --expose: 80:90/],
  ];
  for (const [opts, msg] of bad) {
    if (opts[0] === '--platform' && process.arch !== 'x64') continue;
    cases.refused(berth, ['create', ...NONE, ...opts, 'debian:12', 'true'], msg);
    cases.refused(berth, ['run', '--rm', ...NONE, ...opts, 'debian:12', 'true'], msg);
  }
  assert.deepEqual(dirs(), before);
  const mounts = readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .filter((l) => l.includes(sb.dir));
  assert.deepEqual(mounts, []);
});

test("security options: no-new-privileges, seccomp (docker's default, unconfined, a profile file), group-add", () => {
  const status = (opts: string[]) => sb.ok(['run', '--rm', ...NONE, ...opts, 'debian:12', 'cat', '/proc/self/status']);
  assert.match(status([]), /^NoNewPrivs:\s*0$/m);
  assert.match(status(['--security-opt', 'no-new-privileges']), /^NoNewPrivs:\s*1$/m);
  assert.match(status(['--security-opt', 'no-new-privileges=true']), /^NoNewPrivs:\s*1$/m);
  assert.match(status(['--security-opt', 'no-new-privileges=false']), /^NoNewPrivs:\s*0$/m);
  assert.match(status([]), /^Seccomp:\s*2$/m);
  assert.match(status(['--security-opt', 'seccomp=unconfined']), /^Seccomp:\s*0$/m);
  // docker's default profile: unshare of a user namespace needs SYS_ADMIN, refused without
  const unshare = ['sh', '-c', 'unshare -U true && echo allowed || echo refused'];
  assert.equal(
    sb
      .ok(['run', '--rm', ...NONE, 'debian:12', ...unshare])
      .trim()
      .split('\n')
      .pop(),
    'refused',
  );
  assert.equal(sb.ok(['run', '--rm', ...NONE, '--security-opt', 'seccomp=unconfined', 'debian:12', ...unshare]).trim(), 'allowed');
  // a profile of the user's, in docker's format: everything allowed but mkdir (ENOENT)
  const profile = sb.path('no-mkdir.json');
  writeFileSync(
    profile,
    JSON.stringify({ defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: ['mkdir', 'mkdirat'], action: 'SCMP_ACT_ERRNO', errnoRet: 2 }] }),
  );
  const r = sb.run(['run', '--rm', ...NONE, '--security-opt', `seccomp=${profile}`, 'debian:12', 'sh', '-c', 'mkdir /tmp/x; touch /tmp/y && echo touched']);
  assert.match(r.stderr, /No such file or directory/);
  assert.equal(r.stdout, 'touched\n');
  const inspected = sb.inspect(sb.ok(['create', ...NONE, '--security-opt', `seccomp=${profile}`, 'debian:12', 'true']).trim());
  assert.match(inspected.HostConfig.SecurityOpt[0], /^seccomp=\{"defaultAction":"SCMP_ACT_ALLOW"/);
  sb.ok(['rm', inspected.Id]);
  const badProfile = sb.path('bad.json');
  writeFileSync(badProfile, '{"defaultAction": "SCMP_ACT_MAYBE"}');
  cases.refused(berth, ['create', ...NONE, '--security-opt', `seccomp=${badProfile}`, 'debian:12', 'true'], /Decoding seccomp profile failed/);
  // --group-add by name (from the image) and by gid
  assert.equal(sb.ok(['run', '--rm', ...NONE, '--group-add', 'staff', '--group-add', '4242', 'debian:12', 'id', '-G']).trim(), '0 50 4242');
});

test('the init is static, so it runs in an image without a libc (busybox)', () => {
  assert.equal(
    sb.ok(['run', '--rm', ...NONE, '--init', 'busybox', 'sh', '-c', 'cat /proc/1/cmdline | tr "\\0" " "']).trim(),
    '/sbin/docker-init -- sh -c cat /proc/1/cmdline | tr "\\0" " "',
  );
});

test("cgroup options in the container's cgroup; docker's warnings for what the host lacks", { skip: !V1 && 'cgroup v2 host: v1 files checked here' }, () => {
  const r = sb.run([
    'run',
    '-d',
    '--name',
    'ro-cg',
    ...NONE,
    '-m',
    '256m',
    '--cpuset-cpus',
    '0',
    '--cpuset-mems',
    '0',
    '--cpu-period',
    '50000',
    '--cpu-quota',
    '25000',
    '--memory-reservation',
    '64m',
    '--oom-kill-disable',
    '--blkio-weight',
    '300',
    '--kernel-memory',
    '10m',
    'debian:12',
    'sleep',
    '300',
  ]);
  assert.equal(r.code, 0, r.stderr);
  const id = r.stdout.trim();
  sb.ids.add(id);
  try {
    assert.equal(cg('cpuset', id, 'cpuset.cpus'), '0');
    assert.equal(cg('cpuset', id, 'cpuset.mems'), '0');
    assert.equal(cg('cpu', id, 'cpu.cfs_period_us'), '50000');
    assert.equal(cg('cpu', id, 'cpu.cfs_quota_us'), '25000');
    assert.equal(cg('memory', id, 'memory.soft_limit_in_bytes'), String(64 << 20));
    assert.match(cg('memory', id, 'memory.oom_control'), /^oom_kill_disable 1$/m);
    assert.match(r.stderr, /WARNING: Specifying a kernel memory limit is deprecated and will be removed in a future release\./);
    const weightFile = existsSync('/sys/fs/cgroup/blkio/blkio.weight') || existsSync('/sys/fs/cgroup/blkio/blkio.bfq.weight');
    if (weightFile)
      assert.match(
        readFileSync(`/sys/fs/cgroup/blkio/berth/${id}/${existsSync('/sys/fs/cgroup/blkio/blkio.weight') ? 'blkio.weight' : 'blkio.bfq.weight'}`, 'utf8'),
        /300/,
      );
    else assert.match(r.stderr, /WARNING: Your kernel does not support Block I\/O weight or the cgroup is not mounted\. Weight discarded\./);
    const h = sb.inspect('ro-cg').HostConfig;
    assert.deepEqual(
      [h.CpusetCpus, h.CpusetMems, h.CpuPeriod, h.CpuQuota, h.MemoryReservation, h.OomKillDisable, h.KernelMemory],
      ['0', '0', 50000, 25000, 64 << 20, true, 10 << 20],
    );
  } finally {
    sb.ok(['rm', '-f', 'ro-cg']);
  }
  // the OOM killer switch without a memory limit: docker's warning
  assert.match(
    sb.run(['create', '--name', 'ro-oom', ...NONE, '--oom-kill-disable', 'debian:12', 'true']).stderr,
    /OOM killer is disabled for the container, but no memory limit is set/,
  );
  sb.ok(['rm', 'ro-oom']);
});

test('namespaces: --uts host, --cgroupns private/host, --userns host, --pid container:X, --ipc host/none', () => {
  assert.equal(sb.ok(['run', '--rm', ...NONE, '--uts', 'host', 'debian:12', 'hostname']).trim(), hostname());
  const cgroupOf = (opts: string[]) => sb.ok(['run', '--rm', ...NONE, ...opts, 'debian:12', 'cat', '/proc/self/cgroup']);
  assert.match(cgroupOf(['--cgroupns', 'private']), /^\d+:memory:\/$/m);
  assert.match(cgroupOf(['--cgroupns', 'host']), /^\d+:memory:\/berth\/[0-9a-f]{64}$/m);
  assert.equal(sb.ok(['run', '--rm', ...NONE, '--userns', 'host', 'debian:12', 'echo', 'ok']), 'ok\n');
  sb.runD(['--name', 'ro-pidsrc', ...NONE, 'debian:12', 'sleep', '300']);
  try {
    assert.equal(
      sb.ok(['run', '--rm', ...NONE, '--pid', 'container:ro-pidsrc', 'debian:12', 'sh', '-c', 'tr "\\0" " " < /proc/1/cmdline']).trim(),
      'sleep 300',
    );
  } finally {
    sb.ok(['rm', '-f', 'ro-pidsrc']);
  }
  const ipcNs = (opts: string[]) => sb.ok(['run', '--rm', ...NONE, ...opts, 'debian:12', 'readlink', '/proc/self/ns/ipc']).trim();
  assert.equal(ipcNs(['--ipc', 'host']), readlinkSync('/proc/self/ns/ipc'));
  assert.notEqual(ipcNs([]), readlinkSync('/proc/self/ns/ipc'));
  assert.equal(sb.run(['run', '--rm', ...NONE, '--ipc', 'none', 'debian:12', 'test', '-e', '/dev/shm']).code, 1);
});

test('process options: hostname and domainname, dns search and options, exposed ports, labels and env from files, cidfile', () => {
  const out = sb.ok([
    'run',
    '--rm',
    ...NONE,
    '--hostname',
    'h1',
    '--domainname',
    'example.org',
    '--dns-search',
    'a.example',
    '--dns-option',
    'ndots:2',
    'debian:12',
    'sh',
    '-c',
    'hostname; cat /proc/sys/kernel/domainname; grep -E "^(search|options)" /etc/resolv.conf',
  ]);
  assert.equal(out, 'h1\nexample.org\nsearch a.example\noptions ndots:2\n');
  const labels = sb.path('labels');
  writeFileSync(labels, '# a comment\nteam=infra\n\n  bare\n');
  const env = sb.path('env');
  writeFileSync(env, 'FROM_FILE=yes\n# skip\n');
  const cid = sb.path('cid');
  const id = sb
    .ok([
      'create',
      '--name',
      'ro-proc',
      ...NONE,
      '--label-file',
      labels,
      '--env-file',
      env,
      '--expose',
      '8080',
      '--expose',
      '9000-9001/udp',
      '--cidfile',
      cid,
      'debian:12',
      'true',
    ])
    .trim();
  sb.ids.add(id);
  try {
    assert.equal(readFileSync(cid, 'utf8'), id);
    const d = sb.inspect('ro-proc');
    assert.deepEqual(d.Config.Labels, { team: 'infra', bare: '' });
    assert.ok(d.Config.Env.includes('FROM_FILE=yes'));
    assert.deepEqual(Object.keys(d.Config.ExposedPorts).sort(), ['8080/tcp', '9000/udp', '9001/udp']);
    // docker refuses a cidfile that exists (another container may own it), before creating anything
    cases.refused(
      berth,
      ['create', ...NONE, '--cidfile', cid, 'debian:12', 'true'],
      /Container ID file found, make sure the other container isn't running or delete/,
    );
  } finally {
    sb.ok(['rm', 'ro-proc']);
  }
});

test('--mac-address on the bridge network', () => {
  const mac = '02:42:ac:11:00:99';
  assert.equal(sb.ok(['run', '--rm', '--mac-address', mac, 'debian:12', 'cat', '/sys/class/net/eth0/address']).trim(), mac);
  cases.refused(berth, ['create', '--network', 'host', '--mac-address', mac, 'debian:12', 'true'], /conflicting options: mac-address and the network mode/);
});

test("--platform: the image's own is accepted (arch alone too)", { skip: process.arch !== 'x64' && 'amd64 host only' }, () => {
  assert.equal(sb.ok(['run', '--rm', ...NONE, '--platform', 'linux/amd64', 'debian:12', 'echo', 'ok']), 'ok\n');
  assert.equal(sb.ok(['run', '--rm', ...NONE, '--platform', 'amd64', 'debian:12', 'echo', 'ok']), 'ok\n');
});

test("inspect shows docker's HostConfig and Config field names for the options", () => {
  const fuse = cases.fuseNode(); // removed at the end, with the container
  const id = sb
    .ok([
      'create',
      '--name',
      'ro-insp',
      ...NONE,
      '--cap-add',
      'net_admin',
      '--cap-drop',
      'CAP_CHOWN',
      '--init',
      '--read-only',
      '--device',
      `${fuse.path}:/dev/fuse`,
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
      'debian:12',
      'true',
    ])
    .trim();
  sb.ids.add(id);
  try {
    const d = sb.inspect('ro-insp');
    const h = d.HostConfig;
    assert.deepEqual(h.CapAdd, ['net_admin']);
    assert.deepEqual(h.CapDrop, ['CAP_CHOWN']);
    assert.equal(h.Privileged, false);
    assert.equal(h.Init, true);
    assert.equal(h.ReadonlyRootfs, true);
    assert.deepEqual(h.Devices, [{ PathOnHost: fuse.path, PathInContainer: '/dev/fuse', CgroupPermissions: 'rwm' }]);
    assert.deepEqual(h.Ulimits, [{ Name: 'nofile', Hard: 200, Soft: 100 }]);
    assert.equal(h.ShmSize, 134217728);
    assert.deepEqual(h.Sysctls, { 'net.ipv4.ip_forward': '1' });
    assert.deepEqual(h.SecurityOpt, ['no-new-privileges']);
    assert.deepEqual(h.GroupAdd, ['50']);
    assert.deepEqual([h.IpcMode, h.PidMode, h.UTSMode, h.CgroupnsMode, h.UsernsMode], ['shareable', 'host', '', 'private', 'host']);
    assert.deepEqual([h.DnsSearch, h.DnsOptions], [['example.com'], ['ndots:2']]);
    assert.deepEqual(h.LogConfig, { Type: 'json-file', Config: { 'max-size': '1k' } });
    assert.equal(d.Config.Domainname, 'example.org');
    assert.deepEqual(d.Config.ExposedPorts, { '8080/tcp': {} });
    assert.match(d.LogPath, new RegExp(`/${id}-json\\.log$`));
    // and the defaults as docker shows them
    const plain = sb.inspect(sb.ok(['create', ...NONE, 'debian:12', 'true']).trim());
    sb.ids.add(plain.Id);
    const p = plain.HostConfig;
    assert.deepEqual(
      [p.CapAdd, p.CapDrop, p.Privileged, p.ReadonlyRootfs, p.IpcMode, p.ShmSize, p.Devices, p.Ulimits, p.SecurityOpt],
      [null, null, false, false, 'private', 67108864, [], [], null],
    );
    assert.equal(p.CgroupnsMode, V1 ? 'host' : 'private');
    assert.deepEqual(p.LogConfig, { Type: 'k8s-file', Config: {} });
    assert.equal('Init' in p, false);
    sb.ok(['rm', plain.Id]);
  } finally {
    sb.ok(['rm', 'ro-insp']);
    fuse.dispose();
  }
});

test(
  'on a host whose bounding set lacks capabilities, naming one is refused; ALL gives the ones there are',
  { skip: !missingCaps.length && 'the bounding set is full here' },
  () => {
    cases.refused(berth, ['create', ...NONE, '--cap-add', missingCaps[0]!, 'debian:12', 'true'], /not in the engine's own bounding set/);
    const status = sb.ok(['run', '--rm', ...NONE, '--privileged', 'debian:12', 'cat', '/proc/self/status']);
    assert.equal(/^CapEff:\s*(\S+)$/m.exec(status)![1], /^CapBnd:\s*(\S+)$/m.exec(readFileSync('/proc/self/status', 'utf8'))![1]);
    assert.equal(sb.ok(['run', '--rm', ...NONE, '--cap-add', 'ALL', 'debian:12', 'echo', 'ok']), 'ok\n');
  },
);
