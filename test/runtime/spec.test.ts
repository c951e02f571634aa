import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { Sandbox } from './helpers.js';
import { isEngineError } from '../../src/engine/errors.js';
import {
  buildSpec,
  specToJson,
  parseSpecJson,
  resolveUser,
  clampRlimits,
  ownLimits,
  parseLimits,
  RLIM_INFINITY,
  execInContainer,
  readLogs,
  top,
  filterPs,
  parseSignal,
  chooseRuntime,
  cgroupMode,
} from '../../src/engine/runtime/index.js';

const sb = new Sandbox();
const scratch = mkdtempSync(join(tmpdir(), 'berth-rt-spec-'));
after(async () => {
  await sb.cleanup();
  rmSync(scratch, { recursive: true, force: true });
});

/** A tiny rootfs with passwd/group only (enough for user resolution). */
function etcRoot(passwd: string, group: string): string {
  const r = mkdtempSync(join(scratch, 'root-'));
  mkdirSync(join(r, 'etc'));
  writeFileSync(join(r, 'etc/passwd'), passwd);
  writeFileSync(join(r, 'etc/group'), group);
  return r;
}

const PASSWD = 'root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000:App:/home/app:/bin/sh\nbad line\nnobody:x:65534:65534::/nonexistent:/bin/false\n';
const GROUP = 'root:x:0:\napp:x:1000:\nstaff:x:50:app,other\naudio:x:29:app\nnogroup:x:65534:\n';

test('user resolution: docker forms', () => {
  const r = etcRoot(PASSWD, GROUP);
  assert.deepEqual(resolveUser(r, undefined), { uid: 0, gid: 0, additionalGids: [], home: '/root', name: 'root' });
  assert.deepEqual(resolveUser(r, 'app'), { uid: 1000, gid: 1000, additionalGids: [50, 29], home: '/home/app', name: 'app' });
  assert.deepEqual(resolveUser(r, '1000'), { uid: 1000, gid: 1000, additionalGids: [50, 29], home: '/home/app', name: 'app' });
  // An explicit group replaces the primary and drops the member groups (runc's rule).
  assert.deepEqual(resolveUser(r, 'app:staff'), { uid: 1000, gid: 50, additionalGids: [], home: '/home/app', name: 'app' });
  assert.deepEqual(resolveUser(r, '1234:5678'), { uid: 1234, gid: 5678, additionalGids: [], home: '/' });
  assert.deepEqual(resolveUser(r, '1234'), { uid: 1234, gid: 0, additionalGids: [], home: '/' });
  assert.deepEqual(resolveUser(r, 'nobody', ['audio', '7']), { uid: 65534, gid: 65534, additionalGids: [29, 7], home: '/nonexistent', name: 'nobody' });
  for (const bad of ['nosuch', 'app:nosuch', ':1', '1:', '99999999999']) {
    assert.throws(
      () => resolveUser(r, bad),
      (e: unknown) => isEngineError(e, 'invalid'),
      bad,
    );
  }
});

test('user resolution never leaves the rootfs through symlinks', () => {
  const r = mkdtempSync(join(scratch, 'root-'));
  mkdirSync(join(r, 'etc'));
  const outside = join(scratch, 'host-passwd');
  writeFileSync(outside, 'evil:x:4242:4242::/:/bin/sh\n');
  // Absolute and ../ links are resolved inside the rootfs, where they point at nothing.
  symlinkSync(outside, join(r, 'etc/passwd'));
  symlinkSync('../../../../../../' + outside, join(r, 'etc/group'));
  assert.throws(
    () => resolveUser(r, 'evil'),
    (e: unknown) => isEngineError(e, 'invalid'),
  );
  // A link inside the rootfs is followed.
  const r2 = etcRoot('', '');
  rmSync(join(r2, 'etc/passwd'));
  mkdirSync(join(r2, 'lib'));
  writeFileSync(join(r2, 'lib/pw'), PASSWD);
  symlinkSync('/lib/pw', join(r2, 'etc/passwd'));
  assert.equal(resolveUser(r2, 'app').uid, 1000);
});

