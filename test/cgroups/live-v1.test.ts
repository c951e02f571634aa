/**
 * cgroup v1 on this host, for real: a cgroup made the way runc makes one (a directory in every
 * hierarchy under a unique parent), a busy-looping child moved into it, the sampler watching.
 * Everything is removed in `after`, also when a test fails: the child is killed by its PID and
 * the cgroups rmdir'd.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { waitFor } from '../helpers/wait.js';
import {
  CgroupSampler,
  cgroupHasProcesses,
  containerDirs,
  detectCgroups,
  ensureParent,
  listChildCgroups,
  readLimits,
  removeContainerCgroup,
} from '../../src/cgroups/index.js';

const layout = detectCgroups();
const usable = layout.version === 1 && process.getuid?.() === 0 && !!layout.v1Mounts['cpuacct'] && !!layout.v1Mounts['memory'];
const MiB = 1024 * 1024;

describe('cgroups: live v1', { skip: usable ? false : 'needs root on a cgroup v1/hybrid host' }, () => {
  const parent = `/berth-test-${process.pid}`;
  const path = `${parent}/x`;
  const children: ChildProcess[] = [];
  const gone: string[] = [];
  let sampler: CgroupSampler | undefined;

  /** The spawned pid must be the process that gets moved: no shell that forks the real work
   *  before the move (that child would stay outside the cgroup and outlive the kill). */
  function spawnChild(argv: string[]): ChildProcess {
    const c = spawn(argv[0]!, argv.slice(1), { stdio: ['pipe', 'ignore', 'ignore'] });
    children.push(c);
    return c;
  }

  async function killChild(c: ChildProcess): Promise<void> {
    if (c.exitCode !== null || c.signalCode !== null) return;
    const exited = once(c, 'exit');
    if (c.pid) process.kill(c.pid, 'SIGKILL');
    await exited;
  }

  /** Moves `pid` into the cgroup in every hierarchy, as runc does for a container's init. */
  function join_(pid: number, cgroupsPath: string, only?: string[]): void {
    const dirs = containerDirs(layout, cgroupsPath);
    assert.equal(dirs.version, 1);
    const targets = only ? only.map((c) => dirs.byController[c]!) : [...new Set(Object.values(dirs.byController))];
    for (const d of targets) writeFileSync(join(d, 'cgroup.procs'), String(pid));
  }

  before(() => {
    ensureParent(layout, parent);
    ensureParent(layout, path); // stands in for runc: x in every hierarchy, cpuset filled in
  });

  after(async () => {
    sampler?.close();
    for (const c of children) await killChild(c);
    const report = removeContainerCgroup(layout, parent);
    if (report.busy.length) console.error('cgroups left busy:', report.busy);
  });

  it('ensureParent made the parent usable in every hierarchy (cpuset cpus/mems copied down)', () => {
    for (const h of layout.v1Hierarchies) assert.ok(existsSync(join(h, path)), join(h, path));
    const cpuset = layout.v1Mounts['cpuset'];
    if (cpuset) assert.notEqual(readFileSync(join(cpuset, path, 'cpuset.cpus'), 'utf8').trim(), '');
    assert.deepEqual(listChildCgroups(layout, parent), ['x']);
  });

  it('the sampler sees a busy child: CPU % near one core, memory, one pid', async (t) => {
    // Waits on stdin until it is in the cgroup (so its helpers start inside it, and v1 does not
    // move earlier charges along), then allocates ~4 MB in a shell variable and spins in the
    // shell itself: when the shell is killed nothing is left.
    const child = spawnChild(['sh', '-c', `read go; x=$(dd if=/dev/zero bs=1048576 count=4 2>/dev/null | tr '\\0' a); while :; do :; done`]);
    await once(child, 'spawn');
    join_(child.pid!, path);
    child.stdin!.write('go\n');
    await sleep(100);
    assert.ok(cgroupHasProcesses(join(layout.v1Mounts['memory']!, path)));
    sampler = new CgroupSampler({ layout, onGone: (id) => gone.push(id) });
    assert.equal(sampler.track('x', 'busy', path, child.pid), true);
    const first = sampler.sample();
    const t0 = performance.now();
    assert.equal(first.length, 1);
    assert.equal(first[0]!.cpuPercent, null);
    await sleep(600);
    const s = sampler.sample()[0]!;
    // The same CPU time over wall-clock time: docker's figure should agree with it (it divides
    // by host CPU time instead, which is onlineCpus × wall minus steal).
    const wallPercent = ((s.cpuNs - first[0]!.cpuNs) / ((performance.now() - t0) * 1e6)) * 100;
    t.diagnostic(
      `busy child: cpu ${s.cpuPercent?.toFixed(1)} % (wall-clock ${wallPercent.toFixed(1)} %), mem ${s.memUsage} B, pids ${s.pids}, net rx ${s.netRx}`,
    );
    assert.ok(s.cpuNs > first[0]!.cpuNs, 'cpuacct.usage rises');
    // One shell in a tight loop is one core: ≈100 % on docker's scale, less when the host is
    // busy; never ≈50 % of an idle 2-CPU host (that would be a per-host scale).
    assert.ok(s.cpuPercent! > 20 && s.cpuPercent! < 115, `cpuPercent ${s.cpuPercent}`);
    assert.ok(s.cpuPercent! > wallPercent * 0.65 && s.cpuPercent! < wallPercent * 1.5, `cpuPercent ${s.cpuPercent} vs wall ${wallPercent}`);
    assert.ok(s.memUsage > 1024 * 1024, `memUsage ${s.memUsage}`); // the 4 MB variable, at least
    assert.equal(s.pids, 1);
    assert.equal(
      s.onlineCpus,
      readFileSync('/proc/stat', 'utf8')
        .split('\n')
        .filter((l) => /^cpu\d/.test(l)).length,
    );
    assert.ok(s.netRx >= 0 && s.netTx >= 0);
  });

  it('limits written to the files read back; the sampler reports the memory limit', () => {
    const dirs = containerDirs(layout, path);
    assert.equal(dirs.version, 1);
    const d = dirs.byController;
    writeFileSync(join(d['memory']!, 'memory.limit_in_bytes'), String(64 * MiB));
    const hasMemsw = existsSync(join(d['memory']!, 'memory.memsw.limit_in_bytes'));
    if (hasMemsw) writeFileSync(join(d['memory']!, 'memory.memsw.limit_in_bytes'), String(128 * MiB));
    writeFileSync(join(d['cpu']!, 'cpu.cfs_quota_us'), '25000');
    writeFileSync(join(d['cpu']!, 'cpu.shares'), '512');
    if (d['pids']) writeFileSync(join(d['pids'], 'pids.max'), '50');
    const l = readLimits(layout, path);
    assert.equal(l.memory, 64 * MiB);
    if (hasMemsw) {
      assert.equal(l.memorySwap, 128 * MiB);
      assert.equal(l.swap, 64 * MiB);
    }
    assert.equal(l.cpuQuota, 25000);
    assert.equal(l.cpuPeriod, 100000);
    assert.equal(l.cpuShares, 512);
    if (d['pids']) assert.equal(l.pidsMax, 50);
    const s = sampler!.sample()[0]!;
    assert.equal(s.memLimit, 64 * MiB);
  });

  it('a 25 % CFS quota shows as ≈25 % (100 % = one core)', async (t) => {
    const before = sampler!.sample()[0]!;
    const t0 = performance.now();
    await sleep(800);
    const s = sampler!.sample()[0]!;
    const wallPercent = ((s.cpuNs - before.cpuNs) / ((performance.now() - t0) * 1e6)) * 100;
    t.diagnostic(`quota 25000/100000: cpu ${s.cpuPercent?.toFixed(1)} % (wall-clock ${wallPercent.toFixed(1)} %)`);
    assert.ok(wallPercent < 35, `the kernel enforces the quota (±1 period per window): ${wallPercent}`);
    // Loose above: under steal time docker's denominator shrinks and the figure grows.
    assert.ok(s.cpuPercent! > 10 && s.cpuPercent! < 50, `cpuPercent ${s.cpuPercent}`);
  });

  it('a busy cgroup is reported busy, not emptied', async () => {
    const c = spawnChild(['sleep', '60']);
    await once(c, 'spawn');
    ensureParent(layout, `${parent}/y`);
    join_(c.pid!, `${parent}/y`, ['memory']);
    const r = removeContainerCgroup(layout, `${parent}/y`);
    assert.deepEqual(r.busy, [join(layout.v1Mounts['memory']!, parent, 'y')]);
    assert.ok(r.removed.length >= 1);
    await killChild(c);
    // the kernel drops the exited task from the cgroup asynchronously
    await waitFor('the killed task to leave the cgroup', () => !cgroupHasProcesses(join(layout.v1Mounts['memory']!, parent, 'y')));
    const r2 = removeContainerCgroup(layout, `${parent}/y`);
    assert.deepEqual(r2.busy, []);
    assert.deepEqual(r2.removed, [join(layout.v1Mounts['memory']!, parent, 'y')]);
  });

  it('the cgroup removed under an open sampler: dropped (ENODEV), not thrown', async () => {
    for (const c of children) await killChild(c);
    await waitFor('the killed tasks to leave the cgroup', () => layout.v1Hierarchies.every((h) => !cgroupHasProcesses(join(h, path))));
    const r = removeContainerCgroup(layout, path);
    assert.deepEqual(r.busy, []);
    assert.equal(r.removed.length, layout.v1Hierarchies.length);
    assert.deepEqual(sampler!.sample(), []);
    assert.deepEqual(gone, ['x']);
    assert.deepEqual(sampler!.ids(), []);
    assert.deepEqual(listChildCgroups(layout, parent), []);
    // Removing again is fine (crash recovery may run twice).
    assert.deepEqual(removeContainerCgroup(layout, path), { removed: [], busy: [] });
  });
});
