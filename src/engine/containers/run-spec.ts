/**
 * What a container's stored run options (ContainerSpec.host) mean for its OCI config at start:
 * namespaces of its own, the host's or another running container's; /dev/shm; capabilities,
 * seccomp and devices (everything for --privileged); ulimits; the init. Read at every start,
 * because some of it is the host's or another container's state now (devices, namespaces).
 */
import { conflict } from '../errors.js';
import { effectiveCaps } from '../runtime/capabilities.js';
import { devicesFromPath, hostDevices, type OciDevice } from '../runtime/devices.js';
import type { DeviceRule } from '../runtime/defaults.js';
import { findInit } from '../runtime/init-binary.js';
import type { NsChoice } from '../runtime/namespaces.js';
import { defaultSeccompProfile, parseSeccompProfile, seccompFor } from '../runtime/seccomp.js';
import type { ShmChoice, SpecInput } from '../runtime/spec.js';
import { toRlimits } from '../runtime/ulimits.js';
import type { ContainerContext } from './context.js';
import type { Container } from './records.js';
import { sync } from './sync.js';
import { mountShm, shmDir } from './shm.js';

/** The running container a `container:<id>` mode names (docker's refusals when it is not). */
async function donor(ctx: ContainerContext, mode: string, what: 'pid' | 'ipc'): Promise<Container> {
  const id = mode.slice('container:'.length);
  const found = ctx.records.byId(id);
  const c = found ? await sync(ctx, found) : undefined;
  if (what === 'ipc') {
    const prefix = `can't join IPC of container ${id}`;
    if (!c) throw conflict(`${prefix}: No such container: ${id}`);
    if (c.state !== 'running' && c.state !== 'paused') throw conflict(`${prefix}: container ${id} is not running`);
    if (c.spec.host.ipcMode !== 'shareable' && c.spec.host.ipcMode !== 'host') {
      throw conflict(`${prefix}: non-shareable IPC (hint: use IpcMode:shareable for the donor container)`);
    }
    return c;
  }
  if (!c) throw conflict(`cannot join PID of a non running container: ${id}`);
  if (c.state !== 'running' && c.state !== 'paused') throw conflict(`container ${id} is not running`);
  return c;
}

/** The SpecInput fields the run options decide. */
export async function hostSpecInput(ctx: ContainerContext, c: Container): Promise<Partial<SpecInput>> {
  const h = c.spec.host;

  let pid: NsChoice = 'private';
  if (h.pidMode === 'host') pid = 'host';
  else if (h.pidMode.startsWith('container:')) pid = { path: `/proc/${(await donor(ctx, h.pidMode, 'pid')).pid}/ns/pid` };

  let ipc: NsChoice = 'private';
  let shm: ShmChoice = { size: h.shmSize };
  if (h.ipcMode === 'host') {
    ipc = 'host';
    shm = { bind: '/dev/shm' }; // docker shares the host's /dev/shm too
  } else if (h.ipcMode === 'none') {
    shm = 'none';
  } else if (h.ipcMode === 'shareable') {
    shm = { bind: await mountShm(ctx.dir(c.id), h.shmSize) }; // on the host, for containers that join
  } else if (h.ipcMode.startsWith('container:')) {
    const d = await donor(ctx, h.ipcMode, 'ipc');
    ipc = d.spec.host.ipcMode === 'host' ? 'host' : { path: `/proc/${d.pid}/ns/ipc` };
    // POSIX shared memory lives in /dev/shm, not in the IPC namespace: the donor's is shared too
    shm = { bind: d.spec.host.ipcMode === 'host' ? '/dev/shm' : shmDir(ctx.dir(d.id)) };
  }

  const caps = effectiveCaps({ privileged: h.privileged, capAdd: h.capAdd, capDrop: h.capDrop });
  let seccomp;
  if (!h.privileged && h.seccomp !== 'unconfined') {
    seccomp = seccompFor(h.seccomp === 'default' ? defaultSeccompProfile() : parseSeccompProfile(h.seccomp), caps);
  }

  const devices: OciDevice[] = [];
  const rules: DeviceRule[] = [];
  if (h.privileged) devices.push(...hostDevices());
  for (const d of h.devices) {
    // a privileged container has the host's /dev already: only mappings to another path add a node
    if (h.privileged && d.pathOnHost === d.pathInContainer) continue;
    const found = devicesFromPath(d.pathOnHost, d.pathInContainer, h.privileged ? 'rwm' : d.cgroupPermissions);
    devices.push(...found.devices);
    rules.push(...found.rules);
  }
  const callerRules = Array.isArray(c.spec.resources.devices) ? (c.spec.resources.devices as DeviceRule[]) : [];

  return {
    privileged: h.privileged,
    capAdd: h.capAdd,
    capDrop: h.capDrop,
    noNewPrivileges: h.noNewPrivileges,
    ...(seccomp ? { seccomp } : {}),
    ...(h.apparmor ? { apparmorProfile: h.apparmor } : {}),
    groupAdd: h.groupAdd,
    readonlyRootfs: h.readOnly,
    devices,
    resources: { ...c.spec.resources, devices: [...callerRules, ...rules] },
    rlimits: toRlimits(h.ulimits),
    sysctl: h.sysctls,
    namespaces: { pid, ipc, uts: h.utsMode === 'host' ? 'host' : 'private', cgroup: h.cgroupnsMode === 'private' ? 'private' : 'host' },
    shm,
    ...(h.init ? { init: findInit() } : {}),
    ...(h.domainname ? { domainname: h.domainname } : {}),
  };
}
