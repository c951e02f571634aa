/**
 * The pure parts of the run/create options: capability arithmetic, the seccomp profile's OCI
 * form, sysctl and ulimit checks, namespaces, mounts and the OCI config for privileged/init,
 * log drivers, the log writer's rotation and the readers across rotated files, docker's time
 * forms, the CLI's value syntax and the Docker-API body. Real containers: test/cli/run-options.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isEngineError } from '../../src/engine/errors.js';
import { CAPABILITIES, checkGrantable, decodeCapMask, effectiveCaps, normalizeCaps } from '../../src/engine/runtime/capabilities.js';
import { defaultSeccompProfile, parseSeccompProfile, seccompFor } from '../../src/engine/runtime/seccomp.js';
import { checkSysctls } from '../../src/engine/runtime/sysctls.js';
import { toRlimits, ulimitWarning } from '../../src/engine/runtime/ulimits.js';
import { RLIM_INFINITY } from '../../src/engine/runtime/rlimits.js';
import { buildNamespaces } from '../../src/engine/runtime/namespaces.js';
import { buildMounts, INIT_PATH } from '../../src/engine/runtime/spec-mounts.js';
import { buildSpec } from '../../src/engine/runtime/spec.js';
import { checkLogConfig, logFiles, logPlan, ramInBytes } from '../../src/engine/runtime/log-config.js';
import { RotatingLog, pumpLog } from '../../src/engine/runtime/log-writer.js';
import { goTime, jsonLogLine, parseJsonLogLine } from '../../src/engine/runtime/json-file.js';
import { parseGoDuration, parseTimeArg, unixArg } from '../../src/engine/runtime/time-arg.js';
import { readLogs } from '../../src/engine/runtime/logs.js';
import { devicesFromPath, splitDev } from '../../src/engine/runtime/devices.js';
import { isDynamic } from '../../src/engine/runtime/init-binary.js';
import { addMoreResources, parseCpuList, type MoreLimitHost } from '../../src/cgroups/more-limits.js';
import { checkPlatform, normalizeExposed } from '../../src/engine/containers/host-options.js';
import { checkModes, parseDevice, parseExpose, parseSecurityOpts, parseSysctls, parseUlimit } from '../../src/cli/flags/run-parsers.js';
import { runOptionsHostConfig, runOptionsConfig } from '../../src/engine/docker/run-options.js';
import { busyboxRootfs } from '../fixtures/busybox.js';

const dir = mkdtempSync(join(tmpdir(), 'berth-runopt-units-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const invalidErr = (e: unknown) => isEngineError(e, 'invalid');

test("capabilities: docker's names and arithmetic, bounded by what the engine holds", () => {
  assert.deepEqual(normalizeCaps(['net_admin', 'CAP_SYS_ADMIN', 'all', 'Chown'], 'CapAdd'), ['CAP_NET_ADMIN', 'CAP_SYS_ADMIN', 'ALL', 'CAP_CHOWN']);
  assert.throws(
    () => normalizeCaps(['bogus'], 'CapDrop'),
    (e: unknown) => invalidErr(e) && /^invalid CapDrop: unknown capability: "CAP_BOGUS"$/.test((e as Error).message),
  );
  const all = new Set<string>(CAPABILITIES);
  const lacking = new Set<string>(CAPABILITIES.filter((c) => c !== 'CAP_SYS_RESOURCE'));
  assert.equal(effectiveCaps({}, all).length, 14);
  assert.deepEqual(effectiveCaps({ privileged: true }, lacking), [...lacking]);
  assert.deepEqual(
    effectiveCaps({ capAdd: ['ALL'], capDrop: ['chown'] }, all),
    CAPABILITIES.filter((c) => c !== 'CAP_CHOWN'),
  );
  assert.deepEqual(effectiveCaps({ capDrop: ['ALL'], capAdd: ['kill'] }, all), ['CAP_KILL']);
  const tweaked = effectiveCaps({ capAdd: ['NET_ADMIN'], capDrop: ['CHOWN', 'KILL'] }, all);
  assert.ok(tweaked.includes('CAP_NET_ADMIN') && !tweaked.includes('CAP_CHOWN') && !tweaked.includes('CAP_KILL'));
  assert.throws(() => checkGrantable(['sys_resource'], lacking), invalidErr);
  checkGrantable(['ALL', 'NET_ADMIN'], lacking);
  assert.deepEqual(decodeCapMask('00000000a80425fb').length, 14);
  assert.deepEqual(decodeCapMask('0000000000000001'), ['CAP_CHOWN']);
  assert.deepEqual(decodeCapMask('000001fffeffffff'), [...lacking]);
});

test("seccomp: docker's default profile follows the capabilities, the architecture and the kernel", () => {
  const p = defaultSeccompProfile();
  const plain = seccompFor(p, effectiveCaps({}, new Set(CAPABILITIES)), 'x64', '6.1.0');
  assert.equal(plain.defaultAction, 'SCMP_ACT_ERRNO');
  assert.deepEqual(plain.architectures, ['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86', 'SCMP_ARCH_X32']);
  const names = (s: typeof plain, action = 'SCMP_ACT_ALLOW') => s.syscalls.filter((r) => r.action === action && !r.args).flatMap((r) => r.names);
  assert.ok(names(plain).includes('read') && names(plain).includes('arch_prctl'));
  assert.ok(!names(plain).includes('mount') && !names(plain).includes('arm_fadvise64_64'));
  // clone3 answers ENOSYS without SYS_ADMIN, so glibc falls back to clone (which is filtered by flags)
  assert.deepEqual(plain.syscalls.find((r) => r.names.includes('clone3'))?.errnoRet, 38);
  const admin = seccompFor(p, [...effectiveCaps({}, new Set(CAPABILITIES)), 'CAP_SYS_ADMIN'], 'x64', '6.1.0');
  assert.ok(names(admin).includes('mount') && names(admin).includes('clone3'));
  assert.ok(!admin.syscalls.some((r) => r.action === 'SCMP_ACT_ERRNO' && r.names.includes('clone3')));
  assert.ok(names(seccompFor(p, [], 'x64', '6.1.0')).includes('ptrace')); // minKernel 4.8
  assert.ok(!names(seccompFor(p, [], 'x64', '4.4.0')).includes('ptrace'));
  assert.deepEqual(seccompFor(p, [], 'arm64', '6.1.0').architectures, ['SCMP_ARCH_AARCH64', 'SCMP_ARCH_ARM']);
  // profiles from outside are checked once
  for (const bad of [
    'nope',
    '[]',
    '{"defaultAction":"SCMP_ACT_MAYBE"}',
    '{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["x"],"action":"SCMP_ACT_ALLOW","args":[{"index":0,"value":1,"op":"EQ"}]}]}',
    '{"defaultAction":"SCMP_ACT_ERRNO","architectures":["a"],"archMap":[{"architecture":"a"}]}',
  ]) {
    assert.throws(
      () => parseSeccompProfile(bad),
      (e: unknown) => invalidErr(e) && /^Decoding seccomp profile failed/.test((e as Error).message),
      bad,
    );
  }
  const mine = parseSeccompProfile('{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"name":"mkdir","action":"SCMP_ACT_ERRNO","errnoRet":2}]}');
  assert.deepEqual(seccompFor(mine, []).syscalls, [{ names: ['mkdir'], action: 'SCMP_ACT_ERRNO', errnoRet: 2 }]);
});

test("sysctls: namespaced only, and only in a namespace of the container's", () => {
  checkSysctls({ 'net.ipv4.ip_forward': '1', 'kernel.shmmax': '1', 'fs.mqueue.msg_max': '10' }, { privateNet: true, privateIpc: true });
  assert.throws(() => checkSysctls({ 'net.ipv4.ip_forward': '1' }, { privateNet: false, privateIpc: true }), /not allowed in host network namespace/);
  assert.throws(() => checkSysctls({ 'kernel.sem': '1' }, { privateNet: true, privateIpc: false }), /not allowed in the hosts ipc namespace/);
  assert.throws(() => checkSysctls({ 'kernel.hostname': 'x' }, { privateNet: true, privateIpc: true }), /is not allowed/);
  assert.throws(() => checkSysctls({ 'vm.swappiness': '1' }, { privateNet: true, privateIpc: true }), /is not allowed/);
});

test("ulimits: docker's names and rules; one warning line for what the engine must lower", () => {
  assert.deepEqual(
    toRlimits([
      { name: 'nofile', soft: 10, hard: 20 },
      { name: 'core', soft: -1, hard: -1 },
      { name: 'nofile', soft: 5, hard: 5 },
    ]),
    [
      { type: 'RLIMIT_NOFILE', soft: 5n, hard: 5n },
      { type: 'RLIMIT_CORE', soft: RLIM_INFINITY, hard: RLIM_INFINITY },
    ],
  );
  for (const bad of [
    { name: 'as', soft: 1, hard: 1 },
    { name: 'nofile', soft: 3, hard: 2 },
    { name: 'nofile', soft: -1, hard: 5 },
    { name: 'nofile', soft: -2, hard: -2 },
  ]) {
    assert.throws(() => toRlimits([bad]), invalidErr, JSON.stringify(bad));
  }
  const limits = new Map([
    ['RLIMIT_NOFILE', { soft: 1000n, hard: 2000n }],
    ['RLIMIT_NPROC', { soft: 50n, hard: 50n }],
  ]);
  assert.equal(ulimitWarning([{ name: 'nofile', soft: 100, hard: 2000 }], limits), undefined);
  const w = ulimitWarning(
    [
      { name: 'nofile', soft: 100, hard: 5000 },
      { name: 'nproc', soft: -1, hard: -1 },
    ],
    limits,
  )!;
  assert.equal(w.split('\n').length, 1);
  assert.match(w, /nofile=100:5000 → 100:2000, nproc=unlimited:unlimited → 50:50$/);
});

test('namespaces and mounts: modes, /dev/shm, privileged /sys, the init', () => {
  assert.deepEqual(buildNamespaces({}), [{ type: 'pid' }, { type: 'mount' }, { type: 'uts' }, { type: 'ipc' }]);
  assert.deepEqual(buildNamespaces({ pid: 'host', ipc: { path: '/proc/7/ns/ipc' }, uts: 'host', cgroup: 'private', network: 'new' }), [
    { type: 'mount' },
    { type: 'ipc', path: '/proc/7/ns/ipc' },
    { type: 'network' },
    { type: 'cgroup' },
  ]);
  const shm = (o: Parameters<typeof buildMounts>[0]) => buildMounts(o).find((m) => m.destination === '/dev/shm');
  assert.ok(shm({ mounts: [], shm: { size: 1 << 27 } })!.options!.includes('size=134217728'));
  assert.deepEqual(shm({ mounts: [], shm: { bind: '/dev/shm' } })!.type, 'bind');
  assert.equal(shm({ mounts: [], shm: 'none' }), undefined);
  const sys = (privileged: boolean) =>
    buildMounts({ mounts: [], privileged })
      .filter((m) => m.destination.startsWith('/sys'))
      .map((m) => m.options!.includes('ro'));
  assert.deepEqual(sys(false), [true, true]);
  assert.deepEqual(sys(true), [false, false]);
  const init = buildMounts({ mounts: [], init: '/bin/sh' }).find((m) => m.destination === INIT_PATH);
  assert.deepEqual(init, { destination: INIT_PATH, type: 'bind', source: '/bin/sh', options: ['bind', 'ro'] });
});

test('the OCI config of privileged, init, no-new-privileges, domainname, --uts host', () => {
  const rootfs = busyboxRootfs();
  const priv = buildSpec({ args: ['sh'], rootfs, privileged: true }).spec;
  assert.deepEqual([priv.linux.maskedPaths, priv.linux.readonlyPaths], [[], []]);
  assert.deepEqual(priv.linux.resources.devices, [{ allow: true, access: 'rwm' }]);
  const s = buildSpec({ args: ['sleep', '1'], rootfs, init: '/bin/sh', noNewPrivileges: true, domainname: 'example.org', hostname: 'h1' }).spec;
  assert.deepEqual(s.process.args, [INIT_PATH, '--', 'sleep', '1']);
  assert.equal(s.process.noNewPrivileges, true);
  assert.deepEqual(s.linux.sysctl, { 'kernel.domainname': 'example.org' });
  // no init where the pid namespace is not the container's own (docker's rule)
  assert.deepEqual(buildSpec({ args: ['true'], rootfs, init: '/bin/sh', namespaces: { pid: 'host' } }).spec.process.args, ['true']);
  assert.throws(() => buildSpec({ args: ['true'], rootfs, hostname: 'h1', namespaces: { uts: 'host' } }), /hostname and the UTS mode/);
});

test("devices: node numbers, permissions, docker's message for a missing one", () => {
  assert.deepEqual(splitDev(BigInt((10 << 8) | 229)), { major: 10, minor: 229 });
  const { devices, rules } = devicesFromPath('/dev/null', '/dev/mynull', 'rw');
  assert.deepEqual({ ...devices[0], fileMode: 0 }, { path: '/dev/mynull', type: 'c', major: 1, minor: 3, fileMode: 0, uid: 0, gid: 0 });
  assert.deepEqual(rules, [{ allow: true, type: 'c', major: 1, minor: 3, access: 'rw' }]);
  assert.throws(
    () => devicesFromPath('/dev/nope-berth', '/dev/x', 'rwm'),
    /: error gathering device information while adding custom device "\/dev\/nope-berth": no such file or directory$/,
  );
  assert.throws(() => devicesFromPath('/etc/hostname', '/dev/x', 'rwm'), /not a device node/);
  assert.throws(() => devicesFromPath('/dev/null', '/dev/x', 'rwx'), /invalid device mode/);
});

test('the init binary: a static one is preferred', { skip: !existsSync('/usr/bin/tini-static') && 'no tini here' }, () => {
  assert.equal(isDynamic('/usr/bin/tini-static'), false);
  if (existsSync('/usr/bin/tini')) assert.equal(isDynamic('/usr/bin/tini'), true);
});

test("cgroup extras: docker's checks, messages and warnings", () => {
  const host: MoreLimitHost = {
    cpus: '0-1',
    mems: '0',
    cpuset: true,
    cfs: true,
    memoryReservation: true,
    oomKillDisable: true,
    blkioWeight: false,
    kernelMemory: true,
  };
  const r = addMoreResources(
    {
      cpusetCpus: '0,1',
      cpuPeriod: 50000,
      cpuQuota: 25000,
      memoryReservation: 64 << 20,
      oomKillDisable: true,
      memory: 128 << 20,
      blkioWeight: 300,
      kernelMemory: 8 << 20,
    },
    host,
    { cpu: { shares: 512 } },
  );
  assert.deepEqual(r.resources, { cpu: { shares: 512, period: 50000, quota: 25000, cpus: '0,1' }, memory: { reservation: 64 << 20, disableOOMKiller: true } });
  assert.deepEqual(r.warnings, [
    'Specifying a kernel memory limit is deprecated and will be removed in a future release.',
    'Your kernel does not support Block I/O weight or the cgroup is not mounted. Weight discarded.',
  ]);
  const refusals: [Parameters<typeof addMoreResources>[0], RegExp][] = [
    [{ cpusetCpus: '2' }, /Requested CPUs are not available - requested 2, available: 0-1/],
    [{ cpusetCpus: 'abc' }, /Invalid value abc for cpuset cpus: invalid format: abc/],
    [{ cpusetMems: '1' }, /Requested memory nodes are not available/],
    [{ cpuPeriod: 10 }, /CPU cfs period can not be less than 1ms/],
    [{ cpuQuota: 10 }, /CPU cfs quota can not be less than 1ms/],
    [{ nanoCpus: 1e9, cpuPeriod: 100000 }, /Nano CPUs and CPU Period cannot both be set/],
    [{ memoryReservation: 1 << 20 }, /Minimum memory reservation allowed is 6MB/],
    [{ memory: 8 << 20, memoryReservation: 16 << 20 }, /can not be less than memory reservation/],
    [{ kernelMemory: 1 << 20 }, /Minimum kernel memory limit allowed is 6MB/],
  ];
  for (const [o, msg] of refusals) assert.throws(() => addMoreResources(o, host, {}), msg, JSON.stringify(o));
  assert.throws(() => addMoreResources({ blkioWeight: 5 }, { ...host, blkioWeight: true }, {}), /Range of blkio weight is from 10 to 1000/);
  assert.match(addMoreResources({ oomKillDisable: true }, host, {}).warnings[0]!, /OOM killer is disabled for the container, but no memory limit is set/);
  assert.deepEqual([...parseCpuList('0-2,5')!], [0, 1, 2, 5]);
  assert.equal(parseCpuList('1-'), undefined);
});

test('platform and exposed ports', () => {
  const img = { os: 'linux', architecture: 'amd64' };
  for (const ok of ['linux/amd64', 'amd64', 'linux', 'linux/x86_64']) checkPlatform(ok, img, 'img');
  assert.throws(
    () => checkPlatform('linux/arm64', img, 'img'),
    /: image with reference img was found but does not match the specified platform: wanted linux\/arm64, actual: linux\/amd64$/,
  );
  assert.deepEqual(normalizeExposed(['80', '53/UDP']), ['80/tcp', '53/udp']);
  assert.throws(() => normalizeExposed(['x']), /invalid port format/);
});

test("log drivers: docker's checks; where the files are", () => {
  assert.deepEqual(checkLogConfig(undefined), { type: 'k8s-file', config: {} });
  assert.deepEqual(checkLogConfig({ type: 'json-file', config: { 'max-size': '10m', 'max-file': '3' } }).type, 'json-file');
  const bad: [Parameters<typeof checkLogConfig>[0], RegExp][] = [
    [{ type: 'syslog', config: {} }, /error looking up logging plugin syslog: plugin "syslog" not found/],
    [{ type: 'none', config: { 'max-size': '1k' } }, /invalid logging opts for driver none/],
    [{ type: 'json-file', config: { labels: 'a' } }, /unknown log opt 'labels' for json-file log driver/],
    [{ type: '', config: { 'max-size': 'abc' } }, /invalid size: 'abc'/],
    [{ type: '', config: { 'max-file': '0' } }, /max-file cannot be less than 1/],
    [{ type: '', config: { compress: 'true' } }, /compress cannot be true when max-file is less than 2 or max-size is not set/],
  ];
  for (const [c, msg] of bad) assert.throws(() => checkLogConfig(c), msg, JSON.stringify(c));
  assert.equal(ramInBytes('1k'), 1024);
  assert.equal(ramInBytes('1.5m'), 1.5 * 2 ** 20);
  assert.equal(ramInBytes('10MiB'), 10 * 2 ** 20);
  const plain = logPlan({ type: 'k8s-file', config: { 'max-size': '1k' } }, '/c', 'ID');
  assert.deepEqual([plain.path, plain.writer, plain.maxSize], ['/c/ctr.log', false, 1024]); // conmon's --log-size-max
  const rot = logPlan({ type: 'json-file', config: { 'max-size': '1k', 'max-file': '3' } }, '/c', 'ID');
  assert.deepEqual(logFiles(rot), ['/c/ID-json.log.2', '/c/ID-json.log.1', '/c/ID-json.log']);
  assert.deepEqual(logPlan({ type: 'none', config: {} }, '/c', 'ID').path, '');
});

test("json-file lines: docker's format both ways; malformed ones skipped", () => {
  const ns = 1767323045123456789n;
  const line = jsonLogLine({ stream: 'stderr', text: 'a "quoted"\ttext', complete: true, ns });
  assert.equal(line, '{"log":"a \\"quoted\\"\\ttext\\n","stream":"stderr","time":"2026-01-02T03:04:05.123456789Z"}\n');
  assert.deepEqual(parseJsonLogLine(line.trim()), { stream: 'stderr', time: '2026-01-02T03:04:05.123456789Z', text: 'a "quoted"\ttext', complete: true, ns });
  assert.equal(parseJsonLogLine('{"log":"part","stream":"stdout","time":"2026-01-02T03:04:05Z"}')!.complete, false);
  assert.equal(goTime(1767323045120000000n), '2026-01-02T03:04:05.12Z');
  assert.equal(goTime(1767323045000000000n), '2026-01-02T03:04:05Z');
  for (const bad of [
    '',
    'x',
    '{}',
    '{"log":1,"stream":"stdout","time":"2026-01-02T03:04:05Z"}',
    '{"log":"x","stream":"stdin","time":"2026-01-02T03:04:05Z"}',
    '{"log":"x","stream":"stdout","time":"yesterday"}',
  ]) {
    assert.equal(parseJsonLogLine(bad), undefined, bad);
  }
});

test("docker's --since/--until forms", () => {
  const now = Date.UTC(2026, 0, 2, 12, 0, 0, 500);
  const sec = (ms: number) => BigInt(Math.floor(ms / 1000)) * 1_000_000_000n;
  assert.equal(parseTimeArg('10m', now), sec(now - 600_000));
  assert.equal(parseTimeArg('1h30m', now), sec(now - 5_400_000));
  assert.equal(parseTimeArg('1.5h', now), sec(now - 5_400_000));
  assert.equal(parseTimeArg('250ms', now), sec(now - 250));
  assert.equal(parseTimeArg('1700000000'), 1_700_000_000_000_000_000n);
  assert.equal(parseTimeArg('1700000000.000000001'), 1_700_000_000_000_000_001n);
  assert.equal(parseTimeArg('0'), 0n);
  assert.equal(parseTimeArg('2026-01-02T03:04:05Z'), BigInt(Date.UTC(2026, 0, 2, 3, 4, 5)) * 1_000_000n);
  assert.equal(parseTimeArg('2026-01-02T03:04:05.5+01:00'), BigInt(Date.UTC(2026, 0, 2, 2, 4, 5, 500)) * 1_000_000n);
  assert.equal(parseTimeArg('2026-01-02T03:04'), BigInt(new Date(2026, 0, 2, 3, 4).getTime()) * 1_000_000n);
  assert.equal(parseTimeArg('2026-01-02'), BigInt(new Date(2026, 0, 2).getTime()) * 1_000_000n);
  for (const bad of ['yesterday', '10x', '2026-13-45', '']) assert.throws(() => parseTimeArg(bad), /failed to parse value as time or duration/, bad);
  assert.equal(parseGoDuration('1h2m3.5s'), 3_723_500_000_000);
  assert.equal(parseGoDuration('10'), undefined);
  assert.equal(unixArg(1_700_000_000_000_000_000n), '1700000000');
  assert.equal(unixArg(1_700_000_000_500_000_000n), '1700000000.500000000');
});

const k8s = (i: number) => `2026-01-01T00:00:${String(i % 60).padStart(2, '0')}.000000000+00:00 stdout F line-${i}`;

async function collect(it: AsyncIterable<{ text: string }>): Promise<string[]> {
  const out: string[] = [];
  for await (const l of it) out.push(l.text);
  return out;
}

test("the log writer rotates as docker's json-file; readers go across the files in order", async () => {
  for (const format of ['k8s-file', 'json-file'] as const) {
    const path = join(dir, `rot-${format}.log`);
    const log = new RotatingLog({ path, format, maxSize: 200, maxFile: 3 });
    for (let i = 1; i <= 30; i++) log.write(k8s(i));
    log.close();
    assert.ok(existsSync(`${path}.1`) && existsSync(`${path}.2`) && !existsSync(`${path}.3`), format);
    const rotated = [`${path}.2`, `${path}.1`];
    const all = await collect(readLogs(path, { format, rotated }));
    const n = all.map((t) => Number(t.slice(5)));
    assert.equal(n.at(-1), 30);
    n.forEach((v, i) => assert.equal(v, n[0]! + i, `${format}: ${n.join(',')}`));
    assert.ok(n.length < 30 && n.length >= 4, `${format}: ${n.length}`);
    // the tail reaches into the older files
    assert.deepEqual(await collect(readLogs(path, { format, rotated, tail: n.length - 1 })), all.slice(1));
    if (format === 'json-file')
      assert.doesNotThrow(() =>
        readFileSync(path, 'utf8')
          .trim()
          .split('\n')
          .forEach((l) => JSON.parse(l)),
      );
  }
  // max-file 1: the file starts over
  const one = join(dir, 'one.log');
  const w = new RotatingLog({ path: one, format: 'k8s-file', maxSize: 100, maxFile: 1 });
  for (let i = 1; i <= 10; i++) w.write(k8s(i));
  w.close();
  assert.ok(readFileSync(one, 'utf8').length <= 200 && !existsSync(`${one}.1`));
});

test("pumpLog copies conmon's records to the log until the input ends", async () => {
  const input = join(dir, 'conmon-out');
  writeFileSync(input, `${k8s(1)}\n${k8s(2)}\n2026-01-01T00:00:03.000000000+00:00 stderr P part`);
  const path = join(dir, 'pumped.log');
  await pumpLog(input, { path, format: 'json-file', maxSize: 0, maxFile: 1 });
  assert.deepEqual(
    readFileSync(path, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l).log),
    ['line-1\n', 'line-2\n', 'part'],
  );
});

test('a follower moves on through rotations, also past files rotated while it waited', async () => {
  const path = join(dir, 'follow.log');
  const rotated = [`${path}.2`, `${path}.1`];
  const log = new RotatingLog({ path, format: 'k8s-file', maxSize: 100, maxFile: 3 });
  log.write(k8s(1));
  let finished = false;
  const reading = collect(readLogs(path, { follow: true, rotated, pollMs: 20, done: () => finished }));
  await new Promise((r) => setTimeout(r, 60));
  // two rotations between two looks of the follower
  for (let i = 2; i <= 6; i++) log.write(k8s(i));
  log.close();
  await new Promise((r) => setTimeout(r, 100));
  finished = true;
  appendFileSync(path, '');
  assert.deepEqual(await reading, ['line-1', 'line-2', 'line-3', 'line-4', 'line-5', 'line-6']);
});

test("CLI value syntax: docker CLI's rules and messages", () => {
  assert.deepEqual(parseDevice('/dev/fuse'), { pathOnHost: '/dev/fuse', pathInContainer: '/dev/fuse', cgroupPermissions: 'rwm' });
  assert.deepEqual(parseDevice('/dev/fuse:r'), { pathOnHost: '/dev/fuse', pathInContainer: '/dev/fuse', cgroupPermissions: 'r' });
  assert.deepEqual(parseDevice('/dev/fuse:/dev/f2:rw'), { pathOnHost: '/dev/fuse', pathInContainer: '/dev/f2', cgroupPermissions: 'rw' });
  assert.throws(() => parseDevice('/dev/fuse:rel'), /rel is not an absolute path/);
  assert.throws(() => parseDevice('/dev/fuse:/x:q'), /bad mode specified: q/);
  assert.throws(() => parseDevice('a:b:c:d'), /bad format for path: a:b:c:d/);
  assert.deepEqual(parseUlimit('nofile=1024:2048'), { name: 'nofile', soft: 1024, hard: 2048 });
  assert.deepEqual(parseUlimit('core=-1'), { name: 'core', soft: -1, hard: -1 });
  assert.throws(() => parseUlimit('nofile=abc'), /invalid argument "nofile=abc" for "--ulimit" flag: strconv.ParseInt: parsing "abc": invalid syntax/);
  assert.throws(() => parseUlimit('nofile'), /invalid ulimit argument: nofile/);
  assert.throws(() => parseUlimit('nofile=1:2:3'), /too many limit value arguments/);
  assert.deepEqual(parseSysctls(['net.ipv4.ip_forward=1', 'kernel.msgmax=65536']), { 'net.ipv4.ip_forward': '1', 'kernel.msgmax': '65536' });
  assert.throws(() => parseSysctls(['kernel.hostname=x']), /sysctl 'kernel.hostname=x' is not whitelisted/);
  const profile = join(dir, 'p.json');
  writeFileSync(profile, '{\n  "defaultAction": "SCMP_ACT_ALLOW"\n}\n');
  assert.deepEqual(parseSecurityOpts(['no-new-privileges', `seccomp=${profile}`, 'seccomp=unconfined', 'apparmor:x']), [
    'no-new-privileges',
    'seccomp={"defaultAction":"SCMP_ACT_ALLOW"}',
    'seccomp=unconfined',
    'apparmor:x',
  ]);
  assert.throws(() => parseSecurityOpts(['bogus']), /Invalid --security-opt: "bogus"/);
  assert.throws(() => parseSecurityOpts(['seccomp=/nonexistent.json']), /opening seccomp profile \(\/nonexistent.json\) failed/);
  assert.deepEqual(parseExpose(['80', '8000-8002/udp']), ['80/tcp', '8000/udp', '8001/udp', '8002/udp']);
  assert.throws(() => parseExpose(['80:90']), /invalid port format for --expose: 80:90/);
  checkModes({ pid: 'host', uts: '', userns: 'host', cgroupns: 'private' });
  assert.throws(() => checkModes({ pid: 'x' }), /--pid: invalid PID mode/);
  assert.throws(() => checkModes({ uts: 'x' }), /--uts: invalid UTS mode/);
  assert.throws(() => checkModes({ userns: 'private' }), /--userns: invalid USER mode/);
  assert.throws(() => checkModes({ cgroupns: 'x' }), /--cgroupns: invalid CGROUP mode/);
});

test("the Docker-API body carries each option under docker's name", () => {
  const h = runOptionsHostConfig({
    image: 'x',
    privileged: true,
    capAdd: ['NET_ADMIN'],
    capDrop: ['CHOWN'],
    securityOpt: ['no-new-privileges'],
    groupAdd: ['50'],
    readOnly: true,
    devices: [{ pathOnHost: '/dev/fuse' }],
    ulimits: [{ name: 'nofile', soft: 1, hard: 2 }],
    shmSize: 1024,
    sysctls: { 'net.a': '1' },
    cpusetCpus: '0',
    cpusetMems: '0',
    cpuPeriod: 1000,
    cpuQuota: 2000,
    memoryReservation: 3,
    oomKillDisable: true,
    blkioWeight: 100,
    kernelMemory: 4,
    init: true,
    ipcMode: 'shareable',
    pidMode: 'host',
    utsMode: 'host',
    cgroupnsMode: 'private',
    usernsMode: 'host',
    dnsSearch: ['a'],
    dnsOptions: ['b'],
    logConfig: { type: 'json-file', config: { 'max-size': '1k' } },
  });
  assert.deepEqual(h, {
    Privileged: true,
    CapAdd: ['NET_ADMIN'],
    CapDrop: ['CHOWN'],
    SecurityOpt: ['no-new-privileges'],
    GroupAdd: ['50'],
    ReadonlyRootfs: true,
    Devices: [{ PathOnHost: '/dev/fuse', PathInContainer: '/dev/fuse', CgroupPermissions: 'rwm' }],
    Ulimits: [{ Name: 'nofile', Soft: 1, Hard: 2 }],
    ShmSize: 1024,
    Sysctls: { 'net.a': '1' },
    CpusetCpus: '0',
    CpusetMems: '0',
    CpuPeriod: 1000,
    CpuQuota: 2000,
    MemoryReservation: 3,
    OomKillDisable: true,
    BlkioWeight: 100,
    KernelMemory: 4,
    Init: true,
    IpcMode: 'shareable',
    PidMode: 'host',
    UTSMode: 'host',
    CgroupnsMode: 'private',
    UsernsMode: 'host',
    DnsSearch: ['a'],
    DnsOptions: ['b'],
    LogConfig: { Type: 'json-file', Config: { 'max-size': '1k' } },
  });
  assert.deepEqual(runOptionsHostConfig({ image: 'x' }), {});
  assert.deepEqual(runOptionsConfig({ image: 'x', domainname: 'd', macAddress: '02:00:00:00:00:01' }), { Domainname: 'd', MacAddress: '02:00:00:00:00:01' });
});
