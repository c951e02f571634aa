/**
 * The cgroup driver choice and what follows from it, on recorded trees: systemd on a pure v2
 * host where systemd runs, cgroupfs elsewhere; the systemd driver's scope names, its leftovers
 * found by crash cleanup, conmon's arguments and its scope. (The live behaviour is in
 * live-v2-vm.test.ts, which runs both drivers in a Debian 12 VM.)
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  CgroupDriverError,
  chooseCgroupDriver,
  cgroupsPathFor,
  containerDirs,
  detectCgroups,
  driverOf,
  listContainerCgroups,
  removeContainerCgroup,
  scopeUnitFor,
} from '../../src/cgroups/index.js';
import { inScope, monitorScopeUnit } from '../../src/cgroups/systemd-scope.js';
import { conmonArgs } from '../../src/engine/runtime/conmon.js';
import { V2_ROOT_FILES, tempRoot, writeTree, writeV1Roots } from './fixtures.js';

const ID = 'a'.repeat(64);

describe('cgroups: the driver', () => {
  const t = tempRoot('driver');
  after(() => t.remove());
  const v2 = join(t.dir, 'v2');
  writeTree(v2, V2_ROOT_FILES);
  const v1 = join(t.dir, 'v1');
  writeV1Roots(v1, { hybrid: true, comounted: true });
  const systemdUp = join(t.dir, 'run-systemd-system');
  mkdirSync(systemdUp);
  const noSystemd = join(t.dir, 'absent');

  it('systemd on a pure v2 host with systemd running; cgroupfs without systemd or on v1', () => {
    assert.equal(chooseCgroupDriver(detectCgroups(v2), { env: {}, systemdRunDir: systemdUp }), 'systemd');
    assert.equal(chooseCgroupDriver(detectCgroups(v2), { env: {}, systemdRunDir: noSystemd }), 'cgroupfs');
    // v1 hybrid, as this CI host: docker's default there is cgroupfs too.
    assert.equal(chooseCgroupDriver(detectCgroups(v1), { env: {}, systemdRunDir: systemdUp }), 'cgroupfs');
  });

  it('BERTH_CGROUP_DRIVER overrides; systemd without systemd and unknown names are refused', () => {
    const l = detectCgroups(v2);
    assert.equal(chooseCgroupDriver(l, { env: { BERTH_CGROUP_DRIVER: 'cgroupfs' }, systemdRunDir: systemdUp }), 'cgroupfs');
    assert.equal(chooseCgroupDriver(detectCgroups(v1), { env: { BERTH_CGROUP_DRIVER: 'systemd' }, systemdRunDir: systemdUp }), 'systemd');
    assert.throws(() => chooseCgroupDriver(l, { env: { BERTH_CGROUP_DRIVER: 'systemd' }, systemdRunDir: noSystemd }), CgroupDriverError);
    assert.throws(() => chooseCgroupDriver(l, { env: { BERTH_CGROUP_DRIVER: 'systemd-ish' }, systemdRunDir: systemdUp }), /must be cgroupfs or systemd/);
  });

  it('each container keeps its driver in its cgroupsPath; the systemd one is machine.slice/berth-<id>.scope', () => {
    const sd = cgroupsPathFor(ID, { driver: 'systemd' });
    assert.equal(sd, `machine.slice:berth:${ID}`);
    assert.equal(driverOf(sd), 'systemd');
    assert.equal(driverOf(cgroupsPathFor(ID)), 'cgroupfs');
    assert.equal(scopeUnitFor(ID), `berth-${ID}.scope`);
    assert.deepEqual(containerDirs(detectCgroups(v2), sd), { version: 2, dir: join(v2, 'machine.slice', `berth-${ID}.scope`) });
  });

  it("crash cleanup finds both drivers' container cgroups, not the monitors' scopes", () => {
    const b = 'b'.repeat(64);
    for (const d of [`berth/${ID}`, `machine.slice/berth-${b}.scope`, `machine.slice/berth-conmon-${b}-0a1b2c3d.scope`, 'machine.slice/libpod-x.scope']) {
      mkdirSync(join(v2, d), { recursive: true });
    }
    const l = detectCgroups(v2);
    const found = listContainerCgroups(l);
    assert.deepEqual(found, [
      { id: ID, cgroupsPath: `/berth/${ID}` },
      { id: b, cgroupsPath: `machine.slice:berth:${b}` },
    ]);
    assert.deepEqual(removeContainerCgroup(l, found[1]!.cgroupsPath).removed, [join(v2, 'machine.slice', `berth-${b}.scope`)]);
  });

  it('under the systemd driver conmon tells runc so and runs in a scope of its own', () => {
    const base = { id: ID, bundle: '/b', runtime: { binary: '/usr/sbin/runc', root: '/r' }, logPath: '/l', exitDir: '/e', socketDir: '/s' };
    assert.ok(conmonArgs({ ...base, systemdCgroup: true }).includes('--systemd-cgroup'));
    assert.ok(!conmonArgs(base).includes('--systemd-cgroup'));
    const unit = monitorScopeUnit(ID);
    assert.match(unit, new RegExp(`^berth-conmon-${ID}-[0-9a-f]{8}\\.scope$`));
    assert.notEqual(monitorScopeUnit(ID), unit, 'a restart starts its monitor while the old scope still exists');
    const argv = inScope(['/usr/bin/conmon', '-c', ID], { unit, description: 'berth monitor of web' });
    assert.deepEqual(argv.slice(0, 2), ['systemd-run', '--scope']);
    assert.ok(argv.includes('--slice=machine.slice') && argv.includes(`--unit=${unit}`) && argv.includes('--collect'));
    assert.deepEqual(argv.slice(argv.indexOf('--') + 1), ['/usr/bin/conmon', '-c', ID]);
  });
});