test("rlimits are clamped to the caller's hard limits", () => {
  const limits = parseLimits(readFileSync('/proc/self/limits', 'utf8'));
  const nofile = limits.get('RLIMIT_NOFILE')!;
  assert.ok(nofile.hard > 0n);
  const { rlimits, warnings } = clampRlimits([{ type: 'RLIMIT_NOFILE', soft: 10n ** 9n, hard: 10n ** 9n }]);
  assert.deepEqual(rlimits, [{ type: 'RLIMIT_NOFILE', soft: nofile.hard, hard: nofile.hard }]);
  assert.equal(warnings.length, 1);
  assert.throws(
    () => clampRlimits([{ type: 'RLIMIT_NOFILE', soft: 2n, hard: 1n }]),
    (e: unknown) => isEngineError(e, 'invalid'),
  );
  // The spec's defaults (podman's 1048576 open files) are lowered silently.
  const { spec, warnings: w2 } = buildSpec({ args: ['true'], rootfs: sb.rootfs });
  assert.deepEqual(w2, []);
  for (const r of spec.process.rlimits!) {
    const own = ownLimits().get(r.type)!;
    assert.ok(r.hard <= own.hard && r.soft <= r.hard, `${r.type} ${r.soft}/${r.hard} vs ${own.hard}`);
  }
  // uint64 values survive serialisation exactly.
  const json = specToJson({ ...spec, process: { ...spec.process, rlimits: [{ type: 'RLIMIT_CORE', soft: RLIM_INFINITY, hard: RLIM_INFINITY }] } });
  assert.match(json, /"soft": 18446744073709551615/);
  assert.deepEqual(parseSpecJson(json).process.rlimits, [{ type: 'RLIMIT_CORE', soft: RLIM_INFINITY, hard: RLIM_INFINITY }]);
});

test('a container with rlimits above our hard limits runs, with them lowered', async () => {
  const c = await sb.run({
    args: ['sh', '-c', 'ulimit -n; ulimit -Hn'],
    rlimits: [{ type: 'RLIMIT_NOFILE', soft: 4_000_000, hard: 4_000_000 }],
  });
  assert.equal(await sb.waitExit(c.id), 0);
  const lines = [];
  for await (const l of readLogs(sb.logPath(c.id))) lines.push(l.text);
  const hard = String(ownLimits().get('RLIMIT_NOFILE')!.hard);
  assert.deepEqual(lines, [hard, hard]);
});

test('docker defaults: caps, masked/readonly paths, devices, mounts, env', () => {
  const { spec } = buildSpec({
    args: ['sh'],
    rootfs: sb.rootfs,
    hostname: 'h1',
    terminal: true,
    env: ['A=1', 'A=2'],
    resources: { devices: [{ allow: true, type: 'c', major: 10, minor: 200, access: 'rwm' }], memory: { limit: 1 } },
  });
  assert.equal(spec.process.capabilities.bounding.length, 14);
  assert.ok(spec.process.capabilities.bounding.includes('CAP_NET_BIND_SERVICE'));
  assert.ok(!spec.process.capabilities.bounding.includes('CAP_SYS_ADMIN'));
  assert.equal(spec.process.noNewPrivileges, false);
  assert.ok(spec.linux.maskedPaths.includes('/proc/kcore'));
  assert.ok(spec.linux.readonlyPaths.includes('/proc/sys'));
  const devs = spec.linux.resources.devices as { allow: boolean; major?: number }[];
  assert.deepEqual(devs[0], { allow: false, access: 'rwm' });
  assert.equal(devs.at(-1)!.major, 10); // caller's rules after docker's
  assert.deepEqual(spec.linux.resources.memory, { limit: 1 });
  assert.deepEqual(
    spec.mounts.map((m) => m.destination),
    ['/proc', '/dev', '/dev/pts', '/sys', '/sys/fs/cgroup', '/dev/mqueue', '/dev/shm'],
  );
  assert.deepEqual(spec.process.env, ['A=2', 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'HOSTNAME=h1', 'HOME=/root', 'TERM=xterm']);
  assert.deepEqual(
    spec.linux.namespaces.map((n) => n.type),
    ['pid', 'mount', 'uts', 'ipc'],
  ); // host network
  const n2 = buildSpec({ args: ['sh'], rootfs: sb.rootfs, network: { path: '/var/run/netns/x' } }).spec.linux.namespaces.at(-1);
  assert.deepEqual(n2, { type: 'network', path: '/var/run/netns/x' });
  const caps = buildSpec({ args: ['sh'], rootfs: sb.rootfs, capAdd: ['net_admin'], capDrop: ['chown'] }).spec.process.capabilities.bounding;
  assert.ok(caps.includes('CAP_NET_ADMIN') && !caps.includes('CAP_CHOWN'));
});

