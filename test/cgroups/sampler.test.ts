/**
 * The sampler against recorded v2 and v1 trees: docker's CPU % from a real `docker stats`
 * sample pair, memory minus inactive file, limits, I/O, net, and a cgroup that disappears.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CgroupSampler, detectCgroups } from '../../src/cgroups/index.js';
import { isGone } from '../../src/cgroups/pread-file.js';
import { blkioBytes, ioStatBytes, keyedUint, flatKey, netDevBytes, procStat } from '../../src/cgroups/parse.js';
import {
  V2_MEMORY_STAT,
  V2_ROOT_FILES,
  netDevText,
  procStatText,
  tempRoot,
  v1ContainerFiles,
  v1MemoryStat,
  v2ContainerFiles,
  v2CpuStat,
  v2UnlimitedFiles,
  withPrefix,
  writeTree,
  writeV1Roots,
} from './fixtures.js';

const HOST_MEM = 16 * 1024 ** 3;

describe('cgroups: parsers', () => {
  it('flat keys match whole keys only (inactive_file is not total_inactive_file)', () => {
    const b = Buffer.from(v1MemoryStat(22347776));
    assert.equal(keyedUint(b, flatKey('total_inactive_file')), 22347776);
    assert.equal(keyedUint(b, flatKey('inactive_file')), 155648);
    assert.equal(keyedUint(b, flatKey('cache')), 10227712); // first line
    assert.equal(keyedUint(b, flatKey('nope')), undefined);
    assert.equal(keyedUint(Buffer.from(V2_MEMORY_STAT), flatKey('inactive_file')), 115740672);
  });

  it('only the bytes read count: stale bytes past the view are ignored', () => {
    const buf = Buffer.alloc(256);
    buf.write('anon 5\ninactive_file 99\n');
    buf.write('anon 7\n');
    assert.equal(keyedUint(buf.subarray(0, 7), flatKey('inactive_file')), undefined);
  });

  it('io.stat and blkio sum over devices', () => {
    assert.deepEqual(ioStatBytes(Buffer.from(v2ContainerFiles()['io.stat']!)), { read: 2109440 + 4096, write: 1081344 });
    assert.deepEqual(ioStatBytes(Buffer.from('')), { read: 0, write: 0 });
    const v1 = v1ContainerFiles('x')['blkio/x/blkio.throttle.io_service_bytes_recursive']!;
    assert.deepEqual(blkioBytes(Buffer.from(v1)), { read: 1187840 + 4096, write: 45056 + 8192 });
  });

  it('/proc/stat: first seven fields (steal excluded) and the cpuN lines', () => {
    assert.deepEqual(procStat(Buffer.from(procStatText(10789483, 12))), { ticks: 10789483, onlineCpus: 12 });
    assert.deepEqual(procStat(Buffer.from(procStatText(5000000, 1))), { ticks: 5000000, onlineCpus: 1 });
  });

  it('net/dev: all interfaces but lo', () => {
    const t = netDevText([
      ['lo', 3193, 3193],
      ['eth0', 193167867, 323310],
      ['eth1', 1000, 2000],
    ]);
    assert.deepEqual(netDevBytes(Buffer.from(t)), { rx: 193168867, tx: 325310 });
  });

  it('ENOENT, ENODEV and ESRCH mean gone; other errors do not', () => {
    const e = (code: string) => Object.assign(new Error(code), { code });
    assert.ok(isGone(e('ENOENT')) && isGone(e('ENODEV')) && isGone(e('ESRCH')));
    assert.ok(!isGone(e('EACCES')) && !isGone(new Error('x')) && !isGone(null));
  });
});

describe('cgroups: sampler on a recorded v2 tree', () => {
  const t = tempRoot('smp-v2');
  after(() => t.remove());
  const cg = join(t.dir, 'cgroup');
  const proc = join(t.dir, 'proc');
  writeTree(cg, { ...V2_ROOT_FILES, ...withPrefix('berth/c1', v2ContainerFiles()), ...withPrefix('berth/c2', v2UnlimitedFiles()) });
  writeTree(proc, {
    stat: procStatText(10789483, 12),
    '4242/net/dev': netDevText([
      ['lo', 500, 500],
      ['eth0', 5432, 1234],
    ]),
  });
  const gone: string[] = [];
  let clock = 1000;
  const sampler = new CgroupSampler({ root: cg, procRoot: proc, hostMemTotal: HOST_MEM, now: () => clock, onGone: (id) => gone.push(id) });
  after(() => sampler.close());

  it('tracks by cgroupsPath; a missing cgroup is refused with false', () => {
    assert.equal(sampler.layout.version, 2);
    assert.equal(sampler.track('c1', 'web', '/berth/c1', 4242), true);
    assert.equal(sampler.track('c2', 'db', '/berth/c2'), true);
    assert.equal(sampler.track('c3', 'none', '/berth/c3'), false);
    assert.deepEqual(sampler.ids(), ['c1', 'c2']);
  });

  it('first reading: figures filled, cpuPercent null', () => {
    const [a, b] = sampler.sample();
    assert.ok(a && b);
    assert.deepEqual(a, {
      id: 'c1',
      name: 'web',
      cpuNs: 61876816000,
      systemNs: 107894830000000,
      onlineCpus: 12,
      memUsage: 1563537408 - 115740672, // memory.current − inactive_file
      memLimit: 2122317824,
      netRx: 5432,
      netTx: 1234,
      blockRead: 2109440 + 4096,
      blockWrite: 1081344,
      pids: 44,
      at: 1000,
      cpuPercent: null,
      memPercent: ((1563537408 - 115740672) / 2122317824) * 100,
    });
    // Unlimited: the host's memory is the limit, as docker shows it; no pid → no net.
    assert.equal(b.memLimit, HOST_MEM);
    assert.equal(b.netRx, 0);
    assert.equal(b.cpuPercent, null);
  });

  it("second reading: docker's CPU % (Δcontainer / Δsystem × CPUs × 100) from a real sample pair", () => {
    writeFileSync(join(cg, 'berth/c1/cpu.stat'), v2CpuStat(63085778));
    writeFileSync(join(proc, 'stat'), procStatText(10790651, 12));
    clock = 2000;
    const [a, b] = sampler.sample();
    const expected = ((63085778000 - 61876816000) / (107906510000000 - 107894830000000)) * 12 * 100;
    assert.ok(Math.abs(a!.cpuPercent! - expected) < 1e-9, `${a!.cpuPercent} vs ${expected}`);
    assert.ok(Math.abs(expected - 124.2091) < 1e-3); // what docker showed for this pair
    assert.equal(a!.at, 2000);
    assert.equal(b!.cpuPercent, 0); // no CPU used: 0, not null
  });

  it('re-tracking the same cgroup and pid keeps the previous reading; a new pid starts over', () => {
    assert.equal(sampler.track('c1', 'web-renamed', '/berth/c1', 4242), true);
    const a = sampler.sample(['c1'])[0]!;
    assert.equal(a.name, 'web-renamed');
    assert.equal(a.cpuPercent, 0); // same counters as the last pass, but not a first reading
    writeTree(proc, { '4343/net/dev': netDevText([['eth0', 1, 2]]) });
    assert.equal(sampler.track('c1', 'web', '/berth/c1', 4343), true);
    const b = sampler.sample(['c1'])[0]!;
    assert.equal(b.cpuPercent, null);
    assert.equal(b.netRx, 1);
  });

  it('sample(ids) reads only those; unknown ids are ignored', () => {
    const r = sampler.sample(['c2', 'nope']);
    assert.deepEqual(
      r.map((s) => s.id),
      ['c2'],
    );
  });

  it('a limit changed at runtime is seen on the next pass (files are re-read, not cached)', () => {
    writeFileSync(join(cg, 'berth/c1/memory.max'), 'max\n');
    writeFileSync(join(cg, 'berth/c1/memory.current'), '9\n');
    const a = sampler.sample(['c1'])[0]!;
    assert.equal(a.memLimit, HOST_MEM);
    assert.equal(a.memUsage, 9); // inactive_file larger than usage: usage shown as is (docker)
  });

  it('a cgroup removed before tracking is refused; untrack closes', () => {
    rmSync(join(cg, 'berth/c2'), { recursive: true });
    sampler.untrack('c2');
    assert.equal(sampler.track('c2', 'db', '/berth/c2'), false);
    assert.deepEqual(sampler.ids(), ['c1']);
    assert.deepEqual(gone, []);
  });

  it('close() is final', () => {
    const s = new CgroupSampler({ root: cg, procRoot: proc });
    s.close();
    assert.throws(() => s.sample(), /closed/);
  });
});

describe('cgroups: sampler on a recorded v1 tree', () => {
  const t = tempRoot('smp-v1');
  after(() => t.remove());
  const cg = join(t.dir, 'cgroup');
  const proc = join(t.dir, 'proc');
  writeV1Roots(cg, { hybrid: true, comounted: false });
  writeTree(cg, { ...v1ContainerFiles('berth/c1', { cpuNs: 5_000_000_000 }), ...v1ContainerFiles('berth/c2', { limited: false }) });
  writeTree(proc, { stat: procStatText(1_000_000, 2) });
  const sampler = new CgroupSampler({ root: cg, procRoot: proc, hostMemTotal: HOST_MEM });
  after(() => sampler.close());

  it('reads cpuacct.usage, usage − total_inactive_file, limit, pids, throttle blkio', () => {
    assert.equal(sampler.layout.mode, 'hybrid');
    assert.ok(sampler.track('c1', 'one', '/berth/c1'));
    assert.ok(sampler.track('c2', 'two', '/berth/c2'));
    const [a, b] = sampler.sample();
    assert.equal(a!.cpuNs, 5_000_000_000);
    assert.equal(a!.systemNs, 1_000_000 * 1e7);
    assert.equal(a!.onlineCpus, 2);
    assert.equal(a!.memUsage, 58834944 - 22347776);
    assert.equal(a!.memLimit, 256 * 1024 * 1024);
    assert.equal(a!.pids, 7);
    assert.equal(a!.blockRead, 1187840 + 4096); // the _recursive file, not the flat one
    assert.equal(a!.blockWrite, 45056 + 8192);
    assert.equal(b!.memLimit, HOST_MEM); // 9223372036854771712 = unlimited
  });

  it('one full core on a 2-CPU host is 100 %', () => {
    // Host: 2 CPUs × 1 s = 200 ticks; container: 1 s of CPU.
    writeFileSync(join(cg, 'cpuacct/berth/c1/cpuacct.usage'), `${5_000_000_000 + 1e9}\n`);
    writeFileSync(join(proc, 'stat'), procStatText(1_000_200, 2));
    const [a] = sampler.sample(['c1']);
    assert.ok(Math.abs(a!.cpuPercent! - 100) < 1e-9, String(a!.cpuPercent));
  });

  it('without the memory controller files, still samples CPU', () => {
    writeTree(cg, { 'cpuacct/berth/c9/cpuacct.usage': '77\n' });
    assert.ok(sampler.track('c9', 'nine', '/berth/c9'));
    const s = sampler.sample(['c9'])[0]!;
    assert.equal(s.cpuNs, 77);
    assert.equal(s.memUsage, 0);
    assert.equal(s.memLimit, HOST_MEM);
  });

  it('detects the same layout when given explicit directories', () => {
    const dirs = { version: 1 as const, byController: { cpuacct: join(cg, 'cpuacct/berth/c1'), memory: join(cg, 'memory/berth/c1') } };
    assert.ok(sampler.track('x', 'x', dirs));
    assert.equal(sampler.sample(['x'])[0]!.pids, 0);
    sampler.untrack('x');
    assert.equal(detectCgroups(cg).version, 1);
  });
});
