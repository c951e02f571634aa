/**
 * The cases of the rest of docker's container surface (issue 13: healthchecks, update, port,
 * diff, export, events, system df), written once and run against the embedded engine
 * (test/cli/container-surface.test.ts) and a private dockerd through `berth -H` and docker's
 * own CLI (test/docker/container-surface-docker.test.ts): same commands, same outcomes.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { ok, refused, type Engine } from './run-option-cases.js';

export { ok, type Engine };

const NONE = ['--network', 'none'];

const sleepMs = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** Polls `probe` until it returns a value (generous deadline for a loaded 2-core host). */
export function waitFor<T>(what: string, probe: () => T | undefined, deadlineMs = 90_000): T {
  const end = Date.now() + deadlineMs;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    sleepMs(200);
  }
}

const inspect = (e: Engine, name: string) => JSON.parse(ok(e, ['inspect', name]))[0];

/**
 * A healthcheck goes healthy, then unhealthy: the probe tests for /tmp/ok every second, 2
 * retries; once healthy, the file is removed and nothing else happens until it is unhealthy.
 * `quietly` waits (without the engine's CLI, where that matters) until a status is reached.
 */
export function healthcheck(e: Engine, name: string, quietly?: (id: string, status: string) => void): void {
  const id = ok(e, [
    'run',
    '-d',
    '--name',
    name,
    ...NONE,
    '--health-cmd',
    'test -e /tmp/ok',
    '--health-interval',
    '1s',
    '--health-retries',
    '2',
    e.image,
    'sh',
    '-c',
    'touch /tmp/ok; exec sleep 300',
  ]).trim();
  try {
    const status = () => inspect(e, name).State.Health?.Status as string | undefined;
    if (quietly) quietly(id, 'healthy');
    else waitFor(`${e.label}: ${name} healthy`, () => (status() === 'healthy' ? true : undefined));
    ok(e, ['exec', name, 'rm', '/tmp/ok']);
    if (quietly) quietly(id, 'unhealthy');
    waitFor(`${e.label}: ${name} unhealthy`, () => (status() === 'unhealthy' ? true : undefined));
    const doc = inspect(e, name);
    const h = doc.State.Health;
    assert.equal(h.Status, 'unhealthy');
    assert.ok(h.FailingStreak >= 2, JSON.stringify(h));
    assert.ok(h.Log.length >= 2 && h.Log.length <= 5, JSON.stringify(h));
    for (const l of h.Log) {
      assert.equal(typeof l.Start, 'string');
      assert.equal(typeof l.End, 'string');
      assert.equal(typeof l.Output, 'string');
    }
    assert.equal(h.Log.at(-1).ExitCode, 1);
    assert.ok(h.Log.some((l: { ExitCode: number }) => l.ExitCode === 0) || h.FailingStreak > 2, JSON.stringify(h));
    assert.deepEqual(doc.Config.Healthcheck, { Test: ['CMD-SHELL', 'test -e /tmp/ok'], Interval: 1e9, Retries: 2 });
    // ps: docker's Status suffix and the health= filter
    assert.match(ok(e, ['ps', '--filter', `name=^${name}$`, '--format', '{{.Status}}']).trim(), /^Up .* \(unhealthy\)$/);
    assert.equal(ok(e, ['ps', '-q', '--no-trunc', '--filter', 'health=unhealthy', '--filter', `name=^${name}$`]).trim(), id);
    assert.equal(ok(e, ['ps', '-q', '--filter', 'health=healthy', '--filter', `name=^${name}$`]).trim(), '');
    // the events: healthy first, then unhealthy
    const evs = ok(e, [
      'events',
      '--since',
      '10m',
      '--until',
      String(Math.ceil(Date.now() / 1000) + 1),
      '--filter',
      `container=${id}`,
      '--filter',
      'event=health_status',
      '--format',
      '{{.Action}}',
    ])
      .trim()
      .split('\n');
    assert.deepEqual(evs, ['health_status: healthy', 'health_status: unhealthy'], `${e.label}: ${evs.join(' | ')}`);
  } finally {
    ok(e, ['rm', '-f', name]);
  }
}