test('invalid inputs are EngineError invalid', () => {
  const bad: Parameters<typeof buildSpec>[0][] = [
    { args: [], rootfs: sb.rootfs },
    { args: ['x'], rootfs: 'relative' },
    { args: ['x'], rootfs: sb.rootfs, cwd: 'tmp' },
    { args: ['x'], rootfs: sb.rootfs, env: ['=x'] },
    { args: ['x'], rootfs: sb.rootfs, hostname: 'bad host' },
    { args: ['x'], rootfs: sb.rootfs, oomScoreAdj: 2000 },
    { args: ['x'], rootfs: sb.rootfs, capAdd: ['CAP_NOPE'] },
    { args: ['x'], rootfs: sb.rootfs, mounts: [{ type: 'bind', source: '/nonexistent-berth', destination: '/x' }] },
    { args: ['x'], rootfs: sb.rootfs, mounts: [{ type: 'tmpfs', destination: 'rel' }] },
    { args: ['x'], rootfs: sb.rootfs, cgroupsPath: '/a/../b' },
    { args: ['x'], rootfs: sb.rootfs, user: 'nosuchuser' },
  ];
  for (const b of bad)
    assert.throws(
      () => buildSpec(b),
      (e: unknown) => isEngineError(e, 'invalid'),
      JSON.stringify(b),
    );
  assert.throws(
    () => parseSignal('SIGNOPE'),
    (e: unknown) => isEngineError(e, 'invalid'),
  );
  assert.equal(parseSignal('SIGTERM'), 15);
  assert.equal(parseSignal('term'), 15);
  assert.equal(parseSignal('9'), 9);
  assert.equal(parseSignal('SIGRTMIN+1'), 35);
});

test('in a container: user by name, mounts (ro bind, tmpfs), read-only rootfs, oom score, hostname', async () => {
  const src = mkdtempSync(join(scratch, 'bind-'));
  chmodSync(src, 0o755);
  writeFileSync(join(src, 'f'), 'from host\n');
  const c = await sb.run({
    args: ['sleep', '300'],
    user: 'nobody',
    hostname: 'inbox',
    oomScoreAdj: 123,
    mounts: [
      // Mount points that exist in the shared fixture rootfs: runc would create missing ones
      // in it (before making the root read-only).
      { type: 'bind', source: src, destination: '/home', readOnly: true },
      { type: 'tmpfs', destination: '/tmp', options: ['size=1m'] },
    ],
  });
  const run = async (cmd: string, user?: string) => {
    const out = new PassThrough();
    let s = '';
    out.on('data', (b: Buffer) => (s += b.toString()));
    const code = await execInContainer({
      id: c.id,
      runtime: sb.runc,
      opts: { cmd: ['sh', '-c', cmd], ...(user ? { user } : {}) },
      io: { stdout: out, stderr: out },
    });
    return { code, s };
  };
  assert.deepEqual(await run('id -u; id -g; hostname; cat /home/f; cat /proc/1/oom_score_adj'), { code: 0, s: '65534\n65534\ninbox\nfrom host\n123\n' });
  // As root, so only the mount's read-only flag can refuse.
  assert.match((await run('touch /home/x', 'root')).s, /Read-only file system/);
  assert.match((await run('touch /etc/x', 'root')).s, /Read-only file system/);
  assert.equal((await run('echo ok > /tmp/x && cat /tmp/x; grep -c "^tmpfs /tmp tmpfs .*size=1024k" /proc/mounts')).s, 'ok\n1\n');
});

test("top: host ps rows of the container's processes, docker's columns", async () => {
  const c = await sb.run({ args: ['sleep', '301'] });
  const t = await top(sb.runc, c.id);
  assert.deepEqual(t.titles, ['UID', 'PID', 'PPID', 'C', 'STIME', 'TTY', 'TIME', 'CMD']);
  assert.equal(t.processes.length, 1);
  assert.equal(t.processes[0]![1], String(c.pid));
  assert.equal(t.processes[0]![7], 'sleep 301');
  const t2 = await top(sb.runc, c.id, ['-o', 'pid,args']);
  assert.deepEqual(t2, { titles: ['PID', 'COMMAND'], processes: [[String(c.pid), 'sleep 301']] });
  assert.deepEqual(filterPs('PID CMD\n 1 a b\n 2 c\n', [2]), { titles: ['PID', 'CMD'], processes: [['2', 'c']] });
});

test('runtime choice: runc here; crun refused on a hybrid host', () => {
  const mode = cgroupMode();
  assert.equal(chooseRuntime(undefined, mode).name, 'runc');
  assert.throws(
    () => chooseRuntime('crun', 'hybrid'),
    (e: unknown) => isEngineError(e, 'unsupported') || isEngineError(e, 'invalid'),
  );
});
