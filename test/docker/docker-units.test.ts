/** The Docker backend's pure parts: host parsing and selection, contexts, JSON mapping, stats maths. */
import { test } from 'node:test';
import { spawnSync } from 'node:child_process';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseHost } from '../../src/engine/docker/endpoint.js';
import { ContextStore, resolveHost, dockerContextDir } from '../../src/engine/docker/contexts.js';
import { splitReference } from '../../src/engine/docker/images.js';
import { unixMode, unixTime } from '../../src/engine/docker/containers.js';
import { cgroupDirsOf, cpuPercent, readingOf } from '../../src/engine/docker/stats.js';
import { compareApi, engineKind, parseVersion } from '../../src/engine/docker/wire.js';
import { containerSummary, startedFromStatus } from '../../src/engine/docker/map.js';
import { DEFAULT_REMOTE, sshArgsFor } from '../../src/engine/docker/ssh-dial.js';
import { parseDockerEndpoint } from '../../src/cli/context-create.js';
import { Demuxer } from '../../src/engine/docker/streams.js';

test('host strings: unix, tcp (2375 plain, 2376 TLS), ssh as docker runs it; bad ones refused', () => {
  const u = parseHost('unix:///run/x.sock');
  assert.deepEqual([u.kind, u.local, u.kind === 'unix' && u.path], ['unix', true, '/run/x.sock']);
  assert.equal(parseHost('/run/y.sock').url, 'unix:///run/y.sock');
  const t = parseHost('tcp://10.0.0.1:2375');
  assert.ok(t.kind === 'tcp' && t.host === '10.0.0.1' && t.port === 2375 && t.tls === undefined);
  const secure = parseHost('tcp://10.0.0.1:2376');
  assert.ok(secure.kind === 'tcp' && secure.tls && !secure.tls.verify);
  assert.equal(parseHost('tcp://h', { tls: true }).url, 'tcp://h:2376');
  const v6 = parseHost('tcp://[::1]:2375');
  assert.ok(v6.kind === 'tcp' && v6.host === '::1');
  assert.throws(() => parseHost('tcp://h:2376', { verify: true, caCert: '/nonexistent/ca.pem' }), /TLS CA certificate \/nonexistent\/ca\.pem.*no such file/);
  const s = parseHost('ssh://me@box:2222');
  assert.ok(s.kind === 'ssh');
  assert.equal(s.url, 'ssh://me@box:2222');
  // docker/cli's connhelper: ConnectTimeout, no tty, -l/-p, then `-- HOST` and docker's
  // `system dial-stdio` where the host has docker, berth's where it has only berth
  assert.deepEqual(sshArgsFor({ ...s.ssh, sshArgs: [] }), ['-o', 'ConnectTimeout=30', '-T', '-l', 'me', '-p', '2222', '--', 'box', ...DEFAULT_REMOTE]);
  const picked = (path: string, env: Record<string, string> = {}) => {
    const r = spawnSync('/bin/sh', ['-c', DEFAULT_REMOTE[2]!.slice(1, -1)], { env: { PATH: path, ...env }, encoding: 'utf8' });
    return r.stdout + r.stderr;
  };
  const dockerd = existsSync('/var/run/docker.sock'); // a daemon on this machine: docker is picked
  const bins = mkdtempSync(join(tmpdir(), 'berth-remote-'));
  try {
    for (const name of ['docker', 'berth']) {
      mkdirSync(join(bins, name));
      writeFileSync(join(bins, name, name), `#!/bin/sh\necho ${name} "$@"\n`, { mode: 0o755 });
    }
    assert.equal(picked(`${bins}/docker:${bins}/berth`, { DOCKER_HOST: 'unix:///x.sock' }), 'docker system dial-stdio\n');
    assert.equal(picked(`${bins}/docker:${bins}/berth`), `${dockerd ? 'docker' : 'berth'} system dial-stdio\n`);
    assert.equal(picked(`${bins}/berth`), 'berth system dial-stdio\n');
    assert.equal(picked(`${bins}/docker`), 'docker system dial-stdio\n'); // docker's own error follows
  } finally {
    rmSync(bins, { recursive: true, force: true });
  }
  const path = parseHost('ssh://box/run/user/docker.sock');
  assert.ok(path.kind === 'ssh');
  assert.equal(path.url, 'ssh://box/run/user/docker.sock');
  assert.deepEqual(sshArgsFor({ ...path.ssh, sshArgs: ['-o', 'ConnectTimeout=5'] }), [
    '-o',
    'ConnectTimeout=5',
    '-T',
    '--',
    'box',
    'docker',
    '--host=unix:///run/user/docker.sock',
    'system',
    'dial-stdio',
  ]);
  assert.throws(() => parseHost('ssh://me:secret@box'), /password/);
  assert.throws(() => parseHost('ftp://x'), /unsupported host scheme/);
});