/** docker's refusals of bad health flags: exit 125 and nothing created. */
export function healthRefusals(e: Engine): void {
  refused(e, ['run', '--rm', ...NONE, '--health-interval', '500us', e.image, 'true'], /Interval in Healthcheck cannot be less than 1ms/);
  refused(e, ['run', '--rm', ...NONE, '--health-timeout', '10us', e.image, 'true'], /Timeout in Healthcheck cannot be less than 1ms/);
  refused(e, ['run', '--rm', ...NONE, '--health-start-period', '1us', e.image, 'true'], /StartPeriod in Healthcheck cannot be less than 1ms/);
  refused(e, ['run', '--rm', ...NONE, '--health-interval', '-1s', e.image, 'true'], /--health-interval cannot be negative/);
  refused(e, ['run', '--rm', ...NONE, '--health-retries', '-1', e.image, 'true'], /--health-retries cannot be negative/);
  refused(e, ['run', '--rm', ...NONE, '--no-healthcheck', '--health-cmd', 'true', e.image, 'true'], /--no-healthcheck conflicts with --health-\* options/);
  refused(
    e,
    ['run', '--rm', ...NONE, '--health-interval', 'soon', e.image, 'true'],
    /invalid argument "soon" for "--health-interval" flag: time: invalid duration "soon"/,
  );
  // --no-healthcheck: Test NONE, no State.Health
  const id = ok(e, ['create', ...NONE, '--no-healthcheck', e.image, 'true']).trim();
  try {
    const d = inspect(e, id);
    assert.deepEqual(d.Config.Healthcheck, { Test: ['NONE'] });
    assert.equal(d.State.Health, undefined);
  } finally {
    ok(e, ['rm', id]);
  }
}

/** The memory limit as the container sees its own cgroup (v1 or v2). */
function memLimit(e: Engine, name: string): string {
  return ok(e, ['exec', name, 'sh', '-c', 'cat /sys/fs/cgroup/memory.max 2>/dev/null || cat /sys/fs/cgroup/memory/memory.limit_in_bytes']).trim();
}

const MiB = 1024 * 1024;

/** `update` in place on a running container, kept for the next start, and docker's refusals. */
export function update(e: Engine, name: string): void {
  ok(e, ['run', '-d', '--name', name, ...NONE, '-m', '64m', e.image, 'sleep', '300']);
  try {
    assert.equal(memLimit(e, name), String(64 * MiB));
    // docker's output: each container as named
    assert.equal(ok(e, ['update', '-m', '128m', '--memory-swap', '256m', '--cpus', '0.5', '--pids-limit', '50', name]), `${name}\n`);
    assert.equal(memLimit(e, name), String(128 * MiB));
    let h = inspect(e, name).HostConfig;
    assert.equal(h.Memory, 128 * MiB);
    assert.equal(h.MemorySwap, 256 * MiB);
    assert.equal(h.NanoCpus, 500_000_000);
    assert.equal(h.PidsLimit, 50);
    // docker's refusals (exit 1), nothing changed
    const bad = (args: string[], msg: RegExp) => {
      const r = e.run(['update', ...args, name]);
      assert.equal(r.code, 1, `${e.label} update ${args.join(' ')}: ${r.stdout}${r.stderr}`);
      assert.match(r.stderr, msg, `${e.label} update ${args.join(' ')}`);
    };
    bad(['-m', '1m'], /Minimum memory limit allowed is 6MB/);
    bad(['-m', '256m', '--memory-swap', '128m'], /Minimum memoryswap limit should be larger than memory limit, see usage/);
    bad(
      ['-m', '512m'],
      /Cannot update container [0-9a-f]{64}: Memory limit should be smaller than already set memoryswap limit, update the memoryswap at the same time/,
    );
    bad(['--cpu-period', '100000'], /Cannot update container [0-9a-f]{64}: Conflicting options: CPU Period cannot be updated as NanoCPUs has already been set/);
    // checked against the request only, as dockerd does: the kernel refuses swap below memory
    bad(['--memory-swap', '64m'], /Cannot update container [0-9a-f]{64}: .*invalid argument/);
    assert.equal(memLimit(e, name), String(128 * MiB));
    assert.equal(inspect(e, name).HostConfig.MemorySwap, 256 * MiB);
    // …and a reservation above the limit passes
    assert.equal(ok(e, ['update', '--memory-reservation', '200m', name]), `${name}\n`);
    assert.equal(inspect(e, name).HostConfig.MemoryReservation, 200 * MiB);
    ok(e, ['update', '--memory-reservation', '64m', name]); // dockerd would refuse the next start otherwise
    // no memory limit yet: docker wants the swap given with it
    const plain = ok(e, ['create', ...NONE, e.image, 'true']).trim();
    const r = e.run(['update', '-m', '100m', plain]);
    ok(e, ['rm', plain]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /Memory limit should be smaller than already set memoryswap limit/);
    const none = e.run(['update', name]);
    assert.equal(none.code, 1);
    assert.match(none.stderr, /you must provide one or more flags when using this command/);
    // the restart policy
    ok(e, ['update', '--restart', 'on-failure:3', name]);
    assert.deepEqual(inspect(e, name).HostConfig.RestartPolicy, { Name: 'on-failure', MaximumRetryCount: 3 });
    // a stopped container: kept for its next start
    ok(e, ['stop', '-t', '1', name]);
    ok(e, ['update', '-m', '96m', '--memory-swap', '192m', name]);
    ok(e, ['start', name]);
    assert.equal(memLimit(e, name), String(96 * MiB));
    h = inspect(e, name).HostConfig;
    assert.equal(h.Memory, 96 * MiB);
    assert.equal(h.PidsLimit, 50);
    const missing = e.run(['update', '-m', '64m', `${name}-nosuch`]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /No such container/);
  } finally {
    ok(e, ['rm', '-f', name]);
  }
}

