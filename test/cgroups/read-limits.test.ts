import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { detectCgroups, readLimits } from '../../src/cgroups/index.js';
import { V2_ROOT_FILES, tempRoot, v1ContainerFiles, v2ContainerFiles, v2UnlimitedFiles, withPrefix, writeTree, writeV1Roots } from './fixtures.js';

const MiB = 1024 * 1024;

describe('cgroups: read limits back from recorded trees', () => {
  const cleanups: (() => void)[] = [];
  after(() => cleanups.forEach((c) => c()));
  const root = (tag: string) => {
    const t = tempRoot(tag);
    cleanups.push(t.remove);
    return t.dir;
  };

  it('v2 limited: memory.max, memory.swap.max (added to memory), cpu.max, cpu.weight, pids.max', () => {
    const r = root('rl-v2');
    writeTree(r, { ...V2_ROOT_FILES, ...withPrefix('berth/c1', v2ContainerFiles()) });
    const l = readLimits(detectCgroups(r), '/berth/c1');
    assert.deepEqual(l, {
      memory: 2122317824,
      swap: 1099165696,
      memorySwap: 2122317824 + 1099165696,
      cpuQuota: 150000,
      cpuPeriod: 100000,
      cpuWeight: 39,
      cpuShares: 999, // runc's linear map sends 1024 → 39; 999 is the smallest shares giving 39
      pidsMax: 100,
    });
  });

  it('v2 unlimited: "max" everywhere is null', () => {
    const r = root('rl-v2u');
    writeTree(r, { ...V2_ROOT_FILES, ...withPrefix('berth/c2', v2UnlimitedFiles()) });
    const l = readLimits(detectCgroups(r), '/berth/c2');
    assert.equal(l.memory, null);
    assert.equal(l.memorySwap, null);
    assert.equal(l.swap, null);
    assert.equal(l.cpuQuota, null);
    assert.equal(l.cpuPeriod, 100000);
    assert.equal(l.cpuWeight, 100);
    assert.equal(l.pidsMax, null);
    // With the quadratic map (newer runc) weight 100 is docker's default 1024 shares (1012 is the
    // smallest value mapping to 100).
    assert.equal(readLimits(detectCgroups(r), '/berth/c2', { weightFormula: 'quadratic' }).cpuShares, 1012);
  });

  it('v2 systemd driver path resolves to the scope', () => {
    const r = root('rl-v2s');
    writeTree(r, { ...V2_ROOT_FILES, ...withPrefix('machine.slice/berth-c3.scope', v2ContainerFiles()) });
    assert.equal(readLimits(detectCgroups(r), 'machine.slice:berth:c3').pidsMax, 100);
  });

  it('v1 limited: limit_in_bytes, memsw (swap = memsw − memory), cfs quota/period, shares, pids.max', () => {
    const r = root('rl-v1');
    writeV1Roots(r, { hybrid: true, comounted: false });
    writeTree(r, v1ContainerFiles('berth/c1'));
    assert.deepEqual(readLimits(detectCgroups(r), '/berth/c1'), {
      memory: 256 * MiB,
      memorySwap: 512 * MiB,
      swap: 256 * MiB,
      cpuQuota: 150000,
      cpuPeriod: 100000,
      cpuShares: 512,
      cpuWeight: 20,
      pidsMax: 100,
    });
  });

  it('v1 unlimited: the near-2^63 value and -1 quota are null', () => {
    const r = root('rl-v1u');
    writeV1Roots(r, { hybrid: false, comounted: true });
    writeTree(r, v1ContainerFiles('berth/c2', { limited: false, cpuDir: 'cpu,cpuacct', cpuacctDir: 'cpu,cpuacct' }));
    const l = readLimits(detectCgroups(r), '/berth/c2');
    assert.equal(l.memory, null);
    assert.equal(l.memorySwap, null);
    assert.equal(l.cpuQuota, null);
    assert.equal(l.cpuShares, 1024);
    assert.equal(l.pidsMax, null);
  });

  it('missing files (controller absent, no swap accounting): defaults, no throw', () => {
    const r = root('rl-miss');
    writeTree(r, { ...V2_ROOT_FILES, 'berth/c4/cpu.stat': 'usage_usec 1\n' });
    const l = readLimits(detectCgroups(r), { version: 2, dir: join(r, 'berth/c4') });
    assert.deepEqual(l, { memory: null, memorySwap: null, swap: null, cpuQuota: null, cpuPeriod: 100000, cpuShares: 2598, cpuWeight: 100, pidsMax: null });
  });
});