test('API versions compare numerically; podman is recognised', () => {
  assert.ok(compareApi('1.9', '1.41') < 0);
  assert.ok(compareApi('1.51', '1.44') > 0);
  assert.equal(engineKind(parseVersion({ Components: [{ Name: 'Podman Engine', Version: '4.3.1' }] })), 'podman');
  assert.equal(engineKind(parseVersion({ Platform: { Name: 'Docker Engine - Community' }, Components: [{ Name: 'Engine' }] })), 'docker');
});

test('contexts: create/use/rm in BERTH_CONFIG; precedence -H > -c > DOCKER_HOST > current; docker contexts readable', () => {
  const dir = mkdtempSync(join(tmpdir(), 'berth-ctxu-'));
  try {
    const env = { BERTH_CONFIG: join(dir, 'berth'), DOCKER_CONFIG: join(dir, 'docker') };
    const store = new ContextStore(env);
    assert.deepEqual(resolveHost({}, env, store), { kind: 'embedded', context: 'default' });
    store.create('a', 'unix:///a.sock');
    assert.throws(() => store.create('a', 'unix:///b'), /already exists/);
    assert.throws(() => store.create('bad name', 'unix:///b'), /invalid/);
    store.use('a');
    assert.equal(resolveHost({}, env, store).kind, 'docker');
    assert.equal((resolveHost({}, env, store) as { host: string }).host, 'unix:///a.sock');
    assert.equal((resolveHost({}, { ...env, DOCKER_HOST: 'tcp://x:2375' }, store) as { host: string }).host, 'tcp://x:2375');
    assert.equal(resolveHost({ context: 'default' }, { ...env, DOCKER_HOST: 'tcp://x:2375' }, store).kind, 'embedded');
    assert.equal((resolveHost({ host: 'unix:///h' }, env, store) as { via: string }).via, '-H');
    assert.throws(() => store.remove('a'), /in use/);
    store.remove('a', { force: true });
    assert.equal(store.current(), 'default');
    // docker's own store
    const meta = join(dir, 'docker', 'contexts', 'meta', dockerContextDir('remote'));
    mkdirSync(meta, { recursive: true });
    writeFileSync(
      join(meta, 'meta.json'),
      JSON.stringify({ Name: 'remote', Metadata: { Description: 'd' }, Endpoints: { docker: { Host: 'ssh://u@r', SkipTLSVerify: false } } }),
    );
    writeFileSync(join(dir, 'docker', 'config.json'), JSON.stringify({ currentContext: 'remote' }));
    assert.equal(store.get('remote').host, 'ssh://u@r');
    assert.equal(store.dockerCurrent(), 'remote');
    assert.equal(resolveHost({}, env, store).kind, 'embedded'); // docker's current is not adopted silently
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('context create --docker values', () => {
  assert.deepEqual(parseDockerEndpoint('host=unix:///x.sock'), { host: 'unix:///x.sock' });
  const t = parseDockerEndpoint('host=tcp://h:2376,ca=/c/ca.pem,cert=/c/cert.pem,key=/c/key.pem');
  assert.equal(t.tls?.verify, true);
  assert.equal(parseDockerEndpoint('host=tcp://h:2376,skip-tls-verify=true').tls?.verify, false);
  assert.throws(() => parseDockerEndpoint('hots=x'), /unrecognized/);
});

test('references, file modes, times', () => {
  assert.deepEqual(splitReference('busybox'), { repo: 'busybox', tag: 'latest' });
  assert.deepEqual(splitReference('localhost:5000/a/b:v1'), { repo: 'localhost:5000/a/b', tag: 'v1' });
  assert.deepEqual(splitReference('localhost:5000/a'), { repo: 'localhost:5000/a', tag: 'latest' });
  assert.equal(unixMode(2 ** 31 + 0o755), 0o040755);
  assert.equal(unixMode(0o644), 0o100644);
  assert.equal(unixMode((1 << 27) + 0o777), 0o120777);
  assert.equal(unixTime('1700000000'), '1700000000');
  assert.equal(unixTime('10m', 1_000_000_000), String(Math.floor((1_000_000_000 - 600_000) / 1000)));
  assert.equal(unixTime('2024-01-01T00:00:00Z'), '1704067200');
});

test('container list JSON → summary', () => {
  const s = containerSummary({
    Id: 'a'.repeat(64),
    Names: ['/web'],
    Image: 'docker.io/library/busybox:latest',
    ImageID: 'sha256:x',
    Command: 'sh',
    Created: 1700000000,
    State: 'exited',
    Status: 'Exited (3) 2 minutes ago',
    Ports: [{ IP: '0.0.0.0', PrivatePort: 80, PublicPort: 8080, Type: 'tcp' }],
    Labels: { a: 'b' },
    NetworkSettings: { Networks: { bridge: {} } },
    Mounts: [{ Name: 'vol', Source: '/x' }],
  });
  assert.equal(s.image, 'busybox:latest');
  assert.deepEqual(s.names, ['web']);
  assert.equal(s.exitCode, 3);
  assert.deepEqual(s.ports, [{ hostIp: '', hostPort: 8080, containerPort: 80, protocol: 'tcp' }]);
  assert.equal(s.created, '2023-11-14T22:13:20.000Z');
  assert.equal(s.startedAt, undefined);
});

test('uptime from docker\'s "Up …" status (the list API has no start time)', () => {
  const now = Date.parse('2026-01-01T12:00:00Z');
  const ago = (s: string) => (now - Date.parse(startedFromStatus(s, now) ?? 'x')) / 1000;
  assert.equal(ago('Up 5 minutes'), 300);
  assert.equal(ago('Up About an hour'), 3600);
  assert.equal(ago('Up About a minute'), 60);
  assert.equal(ago('Up Less than a second'), 0);
  assert.equal(ago('Up 2 days (Paused)'), 172800);
  assert.equal(ago('Up 1 second'), 1);
  assert.equal(startedFromStatus('Exited (0) 2 minutes ago', now), undefined);
  assert.equal(startedFromStatus('Created', now), undefined);
  const running = containerSummary({ Id: 'b'.repeat(64), Names: ['/r'], Image: 'busybox', State: 'running', Status: 'Up 3 hours' });
  assert.ok(running.startedAt && Math.abs(Date.now() - 3 * 3600e3 - Date.parse(running.startedAt)) < 60_000);
});

test('stats: docker memory (usage − inactive file), CPU % with 100 % = one core', () => {
  const doc = (cpu: number, sys: number) => ({
    cpu_stats: { cpu_usage: { total_usage: cpu }, system_cpu_usage: sys, online_cpus: 4 },
    memory_stats: { usage: 10_000, limit: 100_000, stats: { total_inactive_file: 4_000 } },
    networks: { eth0: { rx_bytes: 5, tx_bytes: 7 } },
    blkio_stats: {
      io_service_bytes_recursive: [
        { op: 'Read', value: 3 },
        { op: 'Write', value: 9 },
      ],
    },
    pids_stats: { current: 2 },
  });
  const a = readingOf(doc(0, 0), 'id', 'n', 0);
  const b = readingOf(doc(1e9, 4e9), 'id', 'n', 1000);
  assert.equal(b.memUsage, 6_000);
  assert.deepEqual([b.netRx, b.netTx, b.blockRead, b.blockWrite, b.pids], [5, 7, 3, 9, 2]);
  // 1 s of CPU over 1 s of wall on 4 cores (4 s of system time): one full core = 100 %.
  assert.equal(cpuPercent(a, b), 100);
});

test('cgroup of a docker container from /proc/<pid>/cgroup, only when the id is in the path', () => {
  const id = 'c'.repeat(64);
  const v2 = { version: 2 as const, mode: 'v2' as const, root: '/sys/fs/cgroup', controllers: [], v1Mounts: {}, v1Hierarchies: [] };
  assert.deepEqual(cgroupDirsOf(v2, id, `0::/system.slice/docker-${id}.scope\n`), { version: 2, dir: `/sys/fs/cgroup/system.slice/docker-${id}.scope` });
  assert.equal(cgroupDirsOf(v2, id, '0::/user.slice\n'), undefined);
  const v1 = {
    version: 1 as const,
    mode: 'v1' as const,
    root: '/sys/fs/cgroup',
    controllers: [],
    v1Mounts: { memory: '/sys/fs/cgroup/memory', cpuacct: '/sys/fs/cgroup/cpu,cpuacct' },
    v1Hierarchies: [],
  };
  assert.deepEqual(cgroupDirsOf(v1, id, `4:memory:/docker/${id}\n2:cpu,cpuacct:/docker/${id}\n`), {
    version: 1,
    byController: { memory: `/sys/fs/cgroup/memory/docker/${id}`, cpuacct: `/sys/fs/cgroup/cpu,cpuacct/docker/${id}` },
  });
});

test('demultiplexing across chunk boundaries', () => {
  const got: string[] = [];
  const d = new Demuxer((s, b) => got.push(`${s}:${b.toString()}`));
  const frame = (k: number, t: string) => Buffer.concat([Buffer.from([k, 0, 0, 0, 0, 0, 0, t.length]), Buffer.from(t)]);
  const all = Buffer.concat([frame(1, 'out\n'), frame(2, 'err\n')]);
  d.push(all.subarray(0, 5));
  d.push(all.subarray(5, 14));
  d.push(all.subarray(14));
  assert.deepEqual(got, ['stdout:out\n', 'stderr:err\n']);
});
