/**
 * --sysctl: only the kernel settings a container's own namespaces hold may be set, else the
 * change would reach the host. docker's CLI allows the IPC ones (kernel.msg*, sem, shm*,
 * fs.mqueue.*) and the network ones (net.*); runc then refuses each whose namespace is the
 * host's. berth checks both at create, with their messages, so nothing is made for a refusal.
 */
import { invalid } from '../errors.js';

const IPC_SYSCTLS = new Set([
  'kernel.msgmax',
  'kernel.msgmnb',
  'kernel.msgmni',
  'kernel.sem',
  'kernel.shmall',
  'kernel.shmmax',
  'kernel.shmmni',
  'kernel.shm_rmid_forced',
]);

export function isIpcSysctl(name: string): boolean {
  return IPC_SYSCTLS.has(name) || name.startsWith('fs.mqueue.');
}

/**
 * `privateNet`: the container gets a network namespace of its own or another container's (not
 * the host's); `privateIpc` likewise for IPC.
 */
export function checkSysctls(sysctls: Record<string, string>, ns: { privateNet: boolean; privateIpc: boolean }): void {
  for (const [name, value] of Object.entries(sysctls)) {
    if (!/^[a-z0-9_]+(\.[a-zA-Z0-9_*-]+)+$/.test(name) || value.includes('\0') || value.includes('\n')) {
      throw invalid(`sysctl '${name}=${value}' is not allowed`);
    }
    if (isIpcSysctl(name)) {
      if (!ns.privateIpc) throw invalid(`sysctl "${name}" is not allowed in the hosts ipc namespace`);
    } else if (name.startsWith('net.')) {
      if (!ns.privateNet) throw invalid(`sysctl "${name}" not allowed in host network namespace`);
    } else {
      throw invalid(`sysctl '${name}=${value}' is not allowed`);
    }
  }
}
