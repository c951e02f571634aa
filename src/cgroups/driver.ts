/**
 * Which cgroup driver new containers get. On a host where systemd is PID 1 with the unified
 * hierarchy, systemd owns the cgroup tree: a container there is a transient scope
 * (machine.slice/berth-<id>.scope, made by `runc --systemd-cgroup`) and its conmon another
 * (made by systemd-run), as docker's and podman's systemd driver do. Elsewhere (no systemd, or
 * cgroup v1, where docker also defaults to cgroupfs) berth makes /berth/<id> itself.
 * README.md ("cgroups on systemd hosts") says why, from what the VM test measured.
 *
 * BERTH_CGROUP_DRIVER=cgroupfs|systemd overrides the choice (docker's
 * native.cgroupdriver, podman's --cgroup-manager).
 */
import { existsSync } from 'node:fs';
import type { CgroupLayout } from './detect.js';
import type { CgroupDriver } from './paths.js';

/** Present exactly when systemd is the running init (sd_booted(3)). */
export const SYSTEMD_RUN_DIR = '/run/systemd/system';

export class CgroupDriverError extends Error {}

export function chooseCgroupDriver(layout: CgroupLayout, o: { env?: NodeJS.ProcessEnv; systemdRunDir?: string } = {}): CgroupDriver {
  const systemd = existsSync(o.systemdRunDir ?? SYSTEMD_RUN_DIR);
  const wanted = (o.env ?? process.env).BERTH_CGROUP_DRIVER;
  if (wanted !== undefined && wanted !== '') {
    if (wanted !== 'cgroupfs' && wanted !== 'systemd')
      throw new CgroupDriverError(`BERTH_CGROUP_DRIVER must be cgroupfs or systemd, not ${JSON.stringify(wanted)}`);
    if (wanted === 'systemd' && !systemd) throw new CgroupDriverError('BERTH_CGROUP_DRIVER=systemd, but systemd is not running on this host');
    return wanted;
  }
  return systemd && layout.version === 2 ? 'systemd' : 'cgroupfs';
}
