/**
 * The pure parts behind healthchecks, update, port, events and system df: docker's state
 * machine for probe results, its duration and event line formats, the df arithmetic, the
 * update merge rules, the health flags' checks.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { goDuration } from '../../src/engine/containers/health-probe.js';
import { nextState } from '../../src/engine/containers/health-scheduler.js';
import { checkHealth, mergeHealth, probeArgv } from '../../src/engine/containers/health.js';
import { mergeLimits, patchResources } from '../../src/engine/containers/update.js';
import type { Container } from '../../src/engine/containers/records.js';
import { eventLine, toMessage } from '../../src/cli/events.js';
import { portLines } from '../../src/cli/container-port.js';
import { dfRows, dfSize } from '../../src/cli/system-df.js';
import { healthConfig } from '../../src/cli/flags/create-flags.js';
import type { DockerDiskUsage } from '../../src/engine/api.js';

const entry = (code: number) => ({ Start: 's', End: 'e', ExitCode: code, Output: '' });

test("probe results: docker's handleProbeResult", () => {
  let s = { Status: 'starting' as const, FailingStreak: 0, Log: [] };
  // inside the start period a failure does not count while starting
  let n = nextState(s, entry(1), true, 2);
  assert.equal(n.Status, 'starting');
  assert.equal(n.FailingStreak, 0);
  n = nextState(n, entry(1), false, 2);
  assert.deepEqual([n.Status, n.FailingStreak], ['starting', 1]);
  n = nextState(n, entry(1), false, 2);
  assert.deepEqual([n.Status, n.FailingStreak], ['unhealthy', 2]);
  n = nextState(n, entry(0), false, 2);
  assert.deepEqual([n.Status, n.FailingStreak], ['healthy', 0]);
  // once healthy, the start period no longer shields failures
  n = nextState(n, entry(1), true, 1);
  assert.equal(n.Status, 'unhealthy');
  // the last 5 results
  for (let i = 0; i < 9; i++) n = nextState(n, entry(i), false, 3);
  assert.deepEqual(
    n.Log.map((l) => l.ExitCode),
    [4, 5, 6, 7, 8],
  );
  void s;
});

test('Go durations as docker prints them in "Health check exceeded timeout (…)"', () => {
  assert.equal(goDuration(30_000), '30s');
  assert.equal(goDuration(1500), '1.5s');
  assert.equal(goDuration(500), '500ms');
  assert.equal(goDuration(90_000), '1m30s');
  assert.equal(goDuration(3_600_000), '1h0m0s');
});

test("health flags: docker's parse and checks; the image's HEALTHCHECK merged under them", () => {
  assert.deepEqual(healthConfig({ healthCmd: 'curl -f x', healthInterval: '1s', healthRetries: '2' }), {
    test: ['CMD-SHELL', 'curl -f x'],
    interval: 1e9,
    timeout: 0,
    startPeriod: 0,
    retries: 2,
  });
  assert.deepEqual(healthConfig({ healthcheck: false }), { test: ['NONE'] });
  assert.equal(healthConfig({}), undefined);
  assert.throws(() => healthConfig({ healthcheck: false, healthRetries: '1' }), /--no-healthcheck conflicts with --health-\* options/);
  assert.throws(() => healthConfig({ healthTimeout: '-2s' }), /--health-timeout cannot be negative/);
  assert.throws(() => healthConfig({ healthStartPeriod: 'x' }), /invalid argument "x" for "--health-start-period" flag: time: invalid duration "x"/);
  const image = { Test: ['CMD', 'true'], Interval: 5e9, Retries: 7 };
  assert.deepEqual(mergeHealth({ interval: 1e9 }, image), { test: ['CMD', 'true'], interval: 1e9, timeout: undefined, startPeriod: undefined, retries: 7 });
  assert.deepEqual(mergeHealth(undefined, image), { test: ['CMD', 'true'], interval: 5e9, retries: 7 });
  assert.throws(() => checkHealth({ interval: 999_999 }), /Interval in Healthcheck cannot be less than 1ms/);
  assert.doesNotThrow(() => checkHealth({ interval: 1e6 }));
  assert.deepEqual(probeArgv({ test: ['CMD-SHELL', 'exit 1'] }), ['/bin/sh', '-c', 'exit 1']);
  assert.deepEqual(probeArgv({ test: ['CMD', 'true', 'x'] }), ['true', 'x']);
  assert.equal(probeArgv({ test: ['NONE'] }), undefined);
});

const ctr = (limits: Partial<Container['spec']['limits']>, resources: Record<string, unknown> = {}) =>
  ({
    id: 'a'.repeat(64),
    spec: { limits: { memory: 0, memorySwap: 0, nanoCpus: 0, cpuShares: 0, pidsLimit: 0, ...limits }, resources },
  }) as unknown as Container;

test("update merges as dockerd's UpdateContainer, with its refusals", () => {
  const c = ctr({ memory: 64 << 20 });
  // create's implicit swap is 2 × memory
  assert.equal(mergeLimits(c, { memory: 100 << 20 }).memorySwap, 128 << 20);
  assert.throws(() => mergeLimits(c, { memory: 200 << 20 }), /Cannot update container a{64}: Memory limit should be smaller than already set memoryswap limit/);
  assert.equal(mergeLimits(c, { memory: 200 << 20, memorySwap: 400 << 20 }).memory, 200 << 20);
  assert.throws(() => mergeLimits(ctr({}), { memory: 100 << 20 }), /Memory limit should be smaller/);
  assert.throws(() => mergeLimits(ctr({ nanoCpus: 5e8 }), { cpuQuota: 20000 }), /CPU Quota cannot be updated as NanoCPUs has already been set/);
  assert.equal(mergeLimits(c, { pidsLimit: -1 }).pidsLimit, -1);
  const r = patchResources({ memory: { limit: 1, swap: 2 }, devices: [{ allow: false }] }, { memory: 10, nanoCpus: 5e8, pidsLimit: 0, blkioWeight: 300 });
  assert.deepEqual(r, {
    memory: { limit: 10, swap: 2 },
    devices: [{ allow: false }],
    cpu: { period: 100000, quota: 50000 },
    pids: { limit: -1 },
    blockIO: { weight: 300 },
  });
});

test("port: docker's two forms and its errors", () => {
  const ports = { '80/tcp': [{ HostIp: '0.0.0.0', HostPort: '8080' }], '9/udp': [{ HostIp: '127.0.0.1', HostPort: '9' }], '443/tcp': null };
  assert.deepEqual(portLines(ports, 'web'), ['9/udp -> 127.0.0.1:9', '80/tcp -> 0.0.0.0:8080']);
  assert.deepEqual(portLines(ports, 'web', '80'), ['0.0.0.0:8080']);
  assert.throws(() => portLines(ports, 'web', '443'), /: No public port '443\/tcp' published for web$/);
  assert.throws(() => portLines(ports, 'web', 'x'), /strconv.ParseUint: parsing "x": invalid syntax/);
});

test("events: docker's line (attributes sorted) and events.Message", () => {
  const e = {
    type: 'container' as const,
    action: 'die',
    id: 'c'.repeat(64),
    attributes: { name: 'web', image: 'busybox', exitCode: '0' },
    time: Date.UTC(2026, 0, 2, 3, 4, 5, 678),
  };
  const line = eventLine(e);
  assert.match(
    line,
    new RegExp(`^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:05\\.678000000(Z|[+-]\\d\\d:\\d\\d) container die c{64} \\(exitCode=0, image=busybox, name=web\\)$`),
  );
  assert.deepEqual(toMessage(e), {
    status: 'die',
    id: e.id,
    from: 'busybox',
    Type: 'container',
    Action: 'die',
    Actor: { ID: e.id, Attributes: e.attributes },
    scope: 'local',
    time: Math.floor(e.time / 1000),
    timeNano: e.time * 1e6,
  });
  assert.equal('status' in toMessage({ ...e, type: 'network' }), false);
});

test("system df: docker's sums and RECLAIMABLE percentages", () => {
  assert.equal(dfSize(0), '0B');
  assert.equal(dfSize(1_234_567), '1.235MB');
  assert.equal(dfSize(100_000), '100kB');
  const d: DockerDiskUsage = {
    LayersSize: 1000,
    Images: [
      { Id: 'a', ParentId: '', RepoTags: [], RepoDigests: [], Created: 0, Size: 600, SharedSize: 200, VirtualSize: 600, Labels: {}, Containers: 1 },
      { Id: 'b', ParentId: '', RepoTags: [], RepoDigests: [], Created: 0, Size: 600, SharedSize: 200, VirtualSize: 600, Labels: {}, Containers: 0 },
    ],
    Containers: [
      {
        Id: 'x',
        Names: ['/x'],
        Image: 'a',
        ImageID: 'a',
        Command: '',
        Created: 0,
        State: 'running',
        Status: '',
        SizeRw: 30,
        SizeRootFs: 0,
        Labels: {},
        Mounts: [],
      },
      {
        Id: 'y',
        Names: ['/y'],
        Image: 'a',
        ImageID: 'a',
        Command: '',
        Created: 0,
        State: 'exited',
        Status: '',
        SizeRw: 10,
        SizeRootFs: 0,
        Labels: {},
        Mounts: [],
      },
    ],
    Volumes: [
      { Name: 'v', Driver: 'local', Mountpoint: '', CreatedAt: '', Labels: {}, Scope: 'local', Options: {}, UsageData: { Size: 50, RefCount: 0 } },
      { Name: 'w', Driver: 'local', Mountpoint: '', CreatedAt: '', Labels: {}, Scope: 'local', Options: {}, UsageData: { Size: 150, RefCount: 2 } },
    ],
    BuildCache: [],
  };
  assert.deepEqual(dfRows(d), [
    { type: 'Images', total: 2, active: 1, size: '1kB', reclaimable: '600B (60%)' },
    { type: 'Containers', total: 2, active: 1, size: '40B', reclaimable: '10B (25%)' },
    { type: 'Local Volumes', total: 2, active: 1, size: '200B', reclaimable: '50B (25%)' },
    { type: 'Build Cache', total: 0, active: 0, size: '0B', reclaimable: '0B' },
  ]);
});
