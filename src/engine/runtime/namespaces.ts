/**
 * docker's namespace modes (--ipc, --pid, --uts, --cgroupns, --userns) and the OCI
 * `linux.namespaces` list they make. A mode that names another container is resolved by the
 * engine to that container's namespace file (/proc/PID/ns/…) before it reaches here.
 */
import { isAbsolute } from 'node:path';
import { invalid } from '../errors.js';

/** A namespace of the container's own, the host's, or one to join by path. */
export type NsChoice = 'private' | 'host' | { path: string };

export interface NamespaceModes {
  pid?: NsChoice;
  ipc?: NsChoice;
  uts?: 'private' | 'host';
  cgroup?: 'private' | 'host';
  /** 'new': one of its own; { path }: join; undefined: the host's. */
  network?: 'new' | { path: string };
}

export interface OciNamespace {
  type: string;
  path?: string;
}

function entry(type: string, c: NsChoice | undefined): OciNamespace | undefined {
  if (c === 'host') return undefined;
  if (c === undefined || c === 'private') return { type };
  if (!isAbsolute(c.path)) throw invalid(`${type} namespace path must be absolute: ${c.path}`);
  return { type, path: c.path };
}

export function buildNamespaces(m: NamespaceModes): OciNamespace[] {
  const out = [entry('pid', m.pid), { type: 'mount' }, entry('uts', m.uts), entry('ipc', m.ipc)];
  if (m.network === 'new') out.push({ type: 'network' });
  else if (m.network !== undefined) out.push(entry('network', m.network));
  if (m.cgroup === 'private') out.push({ type: 'cgroup' });
  return out.filter((n): n is OciNamespace => n !== undefined);
}

/** docker's IPC modes (container:X is checked further by the engine). */
export function checkIpcMode(mode: string): void {
  if (['', 'private', 'shareable', 'host', 'none'].includes(mode)) return;
  if (mode.startsWith('container:') && mode.length > 'container:'.length) return;
  throw invalid(`Invalid IPC mode: ${mode}`);
}

export function checkPidMode(mode: string): void {
  if (mode === '' || mode === 'host' || (mode.startsWith('container:') && mode.length > 'container:'.length)) return;
  throw invalid(`invalid PID mode: ${mode}`);
}

export function checkUtsMode(mode: string): void {
  if (mode !== '' && mode !== 'host') throw invalid(`invalid UTS mode: ${mode}`);
}

export function checkCgroupnsMode(mode: string): void {
  if (mode !== '' && mode !== 'host' && mode !== 'private') throw invalid(`invalid cgroup namespace mode: ${mode}`);
}

/** docker accepts only the host's user namespace unless its daemon remaps users; so does berth. */
export function checkUsernsMode(mode: string): void {
  if (mode === '' || mode === 'host') return;
  throw invalid(`user namespace mode "${mode}" is not supported: containers run in the host's user namespace (only --userns=host)`);
}
