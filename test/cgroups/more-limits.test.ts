/**
 * What the host's cgroups offer for the run options beyond the basics (cpuset, CFS, memory
 * reservation, OOM killer, blkio weight, kernel memory), read from recorded v1 and v2 trees:
 * cgroup v2 cannot be lived here (hybrid hosts), so its answers are checked on files.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { detectCgroups } from '../../src/cgroups/detect.js';
import { addMoreResources, moreLimitHostFor } from '../../src/cgroups/more-limits.js';
import { tempRoot, writeTree, V2_ROOT_FILES } from './fixtures.js';

const v2 = tempRoot('more-v2');
const v1 = tempRoot('more-v1');
after(() => {
  v2.remove();
  v1.remove();
});

test("cgroup v2: cpuset from the root's effective sets, no OOM-killer switch (docker's warning), io weight", () => {
  writeTree(v2.dir, { ...V2_ROOT_FILES, 'cpuset.cpus.effective': '0-11\n', 'cpuset.mems.effective': '0\n' });
  const host = moreLimitHostFor(detectCgroups(v2.dir));
  assert.deepEqual(host, {
    cpus: '0-11',
    mems: '0',
    cpuset: true,
    cfs: true,
    memoryReservation: true,
    oomKillDisable: false,
    blkioWeight: true,
    kernelMemory: false,
  });
  const r = addMoreResources({ cpusetCpus: '3-5', oomKillDisable: true, memory: 64 << 20, blkioWeight: 500, kernelMemory: 8 << 20 }, host, {});
  assert.deepEqual(r.resources, { cpu: { cpus: '3-5' }, blockIO: { weight: 500 } });
  assert.deepEqual(r.warnings, [
    'Specifying a kernel memory limit is deprecated and will be removed in a future release.',
    'Your kernel does not support kernel memory limit capabilities or the cgroup is not mounted. Limitation discarded.',
    'Your kernel does not support OomKillDisable. OomKillDisable discarded.',
  ]);
});

test('cgroup v1 as this hybrid host has it: no blkio.weight at the root (BFQ kernels), the rest there', () => {
  writeTree(v1.dir, {
    'cpuset/cgroup.procs': '',
    'cpuset/cpuset.cpus': '0-1\n',
    'cpuset/cpuset.mems': '0\n',
    'cpu,cpuacct/cgroup.procs': '',
    'cpu,cpuacct/cpu.cfs_quota_us': '-1\n',
    'memory/cgroup.procs': '',
    'memory/memory.soft_limit_in_bytes': '0\n',
    'memory/memory.oom_control': 'oom_kill_disable 0\n',
    'memory/memory.kmem.limit_in_bytes': '0\n',
    'blkio/cgroup.procs': '',
    'blkio/blkio.throttle.io_serviced': '',
    'unified/cgroup.controllers': '',
  });
  const host = moreLimitHostFor(detectCgroups(v1.dir));
  assert.deepEqual(host, {
    cpus: '0-1',
    mems: '0',
    cpuset: true,
    cfs: true,
    memoryReservation: true,
    oomKillDisable: true,
    blkioWeight: false,
    kernelMemory: true,
  });
});
