/**
 * Network namespaces, one per container, as bind-mounted nsfs files under berth's runroot
 * (<runroot>/netns/<id12>) rather than the host-global /var/run/netns: each berth root owns and
 * lists only its own (crash cleanup of one root never touches another's), and they vanish with
 * the runroot's tmpfs on reboot. `unshare --net=FILE` persists the namespace and runs
 * `ip link set lo up` inside it in the same spawn.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { netRuntime } from './errors.js';
import { run } from './exec.js';
import { type NetPaths, netnsDir } from './paths.js';

const KEY_RE = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

export function netnsPath(paths: NetPaths, containerId: string): string {
  return join(netnsDir(paths), containerId.slice(0, 12));
}

const NSFS_MAGIC = 0x6e736673;

/**
 * Whether the file is a live namespace (an nsfs bind mount), not a leftover plain file: a
 * plugin handed an unmounted file fails with "unknown FS magic", while an empty netns makes it
 * skip the interface (gone with the namespace) and still free the lease and rules.
 */
export function isNetns(p: string): boolean {
  try {
    return statfsSync(p).type === NSFS_MAGIC;
  } catch {
    return false;
  }
}

/** Creates the container's netns with only `lo` (up). Returns its path (for runc's config). */
export async function createNetns(paths: NetPaths, containerId: string): Promise<string> {
  const key = containerId.slice(0, 12);
  if (!KEY_RE.test(key)) throw netRuntime(`invalid container id ${containerId}`);
  const dir = netnsDir(paths);
  mkdirSync(dir, { recursive: true });
  const p = join(dir, key);
  // The bind-mount target must exist; 'wx' refuses to reuse a leftover (call deleteNetns first).
  try {
    writeFileSync(p, '', { flag: 'wx' });
  } catch (e) {
    throw netRuntime(`network namespace ${p} already exists`, e);
  }
  try {
    await run('unshare', [`--net=${p}`, 'ip', 'link', 'set', 'lo', 'up']);
  } catch (e) {
    await deleteNetnsPath(p).catch(() => {});
    throw e;
  }
  return p;
}

/** Unmounts and removes; a missing or unmounted file is fine (idempotent, for crash cleanup). */
export async function deleteNetnsPath(p: string): Promise<void> {
  // Already gone: teardown runs more than once per stop/rm; spare the umount spawn.
  if (!existsSync(p)) return;
  // Lazy unmount: a process that still has the file open must not make removal fail; the
  // namespace itself goes when its last user goes.
  await run('umount', ['-l', p], { allowFail: true });
  rmSync(p, { force: true });
}

export async function deleteNetns(paths: NetPaths, containerId: string): Promise<void> {
  await deleteNetnsPath(netnsPath(paths, containerId));
}

/** The 12-hex keys of this root's namespaces; the caller removes those whose container is gone. */
export function listNetns(paths: NetPaths): string[] {
  try {
    return readdirSync(netnsDir(paths)).filter((n) => KEY_RE.test(n) && !n.startsWith('.'));
  } catch {
    return [];
  }
}

/** Runs a command inside a netns (tests, debugging, reading links). */
export function inNetns(netns: string, cmd: string[], opts: { allowFail?: boolean } = {}) {
  const [c, ...a] = cmd;
  return run('nsenter', [`--net=${netns}`, '--', c ?? 'true', ...a], opts);
}
