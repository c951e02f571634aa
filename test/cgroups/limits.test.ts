import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LimitError, sharesToWeight, toOciResources, weightToShares } from '../../src/cgroups/index.js';

const MiB = 1024 * 1024;
const host = { cpus: 2, swapLimit: true };

describe('cgroups: docker options → OCI linux.resources', () => {
  it('nothing set: no resources', () => {
    assert.deepEqual(toOciResources({}, host), { resources: {}, warnings: [] });
  });

  it('--memory alone: swap defaults to twice the memory (memory+swap total)', () => {
    const { resources } = toOciResources({ memory: 256 * MiB }, host);
    assert.deepEqual(resources.memory, { limit: 256 * MiB, swap: 512 * MiB });
  });

  it('--memory with --memory-swap: passed through; -1 = unlimited swap', () => {
    assert.deepEqual(toOciResources({ memory: 256 * MiB, memorySwap: 1024 * MiB }, host).resources.memory, { limit: 256 * MiB, swap: 1024 * MiB });
    assert.deepEqual(toOciResources({ memory: 256 * MiB, memorySwap: 256 * MiB }, host).resources.memory, { limit: 256 * MiB, swap: 256 * MiB });
    assert.deepEqual(toOciResources({ memory: 256 * MiB, memorySwap: -1 }, host).resources.memory, { limit: 256 * MiB, swap: -1 });
  });

  it("docker's memory refusals, with its messages", () => {
    assert.throws(() => toOciResources({ memory: 4 * MiB }, host), new LimitError('Minimum memory limit allowed is 6MB'));
    assert.throws(() => toOciResources({ memory: 1 }, host), /^LimitError: Minimum memory limit allowed is 6MB$/);
    assert.throws(
      () => toOciResources({ memory: 16 * MiB, memorySwap: 15 * MiB }, host),
      new LimitError('Minimum memoryswap limit should be larger than memory limit, see usage'),
    );
    assert.throws(
      () => toOciResources({ memorySwap: 512 * MiB }, host),
      new LimitError('You should always set the Memory limit when using Memoryswap limit, see usage'),
    );
    // Exactly 6 MiB is allowed.
    assert.equal(toOciResources({ memory: 6 * MiB }, host).resources.memory?.limit, 6 * MiB);
  });

  it("no swap accounting: docker's warning and no swap limit", () => {
    const r = toOciResources({ memory: 256 * MiB }, { cpus: 2, swapLimit: false });
    assert.deepEqual(r.resources.memory, { limit: 256 * MiB });
    assert.deepEqual(r.warnings, ['Your kernel does not support swap limit capabilities or the cgroup is not mounted. Memory limited without swap.']);
  });

  it('--cpus: quota over a 100 ms period', () => {
    assert.deepEqual(toOciResources({ nanoCpus: 1.5e9 }, host).resources.cpu, { period: 100000, quota: 150000 });
    assert.deepEqual(toOciResources({ nanoCpus: 0.01e9 }, host).resources.cpu, { period: 100000, quota: 1000 });
    assert.deepEqual(toOciResources({ nanoCpus: 2e9 }, host).resources.cpu, { period: 100000, quota: 200000 });
    // 128 CPUs: no precision loss in nanoCpus × period.
    assert.equal(toOciResources({ nanoCpus: 127_999_999_999 }, { cpus: 128, swapLimit: true }).resources.cpu?.quota, 12_799_999);
  });

  it("--cpus beyond the host: docker's range message (also below 0.01 and negative)", () => {
    const msg = 'range of CPUs is from 0.01 to 2.00, as there are only 2 CPUs available';
    assert.throws(() => toOciResources({ nanoCpus: 2.5e9 }, host), new LimitError(msg));
    assert.throws(() => toOciResources({ nanoCpus: -1 }, host), new LimitError(msg));
    assert.throws(() => toOciResources({ nanoCpus: 0.001e9 }, host), new LimitError(msg));
    assert.throws(() => toOciResources({ nanoCpus: 9e9 }, { cpus: 8, swapLimit: true }), /from 0.01 to 8.00, as there are only 8 CPUs available/);
  });

  it("--cpu-shares: passed as shares (runc converts for v2); out of range clamped with docker's warning", () => {
    assert.deepEqual(toOciResources({ cpuShares: 512 }, host).resources.cpu, { shares: 512 });
    const lo = toOciResources({ cpuShares: -5 }, host);
    assert.deepEqual(lo.resources.cpu, { shares: 2 });
    assert.deepEqual(lo.warnings, ['Changing requested CPUShares of -5 to minimum allowed of 2']);
    const hi = toOciResources({ cpuShares: 500000 }, host);
    assert.deepEqual(hi.resources.cpu, { shares: 262144 });
    assert.match(hi.warnings[0]!, /to maximum allowed of 262144/);
    assert.deepEqual(toOciResources({ cpuShares: 0 }, host).resources, {}); // 0 = unset
  });

  it('--pids-limit: positive passes, 0 and negatives mean unlimited (-1 for runc)', () => {
    assert.deepEqual(toOciResources({ pidsLimit: 100 }, host).resources.pids, { limit: 100 });
    assert.deepEqual(toOciResources({ pidsLimit: 0 }, host).resources.pids, { limit: -1 });
    assert.deepEqual(toOciResources({ pidsLimit: -1 }, host).resources.pids, { limit: -1 });
  });

  it('all together', () => {
    const r = toOciResources({ memory: 512 * MiB, memorySwap: 1024 * MiB, nanoCpus: 0.5e9, cpuShares: 256, pidsLimit: 64 }, host);
    assert.deepEqual(r, {
      resources: { memory: { limit: 512 * MiB, swap: 1024 * MiB }, cpu: { shares: 256, period: 100000, quota: 50000 }, pids: { limit: 64 } },
      warnings: [],
    });
  });

  it('non-integers are refused', () => {
    assert.throws(() => toOciResources({ memory: 1.5 }, host), /invalid value for memory/);
    assert.throws(() => toOciResources({ nanoCpus: NaN }, host), /invalid value for cpus/);
  });
});

describe('cgroups: cpu.shares ↔ cpu.weight', () => {
  it("runc's linear map (runc ≤ 1.3.1): 2→1, 1024→39, 262144→10000", () => {
    assert.equal(sharesToWeight(2), 1);
    assert.equal(sharesToWeight(1024), 39);
    assert.equal(sharesToWeight(262144), 10000);
    assert.equal(sharesToWeight(0), 0);
  });

  it('the quadratic map (runc ≥ 1.3.2, crun ≥ 1.23): 1024→100', () => {
    assert.equal(sharesToWeight(1024, 'quadratic'), 100);
    assert.equal(sharesToWeight(2, 'quadratic'), 1);
    assert.equal(sharesToWeight(262144, 'quadratic'), 10000);
  });

  it('weight → shares is the smallest shares mapping to that weight (round trip stable)', () => {
    for (const formula of ['linear', 'quadratic'] as const) {
      for (const w of [1, 2, 39, 77, 100, 500, 9999, 10000]) {
        const s = weightToShares(w, formula);
        assert.equal(sharesToWeight(s, formula), w, `${formula} w=${w} s=${s}`);
        if (s > 2) assert.ok(sharesToWeight(s - 1, formula) < w, `${formula} w=${w} not smallest`);
      }
    }
    assert.equal(weightToShares(39), 999);
  });
});
