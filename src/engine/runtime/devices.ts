/**
 * Host devices in a container (docker's --device, and every host device for --privileged):
 * the OCI `linux.devices` entries runc creates in the container's /dev, and the device-cgroup
 * rules that let the container use them. Read from the host's device nodes as runc's
 * libcontainer/devices and moby's oci.DevicesFromPath do, with docker's messages.
 */
import { lstatSync, readdirSync, statSync, type BigIntStats } from 'node:fs';
import { join, posix } from 'node:path';
import { invalid } from '../errors.js';
import type { DeviceRule } from './defaults.js';

/** An entry of the OCI config's linux.devices. */
export interface OciDevice {
  path: string;
  type: 'c' | 'b';
  major: number;
  minor: number;
  fileMode: number;
  uid: number;
  gid: number;
}

const S_IFMT = 0o170000n;
const S_IFCHR = 0o020000n;
const S_IFBLK = 0o060000n;
const S_IFDIR = 0o040000n;

/** Linux's dev_t split (glibc's gnu_dev_major/minor). */
export function splitDev(rdev: bigint): { major: number; minor: number } {
  const major = ((rdev >> 8n) & 0xfffn) | ((rdev >> 32n) & ~0xfffn);
  const minor = (rdev & 0xffn) | ((rdev >> 12n) & ~0xffn);
  return { major: Number(major), minor: Number(minor) };
}

function deviceOf(st: BigIntStats, path: string): OciDevice | undefined {
  const fmt = st.mode & S_IFMT;
  if (fmt !== S_IFCHR && fmt !== S_IFBLK) return undefined;
  return {
    path,
    type: fmt === S_IFCHR ? 'c' : 'b',
    ...splitDev(st.rdev),
    fileMode: Number(st.mode & ~S_IFMT),
    uid: Number(st.uid),
    gid: Number(st.gid),
  };
}

/** Only r, w and m, each at most once (docker's validDeviceMode). */
export function validDeviceMode(mode: string): boolean {
  return mode !== '' && /^[rwm]+$/.test(mode) && new Set(mode).size === mode.length;
}

/**
 * One --device: a device node, or a directory whose device nodes all come along under the
 * container path (docker's rule). Throws docker's "error gathering device information" when
 * the host path is missing or holds no device.
 */
export function devicesFromPath(pathOnHost: string, pathInContainer: string, permissions: string): { devices: OciDevice[]; rules: DeviceRule[] } {
  const fail = (why: string) => invalid(`error gathering device information while adding custom device "${pathOnHost}": ${why}`);
  if (!validDeviceMode(permissions)) throw invalid(`invalid device mode: ${permissions}`);
  if (!posix.isAbsolute(pathInContainer)) throw invalid(`${pathInContainer} is not an absolute path`);
  let st: BigIntStats;
  try {
    st = statSync(pathOnHost, { bigint: true }); // a link to a device (/dev/disk/by-id/…) is followed, as docker's
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw fail(code === 'ENOENT' ? 'no such file or directory' : code === 'EACCES' ? 'permission denied' : String((e as Error).message));
  }
  const one = deviceOf(st, posix.normalize(pathInContainer));
  const rule = (d: OciDevice): DeviceRule => ({ allow: true, type: d.type, major: d.major, minor: d.minor, access: permissions });
  if (one) return { devices: [one], rules: [rule(one)] };
  if ((st.mode & S_IFMT) !== S_IFDIR) throw fail('not a device node');
  const devices = walkDevices(pathOnHost, posix.normalize(pathInContainer), new Set());
  return { devices, rules: devices.map(rule) };
}

/** Every device node under `dir` (links not followed), placed under `target`. */
function walkDevices(dir: string, target: string, skipDirs: Set<string>): OciDevice[] {
  const out: OciDevice[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of names.sort()) {
    const p = join(dir, name);
    let st: BigIntStats;
    try {
      st = lstatSync(p, { bigint: true });
    } catch {
      continue; // gone meanwhile
    }
    if ((st.mode & S_IFMT) === S_IFDIR) {
      if (!skipDirs.has(name)) out.push(...walkDevices(p, posix.join(target, name), skipDirs));
      continue;
    }
    const d = deviceOf(st, posix.join(target, name));
    if (d) out.push(d);
  }
  return out;
}

/**
 * The host's devices for a privileged container, as runc's HostDevices lists them: /dev
 * recursively, less the directories a container gets its own of (pts, shm, mqueue …), the
 * console, and links.
 */
export function hostDevices(): OciDevice[] {
  const skip = new Set(['pts', 'shm', 'fd', 'mqueue', '.lxc', '.lxd-mounts', '.udev']);
  return walkDevices('/dev', '/dev', skip).filter((d) => d.path !== '/dev/console');
}