/** `port`: docker's two forms, and its error for a port not published. */
export function port(e: Engine, name: string): void {
  ok(e, ['run', '-d', '--name', name, '-p', '127.0.0.1::80', '-p', '127.0.0.1::53/udp', '--expose', '90', e.image, 'sleep', '300']);
  try {
    const all = ok(e, ['port', name]).trim().split('\n').sort();
    assert.equal(all.length, 2, all.join('\n'));
    assert.match(all[0]!, /^53\/udp -> 127\.0\.0\.1:\d+$/);
    assert.match(all[1]!, /^80\/tcp -> 127\.0\.0\.1:\d+$/);
    const tcp = all[1]!.split(' -> ')[1]!;
    assert.equal(ok(e, ['port', name, '80']).trim(), tcp);
    assert.equal(ok(e, ['port', name, '80/tcp']).trim(), tcp);
    assert.equal(ok(e, ['port', name, '53/udp']).trim(), all[0]!.split(' -> ')[1]);
    for (const p of ['90', '81/tcp']) {
      const r = e.run(['port', name, p]);
      assert.equal(r.code, 1);
      assert.match(r.stderr, new RegExp(`No public port '${p.includes('/') ? p : `${p}/tcp`}' published for ${name}`));
    }
  } finally {
    ok(e, ['rm', '-f', name]);
  }
}

/** What `diff` reports for the changes the container makes (docker's letters and order). */
export const DIFF_SCRIPT =
  'touch /tmp/new && mkdir -p /srv/new/deep && echo hi > /srv/new/deep/f && echo x >> /etc/issue && rm /etc/issue.net && rm -r /usr/share/doc/apt && ln -s /tmp/new /root/link';
export const DIFF_EXPECTED = [
  'C /etc',
  'C /etc/issue',
  'D /etc/issue.net',
  'C /root',
  'A /root/link',
  'C /srv',
  'A /srv/new',
  'A /srv/new/deep',
  'A /srv/new/deep/f',
  'C /tmp',
  'A /tmp/new',
  'C /usr',
  'C /usr/share',
  'C /usr/share/doc',
  'D /usr/share/doc/apt',
];

/** dockerd's order is a Go map's: compared as sets (berth's own order: the embedded test). */
export function diff(e: Engine, name: string): void {
  ok(e, ['run', '--name', name, ...NONE, e.image, 'sh', '-c', DIFF_SCRIPT]);
  try {
    assert.deepEqual(ok(e, ['diff', name]).trim().split('\n').sort(), [...DIFF_EXPECTED].sort(), e.label);
    // a directory removed and made again: changed, what the image had in it deleted
    const cache = ok(e, ['run', '--rm', ...NONE, e.image, 'ls', '-A', '/var/cache'])
      .trim()
      .split('\n')
      .filter(Boolean);
    assert.ok(cache.length > 0);
    ok(e, ['run', '--name', `${name}-o`, ...NONE, e.image, 'sh', '-c', 'rm -r /var/cache /srv && mkdir /var/cache /srv && touch /srv/x']);
    const opaque = ok(e, ['diff', `${name}-o`])
      .trim()
      .split('\n')
      .sort();
    ok(e, ['rm', `${name}-o`]);
    assert.deepEqual(opaque, ['A /srv/x', 'C /srv', 'C /var', 'C /var/cache', ...cache.map((n) => `D /var/cache/${n}`)].sort(), e.label);
    const fresh = ok(e, ['create', ...NONE, e.image, 'true']).trim();
    assert.equal(ok(e, ['diff', fresh]), '');
    ok(e, ['rm', fresh]);
  } finally {
    ok(e, ['rm', '-f', name]);
  }
}

