import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { cgroupsPathFor, containerDirs, detectCgroups, relativeCgroupPath } from '../../src/cgroups/index.js';
import { V2_ROOT_FILES, tempRoot, writeTree, writeV1Roots } from './fixtures.js';

describe('cgroups: detect', () => {
  const roots: (() => void)[] = [];
  after(() => roots.forEach((r) => r()));
  const root = (tag: string) => {
    const t = tempRoot(tag);
    roots.push(t.remove);
    return t.dir;
  };

  it('pure v2: cgroup.controllers at the root', () => {
    const r = root('v2');
    writeTree(r, V2_ROOT_FILES);
    const l = detectCgroups(r);
    assert.equal(l.version, 2);
    assert.equal(l.mode, 'v2');
    assert.deepEqual(l.controllers, ['cpuset', 'cpu', 'io', 'memory', 'hugetlb', 'pids', 'rdma', 'misc']);
    assert.deepEqual(l.v1Hierarchies, []);
  });

  it("hybrid: v1 controllers plus a cgroup2 mount at unified (this host's layout)", () => {
    const r = root('hybrid');
    writeV1Roots(r, { hybrid: true, comounted: false });
    const l = detectCgroups(r);
    assert.equal(l.version, 1);
    assert.equal(l.mode, 'hybrid');
    assert.equal(l.unified, join(r, 'unified'));
    assert.deepEqual(l.controllers, ['blkio', 'cpu', 'cpuacct', 'cpuset', 'devices', 'freezer', 'memory', 'pids']);
    assert.equal(l.v1Mounts['name=systemd'], join(r, 'systemd'));
    assert.equal(l.v1Hierarchies.length, 9);
  });

  it('v1 with co-mounted cpu,cpuacct and symlinks: each hierarchy once, controllers mapped', () => {
    const r = root('v1');
    writeV1Roots(r, { hybrid: false, comounted: true });
    const l = detectCgroups(r);
    assert.equal(l.mode, 'v1');
    assert.equal(l.unified, undefined);
    assert.ok(l.controllers.includes('cpu') && l.controllers.includes('cpuacct') && l.controllers.includes('net_prio'));
    // "cpu" and "cpuacct" are symlinks to "cpu,cpuacct": one hierarchy, not three.
    const cpuHier = l.v1Hierarchies.filter((h) => /cpu(acct)?(,cpuacct)?$/.test(h));
    assert.equal(cpuHier.length, 1, `${cpuHier}`);
    assert.equal(l.v1Mounts['cpu'], join(r, 'cpu'));
  });

  it('no cgroup tree at all: an empty v1 layout, no throw', () => {
    const l = detectCgroups('/nonexistent-berth-test-root');
    assert.equal(l.version, 1);
    assert.deepEqual(l.controllers, []);
  });

  it('the live host is detected (hybrid here)', () => {
    const l = detectCgroups();
    assert.ok(l.mode === 'hybrid' || l.mode === 'v1' || l.mode === 'v2');
  });
});

describe('cgroups: paths', () => {
  const id = 'a'.repeat(64);

  it('cgroupfs driver: /berth/<id> under every v1 hierarchy', () => {
    assert.equal(cgroupsPathFor(id), `/berth/${id}`);
    assert.equal(cgroupsPathFor(id, { parent: 'custom/' }), `/custom/${id}`);
    const l = detectCgroups('/nonexistent');
    l.v1Mounts = { memory: '/sys/fs/cgroup/memory', cpu: '/sys/fs/cgroup/cpu' };
    assert.deepEqual(containerDirs(l, cgroupsPathFor(id)), {
      version: 1,
      byController: { memory: `/sys/fs/cgroup/memory/berth/${id}`, cpu: `/sys/fs/cgroup/cpu/berth/${id}` },
    });
  });

  it('v2: one directory', () => {
    const l = { version: 2 as const, mode: 'v2' as const, root: '/sys/fs/cgroup', controllers: [], v1Mounts: {}, v1Hierarchies: [] };
    assert.deepEqual(containerDirs(l, `/berth/${id}`), { version: 2, dir: `/sys/fs/cgroup/berth/${id}` });
  });

  it('systemd driver: slice:prefix:name → nested slices and a scope', () => {
    assert.equal(cgroupsPathFor(id, { driver: 'systemd' }), `machine.slice:berth:${id}`);
    assert.equal(relativeCgroupPath(`machine.slice:berth:${id}`), `/machine.slice/berth-${id}.scope`);
    assert.equal(relativeCgroupPath(`user-1000.slice:berth:x`), `/user.slice/user-1000.slice/berth-x.scope`);
    assert.throws(() => cgroupsPathFor(id, { driver: 'systemd', parent: '/berth' }), /must be a slice/);
  });

  it('refuses ids that would escape the parent', () => {
    assert.throws(() => cgroupsPathFor('../x'), /invalid container id/);
    assert.throws(() => cgroupsPathFor(''), /invalid container id/);
  });
});
