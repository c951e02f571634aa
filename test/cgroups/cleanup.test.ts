import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { detectCgroups, listChildCgroups, removeContainerCgroup } from '../../src/cgroups/index.js';
import { V2_ROOT_FILES, tempRoot, writeTree, writeV1Roots } from './fixtures.js';

describe('cgroups: cleanup on recorded trees', () => {
  const t = tempRoot('cleanup');
  after(() => t.remove());

  it('v2: lists children of the parent; removes a container dir and its sub-cgroups; missing is fine', () => {
    const r = join(t.dir, 'v2');
    writeTree(r, V2_ROOT_FILES);
    for (const d of ['berth/aaa/init.scope', 'berth/bbb', 'other/ccc']) mkdirSync(join(r, d), { recursive: true });
    const l = detectCgroups(r);
    assert.deepEqual(listChildCgroups(l, '/berth'), ['aaa', 'bbb']);
    const rep = removeContainerCgroup(l, '/berth/aaa');
    assert.deepEqual(rep, { removed: [join(r, 'berth/aaa/init.scope'), join(r, 'berth/aaa')], busy: [] });
    assert.deepEqual(removeContainerCgroup(l, '/berth/aaa'), { removed: [], busy: [] });
    assert.deepEqual(listChildCgroups(l, '/berth'), ['bbb']);
    assert.deepEqual(listChildCgroups(l, '/nothing-here'), []);
  });

  it('v1: union over hierarchies; removal visits every hierarchy, named ones included', () => {
    const r = join(t.dir, 'v1');
    writeV1Roots(r, { hybrid: true, comounted: false });
    mkdirSync(join(r, 'memory/berth/aaa'), { recursive: true });
    mkdirSync(join(r, 'systemd/berth/aaa'), { recursive: true });
    mkdirSync(join(r, 'pids/berth/bbb'), { recursive: true });
    const l = detectCgroups(r);
    assert.deepEqual(listChildCgroups(l, '/berth'), ['aaa', 'bbb']);
    const rep = removeContainerCgroup(l, '/berth/aaa');
    assert.deepEqual(rep.removed.sort(), [join(r, 'memory/berth/aaa'), join(r, 'systemd/berth/aaa')]);
    assert.ok(!existsSync(join(r, 'systemd/berth/aaa')));
  });

  it('refuses to remove a hierarchy root', () => {
    const r = join(t.dir, 'v1');
    const l = detectCgroups(r);
    assert.throws(() => removeContainerCgroup(l, '/'), /refusing to remove the cgroup root/);
    assert.throws(() => removeContainerCgroup(l, ''), /refusing/);
  });
});