/** What every engine makes for each container (docker's init layer; the mount points of the
 *  OCI config): not the image's, so not compared across containers. */
const PER_CONTAINER = /^(\.dockerenv|etc\/(hostname|hosts|resolv\.conf|mtab)|(dev|proc|sys)\/.+)$/;

/** A tar's entries: mode, owner, size, mtime (not of directories, which the init layer's
 *  mount points touch), name and link target, from GNU tar's listing. */
export function listing(file: string): string[] {
  return execFileSync('tar', ['--numeric-owner', '--full-time', '-tvf', file], { encoding: 'utf8', maxBuffer: 64 << 20 })
    .trim()
    .split('\n')
    .map((l) => {
      const [mode, owner, size, date, time, ...rest] = l.split(/\s+/);
      const name = rest.join(' ');
      return {
        name: name.replace(/\/$/, '').split(' -> ')[0]!,
        line: mode!.startsWith('d') ? `${mode} ${owner} ${name}` : `${mode} ${owner} ${size} ${date} ${time} ${name}`,
      };
    })
    .filter((x) => !PER_CONTAINER.test(x.name))
    .map((x) => x.line)
    .sort();
}

/** `export` → `import` → `export` again gives the same tree; -o writes the file. */
export function exportRoundTrip(e: Engine, name: string): void {
  const dir = mkdtempSync(join(tmpdir(), 'berth-export-'));
  const image = `berth-test/exported-${name}:1`;
  ok(e, ['run', '--name', name, ...NONE, e.image, 'sh', '-c', DIFF_SCRIPT]);
  let second = '';
  try {
    ok(e, ['export', '-o', join(dir, 'a.tar'), name]);
    const a = listing(join(dir, 'a.tar'));
    assert.ok(
      a.some((l) => / srv\/new\/deep\/f$/.test(l)),
      "the container's own file",
    );
    assert.ok(!a.some((l) => / etc\/issue\.net$/.test(l)), 'a deleted file is not exported');
    assert.ok(
      a.some((l) => / root\/link -> \/tmp\/new$/.test(l)),
      'a symlink stays a symlink',
    );
    ok(e, ['import', join(dir, 'a.tar'), image], { timeout: 180_000 });
    second = ok(e, ['create', ...NONE, image, 'true']).trim();
    ok(e, ['export', '--output', join(dir, 'b.tar'), second]);
    const b = listing(join(dir, 'b.tar'));
    assert.deepEqual(b, a);
  } finally {
    if (second) e.run(['rm', '-f', second]);
    ok(e, ['rm', '-f', name]);
    e.run(['rmi', image]);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** docker's default event line. */
const LINE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}(Z|[+-]\d\d:\d\d) (\w+) (\S+(?: \S+)?) ([0-9a-f]{64}) \((.*)\)$/;

/** `events` with --since/--until, filters and formats, over a container's life. */
export function events(e: Engine, name: string): void {
  const since = (Date.now() / 1000 - 1).toFixed(3);
  const id = ok(e, ['create', '--name', name, ...NONE, '--label', 'k=v', e.image, 'sleep', '300']).trim();
  ok(e, ['start', name]);
  ok(e, ['stop', '-t', '1', name]);
  ok(e, ['rm', name]);
  const until = (Date.now() / 1000 + 1).toFixed(3);
  const lines = ok(e, ['events', '--since', since, '--until', until, '--filter', `container=${id}`])
    .trim()
    .split('\n');
  const actions = lines.map((l) => {
    const m = LINE.exec(l);
    assert.ok(m, `${e.label}: ${l}`);
    assert.equal(m[2], 'container');
    assert.equal(m[4], id);
    assert.match(m[5]!, new RegExp(`(^|, )image=${e.image.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}(, |$)`));
    assert.match(m[5]!, /(^|, )k=v(, |$)/);
    assert.match(m[5]!, new RegExp(`(^|, )name=${name}(, |$)`));
    return m[3];
  });
  assert.deepEqual(
    actions.filter((a) => a !== 'kill'),
    ['create', 'start', 'die', 'stop', 'destroy'],
    `${e.label}: ${actions.join(' ')}`,
  );
  assert.ok(lines.find((l) => / die /.test(l))!.includes('exitCode='));
  // filters: by event, by name and label; keys of one kind are alternatives
  assert.deepEqual(
    ok(e, [
      'events',
      '--since',
      since,
      '--until',
      until,
      '--filter',
      `container=${name}`,
      '--filter',
      'event=start',
      '--filter',
      'event=destroy',
      '--format',
      '{{.Action}}',
    ])
      .trim()
      .split('\n'),
    ['start', 'destroy'],
  );
  assert.equal(
    ok(e, ['events', '--since', since, '--until', until, '--filter', 'label=k=v', '--filter', 'event=create', '--format', '{{.Actor.Attributes.name}}']).trim(),
    name,
  );
  assert.equal(ok(e, ['events', '--since', since, '--until', until, '--filter', 'label=k=nope', '--filter', 'type=container']).trim(), '');
  // {{json .}}: docker's events.Message
  const js = ok(e, ['events', '--since', since, '--until', until, '--filter', `container=${id}`, '--filter', 'event=create', '--format', '{{json .}}']).trim();
  const m = JSON.parse(js);
  assert.deepEqual(Object.keys(m), ['status', 'id', 'from', 'Type', 'Action', 'Actor', 'scope', 'time', 'timeNano']);
  assert.equal(m.Type, 'container');
  assert.equal(m.Action, 'create');
  assert.equal(m.Actor.ID, id);
  assert.equal(m.Actor.Attributes.name, name);
  assert.equal(m.scope, 'local');
  assert.ok(m.time >= Math.floor(Number(since)));
  // --until in the past: nothing after it; a bad filter key and bad time
  assert.equal(ok(e, ['events', '--since', '1', '--until', String(Math.floor(Number(since)) - 3600), '--filter', `container=${id}`]).trim(), '');
  const badTime = e.run(['events', '--since', 'yesterday', '--until', until]);
  assert.notEqual(badTime.code, 0);
  assert.match(badTime.stderr, /failed to parse value as time or duration: "yesterday"/);
}

/** `system df`: docker's table, --format rows, -v sections. */
export function systemDf(e: Engine, name: string): void {
  const vol = `${name}-vol`;
  ok(e, ['volume', 'create', vol]);
  ok(e, ['run', '--name', name, ...NONE, '-v', `${vol}:/data`, e.image, 'sh', '-c', 'head -c 100000 /dev/zero > /data/f; head -c 5000 /dev/zero > /f']);
  try {
    const lines = ok(e, ['system', 'df']).trimEnd().split('\n');
    assert.match(lines[0]!, /^TYPE\s+TOTAL\s+ACTIVE\s+SIZE\s+RECLAIMABLE$/);
    assert.deepEqual(
      lines.slice(1).map((l) => l.split(/\s{2,}/)[0]),
      ['Images', 'Containers', 'Local Volumes', 'Build Cache'],
    );
    const rows = ok(e, ['system', 'df', '--format', '{{.Type}}|{{.TotalCount}}|{{.Active}}|{{.Size}}|{{.Reclaimable}}'])
      .trim()
      .split('\n')
      .map((l) => l.split('|'));
    const byType = Object.fromEntries(rows.map((r) => [r[0], r.slice(1)]));
    assert.ok(Number(byType.Images[0]) >= 1);
    assert.match(byType.Images[3], /^[\d.]+[kMG]?B \(\d+%\)$/);
    assert.ok(Number(byType.Containers[0]) >= 1);
    // the stopped container's 5 kB are reclaimable
    assert.match(byType.Containers[3], /^[\d.]+[kMG]?B \(\d+%\)$/);
    assert.ok(Number(byType['Local Volumes'][0]) >= 1);
    assert.deepEqual(byType['Build Cache'].slice(0, 2), ['0', '0']);
    const v = ok(e, ['system', 'df', '-v']);
    for (const h of ['Images space usage:', 'Containers space usage:', 'Local Volumes space usage:', 'Build cache usage: 0B'])
      assert.ok(v.includes(h), `${e.label}: ${h}\n${v}`);
    assert.match(v, new RegExp(`\\n${vol}\\s+1\\s+100kB\\n`));
    assert.match(v, /REPOSITORY\s+TAG\s+IMAGE ID\s+CREATED\s+SIZE\s+SHARED SIZE\s+UNIQUE SIZE\s+CONTAINERS/);
    assert.match(v, /CONTAINER ID\s+IMAGE\s+COMMAND\s+LOCAL VOLUMES\s+SIZE\s+CREATED\s+STATUS\s+NAMES/);
    const row = v.split('\n').find((l) => l.endsWith(` ${name}`));
    assert.ok(row, v);
    assert.match(row!, /\s1\s+5(\.\d+)?kB\s/);
  } finally {
    ok(e, ['rm', '-f', name]);
    ok(e, ['volume', 'rm', vol]);
  }
}
