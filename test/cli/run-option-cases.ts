/**
 * The run/create option cases, written once and run against every engine (nerdctl's habit):
 * the embedded engine through `berth`, a private dockerd through `berth -H`, and the same
 * dockerd through docker's own CLI as the oracle. Each case runs real containers of the real
 * Debian image and checks what the container sees (its capability mask, devices, limits,
 * namespaces, files) or how the engine refuses (exit code, docker's message, nothing made).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CAPABILITIES, decodeCapMask } from '../../src/engine/runtime/capabilities.js';
import type { Result } from '../helpers/berth.js';

export interface Engine {
  /** 'berth' (embedded), 'berth -H' or 'docker'. */
  label: string;
  image: string;
  run(args: string[], opts?: { timeout?: number }): Result;
  /** Containers that exist (any state), for "nothing was made". */
  containers(): string[];
  /** What a refusal at start exits with here: docker's CLI says 127 for a missing device file. */
  missingDeviceExit: number;
}

export function ok(e: Engine, args: string[], opts?: { timeout?: number }): string {
  const r = e.run(args, opts);
  assert.equal(r.code, 0, `${e.label} ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return r.stdout;
}

const NONE = ['--network', 'none'];

/** `run --rm --network none [opts] IMAGE cmd…` → stdout. */
const runOut = (e: Engine, opts: string[], cmd: string[]) => ok(e, ['run', '--rm', ...NONE, ...opts, e.image, ...cmd]);

/** The capability names of a CapEff/CapBnd line of /proc/self/status. */
function caps(status: string, field: 'CapEff' | 'CapBnd'): string[] {
  const m = new RegExp(`^${field}:\\s*([0-9a-f]+)$`, 'm').exec(status);
  assert.ok(m, status);
  return decodeCapMask(m[1]!);
}

const DOCKER_DEFAULT_CAPS = [
  'CAP_CHOWN',
  'CAP_DAC_OVERRIDE',
  'CAP_FSETID',
  'CAP_FOWNER',
  'CAP_MKNOD',
  'CAP_NET_RAW',
  'CAP_SETGID',
  'CAP_SETUID',
  'CAP_SETFCAP',
  'CAP_SETPCAP',
  'CAP_NET_BIND_SERVICE',
  'CAP_SYS_CHROOT',
  'CAP_KILL',
  'CAP_AUDIT_WRITE',
].sort();

/** This process's bounding set: the most any engine on this host can give a container. */
export function hostBounding(): string[] {
  return caps(readFileSync('/proc/self/status', 'utf8'), 'CapBnd');
}

/** Capabilities the kernel has but this host's bounding set lacks (CAP_SYS_RESOURCE on the test machines). */
export function capsMissingHere(): string[] {
  const last = Number(readFileSync('/proc/sys/kernel/cap_last_cap', 'utf8'));
  const held = hostBounding();
  return CAPABILITIES.slice(0, last + 1).filter((c) => !held.includes(c));
}

/** A refusal: the exit code, docker's words, and no container left behind. */
export function refused(e: Engine, args: string[], message: RegExp, code = 125): void {
  const before = e.containers();
  const r = e.run(args);
  assert.equal(r.code, code, `${e.label} ${args.join(' ')}: ${r.stdout}${r.stderr}`);
  assert.match(r.stderr, message, `${e.label} ${args.join(' ')}`);
  assert.deepEqual(e.containers(), before, `${e.label} ${args.join(' ')} left a container behind`);
}

export function capabilities(e: Engine): void {
  const base = caps(runOut(e, [], ['cat', '/proc/self/status']), 'CapEff');
  assert.deepEqual([...base].sort(), DOCKER_DEFAULT_CAPS);
  // docker's names in any case, with or without CAP_
  const tweaked = caps(runOut(e, ['--cap-add', 'net_admin', '--cap-add', 'CAP_SYS_ADMIN', '--cap-drop', 'chown'], ['cat', '/proc/self/status']), 'CapEff');
  assert.ok(tweaked.includes('CAP_NET_ADMIN') && tweaked.includes('CAP_SYS_ADMIN'), tweaked.join(' '));
  assert.ok(!tweaked.includes('CAP_CHOWN'), tweaked.join(' '));
  assert.equal(tweaked.length, DOCKER_DEFAULT_CAPS.length + 1);
  // a capability works as the kernel sees it (and the default seccomp profile follows it):
  // SYS_ADMIN lets the container mount, its absence refuses
  const mount = ['sh', '-c', 'mount -t tmpfs none /tmp && echo mounted'];
  assert.equal(runOut(e, ['--cap-add', 'SYS_ADMIN'], mount), 'mounted\n');
  assert.notEqual(e.run(['run', '--rm', ...NONE, e.image, ...mount]).code, 0, `${e.label}: mounted without CAP_SYS_ADMIN`);
  assert.deepEqual(caps(runOut(e, ['--cap-drop', 'ALL'], ['cat', '/proc/self/status']), 'CapEff'), []);
  assert.deepEqual(caps(runOut(e, ['--cap-drop', 'all', '--cap-add', 'chown'], ['cat', '/proc/self/status']), 'CapEff'), ['CAP_CHOWN']);
  // without CAP_CHOWN, chown fails in the container
  const r = e.run(['run', '--rm', ...NONE, '--cap-drop', 'CHOWN', e.image, 'sh', '-c', 'touch /f && chown 1 /f']);
  assert.notEqual(r.code, 0, `${e.label}: chown worked without CAP_CHOWN`);
  refused(e, ['run', '--rm', ...NONE, '--cap-add', 'FOO', e.image, 'true'], /unknown capability: "CAP_FOO"/);
  refused(e, ['run', '--rm', ...NONE, '--cap-drop', 'nope', e.image, 'true'], /invalid CapDrop: unknown capability: "CAP_NOPE"/);
}

/** A host device that only a privileged container sees (a loop device, else any block device). */
function hostOnlyDevice(): string | undefined {
  const names = readdirSync('/dev').sort();
  const pick = names.find((n) => /^loop\d+$/.test(n)) ?? names.find((n) => statSync(`/dev/${n}`).isBlockDevice());
  return pick && `/dev/${pick}`;
}

/**
 * A device node of the test's own, for a machine whose /dev has none to offer (a container: its
 * /dev holds only the default devices). `dir` is where it goes; removed by the returned function.
 */
export function ownDeviceNode(dir: string, name: string, type: 'b' | 'c', major: number, minor: number): () => void {
  const path = join(dir, name);
  const r = spawnSync('mknod', [path, type, String(major), String(minor)], { encoding: 'utf8' });
  assert.equal(r.status, 0, `mknod ${path}: ${r.stderr}`);
  return () => rmSync(path, { force: true });
}

export function privileged(e: Engine): void {
  let dev = hostOnlyDevice();
  // none on this machine: a block node of our own in /dev (a loop device's numbers), for this case only
  const drop = dev ? undefined : ownDeviceNode('/dev', 'berth-test-blk', 'b', 7, 250);
  dev ??= '/dev/berth-test-blk';
  try {
    privilegedSees(e, dev);
  } finally {
    drop?.();
  }
}

function privilegedSees(e: Engine, dev: string): void {
  const plain = e.run(['run', '--rm', ...NONE, e.image, 'ls', dev!]);
  assert.notEqual(plain.code, 0, `${e.label}: ${dev} visible without --privileged`);
  const out = runOut(e, ['--privileged'], ['sh', '-c', `ls ${dev}; cat /proc/self/status`]);
  assert.ok(out.startsWith(`${dev}\n`), out);
  // every capability there is (docker 20.10's "all" stops at CAP_AUDIT_READ; berth's is all the
  // engine holds), no seccomp filter
  const eff = caps(out, 'CapEff');
  const held = hostBounding();
  assert.deepEqual(
    eff.filter((c) => !held.includes(c)),
    [],
  );
  assert.deepEqual(
    held.slice(0, CAPABILITIES.indexOf('CAP_AUDIT_READ') + 1).filter((c) => !eff.includes(c)),
    [],
  );
  assert.match(out, /^Seccomp:\s*0$/m);
}

/**
 * The FUSE device (10:229: not among a container's default devices), as a node of the test's own
 * in a directory of its own: the machine's /dev may not have it (a container's does not).
 */
export function fuseNode(): { path: string; dispose: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'berth-dev-'));
  const drop = ownDeviceNode(dir, 'fuse', 'c', 10, 229);
  return {
    path: join(dir, 'fuse'),
    dispose: () => {
      drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function devices(e: Engine): void {
  const fuse = fuseNode();
  try {
    devicesWith(e, fuse.path);
  } finally {
    fuse.dispose();
  }
}

function devicesWith(e: Engine, node: string): void {
  const ls = runOut(e, ['--device', `${node}:/dev/fuse`], ['ls', '-l', '/dev/fuse']);
  assert.match(ls, /^c[-rwx]{9}\s+1 root root 10, 229 .*\/dev\/fuse$/m);
  // usable: the device cgroup allows it (the open fails with "no such device" only when the module is missing)
  assert.equal(runOut(e, ['--device', `${node}:/dev/myfuse:rwm`], ['sh', '-c', 'exec 3<>/dev/myfuse && echo opened']).trim(), 'opened');
  const denied = e.run(['run', '--rm', ...NONE, '--device', `${node}:/dev/fuse:m`, e.image, 'sh', '-c', 'exec 3<>/dev/fuse']);
  assert.notEqual(denied.code, 0, `${e.label}: opened /dev/fuse with only m permission`);
  assert.match(denied.stderr, /Operation not permitted/);
  refused(
    e,
    ['run', '--rm', ...NONE, '--device', '/dev/nonexistent-berth', e.image, 'true'],
    /error gathering device information while adding custom device "\/dev\/nonexistent-berth": no such file or directory/,
    e.missingDeviceExit,
  );
}

export function readOnly(e: Engine): void {
  const out = runOut(
    e,
    ['--read-only', '--tmpfs', '/tmp', '-v', '/data'],
    [
      'sh',
      '-c',
      'touch /x 2>&1; echo root=$?; touch /tmp/y && echo tmp=ok; touch /data/z && echo vol=ok; echo a > /dev/shm/a && echo shm=ok; head -c1 /proc/self/status >/dev/null && echo proc=ok; cat /etc/hostname >/dev/null && echo etc=ok',
    ],
  );
  assert.match(out, /Read-only file system/);
  assert.match(out, /root=1/);
  for (const w of ['tmp=ok', 'vol=ok', 'shm=ok', 'proc=ok', 'etc=ok']) assert.ok(out.includes(w), `${e.label}: ${w} missing in ${out}`);
}

const ZOMBIES = 'for f in /proc/[0-9]*/status; do grep -q "^State:.Z" $f && echo zombie; done; true';

export function init(e: Engine, name: string): void {
  const pid1 = runOut(e, ['--init'], ['sh', '-c', 'tr "\\0" " " < /proc/1/cmdline']);
  assert.match(pid1, /^\/sbin\/docker-init -- sh -c /);
  // an orphan that exits: reparented to pid 1, which must reap it
  const orphan = ['sh', '-c', `(sleep 0.2 &); sleep 1.5; ${ZOMBIES}`];
  for (const [opts, zombies] of [
    [['--init'], ''],
    [[], 'zombie\n'],
  ] as const) {
    const n = `${name}-${opts.length ? 'init' : 'plain'}`;
    ok(e, ['run', '-d', '--name', n, ...NONE, ...opts, e.image, 'sleep', '300']);
    try {
      assert.equal(ok(e, ['exec', n, ...orphan]), zombies, `${e.label} ${opts.join(' ')}`);
    } finally {
      ok(e, ['rm', '-f', n]);
    }
  }
}

export function ulimits(e: Engine): void {
  assert.equal(runOut(e, ['--ulimit', 'nofile=1024:2048'], ['sh', '-c', 'ulimit -n; ulimit -Hn']), '1024\n2048\n');
  const limits = runOut(e, ['--ulimit', 'nproc=300:400', '--ulimit', 'core=0'], ['cat', '/proc/self/limits']);
  assert.match(limits, /^Max processes\s+300\s+400\s+processes/m);
  assert.match(limits, /^Max core file size\s+0\s+0\s+bytes/m);
  refused(
    e,
    ['run', '--rm', ...NONE, '--ulimit', 'nofile=abc', e.image, 'true'],
    /invalid argument "nofile=abc" for "--ulimit" flag: strconv.ParseInt: parsing "abc": invalid syntax/,
  );
  refused(e, ['run', '--rm', ...NONE, '--ulimit', 'nofile=20:10', e.image, 'true'], /ulimit soft limit must be less than or equal to hard limit: 20 > 10/);
  refused(e, ['run', '--rm', ...NONE, '--ulimit', 'bogus=1', e.image, 'true'], /invalid ulimit type: bogus/);
}

export function sysctls(e: Engine): void {
  assert.equal(runOut(e, ['--sysctl', 'net.ipv4.ip_forward=1'], ['cat', '/proc/sys/net/ipv4/ip_forward']).trim(), '1');
  assert.equal(runOut(e, ['--sysctl', 'kernel.shmmax=123456789'], ['cat', '/proc/sys/kernel/shmmax']).trim(), '123456789');
  // the host's value is untouched
  assert.notEqual(readFileSync('/proc/sys/kernel/shmmax', 'utf8').trim(), '123456789');
  refused(e, ['run', '--rm', ...NONE, '--sysctl', 'kernel.domainname=x', e.image, 'true'], /sysctl 'kernel.domainname=x' is not whitelisted/);
  refused(
    e,
    ['run', '--rm', '--network', 'host', '--sysctl', 'net.ipv4.ip_forward=1', e.image, 'true'],
    /sysctl "net.ipv4.ip_forward" not allowed in host network namespace/,
  );
}

export function shmSize(e: Engine): void {
  const df = (opts: string[]) => runOut(e, opts, ['df', '-k', '/dev/shm']).trim().split('\n').pop()!.split(/\s+/)[1];
  assert.equal(df([]), '65536');
  assert.equal(df(['--shm-size', '128m']), '131072');
}

export function pidHost(e: Engine): void {
  // this test's own process is visible only in the host's pid namespace
  const cmd = ['sh', '-c', `test -d /proc/${process.pid} && echo seen || echo unseen`];
  assert.equal(runOut(e, [], cmd).trim(), 'unseen');
  assert.equal(runOut(e, ['--pid', 'host'], cmd).trim(), 'seen');
  refused(e, ['run', '--rm', ...NONE, '--pid', 'bogus', e.image, 'true'], /--pid: invalid PID mode/);
}

export function ipcContainer(e: Engine, name: string): void {
  const donor = `${name}-donor`;
  const plain = `${name}-plain`;
  ok(e, ['run', '-d', '--name', donor, ...NONE, '--ipc', 'shareable', e.image, 'sh', '-c', 'echo shared > /dev/shm/mark; exec sleep 300']);
  ok(e, ['run', '-d', '--name', plain, ...NONE, e.image, 'sleep', '300']);
  try {
    const ns = ok(e, ['exec', donor, 'readlink', '/proc/self/ns/ipc']).trim();
    for (let i = 0; i < 50 && e.run(['exec', donor, 'test', '-f', '/dev/shm/mark']).code !== 0; i++)
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
    const out = runOut(e, ['--ipc', `container:${donor}`], ['sh', '-c', 'readlink /proc/self/ns/ipc; cat /dev/shm/mark']);
    assert.equal(out, `${ns}\nshared\n`);
    // a private one is not shared, and joining it is refused
    assert.notEqual(runOut(e, [], ['readlink', '/proc/self/ns/ipc']).trim(), ns);
    refused(
      e,
      ['run', '--rm', ...NONE, '--ipc', `container:${plain}`, e.image, 'true'],
      /non-shareable IPC \(hint: use IpcMode:shareable for the donor container\)/,
    );
    refused(e, ['run', '--rm', ...NONE, '--ipc', 'bogus', e.image, 'true'], /Invalid IPC mode: bogus/);
  } finally {
    ok(e, ['rm', '-f', donor, plain]);
  }
}

/** The lines of `logs`, each "line-N". */
const numbers = (out: string) =>
  out
    .trim()
    .split('\n')
    .map((l) => Number(/^line-(\d+)-/.exec(l)?.[1] ?? NaN));

export function logRotation(e: Engine, name: string): void {
  ok(e, [
    'run',
    '-d',
    '--name',
    name,
    ...NONE,
    '--log-opt',
    'max-size=1k',
    '--log-opt',
    'max-file=3',
    e.image,
    'sh',
    '-c',
    'for i in $(seq 1 300); do echo line-$i-abcdefghijklmnopqrstuvwxyz; done',
  ]);
  try {
    assert.equal(ok(e, ['wait', name]).trim(), '0');
    const got = numbers(ok(e, ['logs', name]));
    // the newest lines, in order, from the three files (a 1 KiB file holds 10 to 15 of them,
    // as the format's overhead per line is)
    assert.equal(got.at(-1), 300);
    got.forEach((n, i) => assert.equal(n, got[0]! + i, `${e.label}: line ${i} is ${n} in ${got.join(',')}`));
    assert.ok(got.length >= 20 && got.length < 60, `${e.label}: ${got.length} lines kept`);
    assert.deepEqual(numbers(ok(e, ['logs', '--tail', '5', name])), [296, 297, 298, 299, 300]);
    const path = ok(e, ['inspect', '-f', '{{.LogPath}}', name]).trim();
    const size = (p: string) => statSync(p, { throwIfNoEntry: false })?.size;
    for (const p of [path, `${path}.1`, `${path}.2`]) assert.ok((size(p) ?? Infinity) < 1200, `${e.label}: ${p} is ${size(p)} bytes`);
    assert.ok(size(`${path}.1`)! > 900 && size(`${path}.2`)! > 900);
    assert.equal(size(`${path}.3`), undefined);
  } finally {
    ok(e, ['rm', '-f', name]);
  }
}

/** --log-driver json-file: docker's format on disk; none: nothing to read back. */
export function logDrivers(e: Engine, name: string): void {
  ok(e, ['run', '--name', name, ...NONE, '--log-driver', 'json-file', e.image, 'sh', '-c', 'echo out; echo err >&2; printf tail']);
  try {
    const path = ok(e, ['inspect', '-f', '{{.LogPath}}', name]).trim();
    assert.ok(path.endsWith('-json.log'), path);
    const recs = readFileSync(path, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { log: string; stream: string; time: string });
    assert.deepEqual(recs.map((r) => [r.stream, r.log]).sort(), [
      ['stderr', 'err\n'],
      ['stdout', 'out\n'],
      ['stdout', 'tail'],
    ]);
    for (const r of recs) assert.match(r.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z$/);
    const r = e.run(['logs', name]);
    assert.equal(r.stdout, 'out\ntail');
    assert.equal(r.stderr, 'err\n');
  } finally {
    ok(e, ['rm', '-f', name]);
  }
  // none: the output still reaches an attached run; `logs` refuses as docker's
  assert.equal(ok(e, ['run', '--name', name, ...NONE, '--log-driver', 'none', e.image, 'echo', 'visible']), 'visible\n');
  try {
    const r = e.run(['logs', name]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /configured logging driver does not support reading/);
  } finally {
    ok(e, ['rm', '-f', name]);
  }
  refused(e, ['run', '--rm', ...NONE, '--log-driver', 'none', '--log-opt', 'max-size=1k', e.image, 'true'], /invalid logging opts for driver none/);
  refused(e, ['run', '--rm', ...NONE, '--log-opt', 'max-size=abc', e.image, 'true'], /invalid size: 'abc'/);
}

/** logs --since/--until in docker's forms: RFC 3339, unix seconds with a fraction, durations. */
export function logsSinceUntil(e: Engine, name: string): void {
  ok(e, ['run', '--name', name, ...NONE, e.image, 'sh', '-c', 'echo first; sleep 2; echo second']);
  try {
    const stamped = ok(e, ['logs', '-t', name]).trim().split('\n');
    assert.equal(stamped.length, 2, stamped.join('\n'));
    const t = stamped.map((l) => Date.parse(l.split(' ')[0]!));
    const mid = (t[0]! + t[1]!) / 2;
    const at = (ms: number) => new Date(ms).toISOString();
    const unix = (ms: number) => (ms / 1000).toFixed(3);
    const logs = (...a: string[]) => ok(e, ['logs', ...a, name]);
    assert.equal(logs('--since', at(mid)), 'second\n');
    assert.equal(logs('--until', at(mid)), 'first\n');
    assert.equal(logs('--since', unix(mid)), 'second\n');
    assert.equal(logs('--until', unix(mid)), 'first\n');
    assert.equal(logs('--since', '1h'), 'first\nsecond\n');
    assert.equal(logs('--since', '1h30m', '--until', at(mid)), 'first\n');
    assert.equal(logs('--since', at(t[1]! + 1000)), '');
    const bad = e.run(['logs', '--since', 'yesterday', name]);
    assert.notEqual(bad.code, 0);
  } finally {
    ok(e, ['rm', '-f', name]);
  }
}
