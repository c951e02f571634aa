/** Where the network library keeps its host-side files. All under berth's own runroot. */
import { join } from 'node:path';

export interface NetPaths {
  /** berth's runroot (tmpfs: leases and netns must not outlive a reboot, like the containers). */
  runroot: string;
  /** Directories searched for CNI plugins (CNI_PATH). */
  cniPath: string[];
  /** The host-wide CNI lock file (shared by every berth root on the host: iptables is one). */
  lockFile: string;
}

export const DEFAULT_CNI_PATH = ['/usr/libexec/cni', '/usr/lib/cni', '/opt/cni/bin'];
export const DEFAULT_LOCK_FILE = '/run/berth/cni.lock';

export function netPaths(runroot: string, over: Partial<Omit<NetPaths, 'runroot'>> = {}): NetPaths {
  return { runroot, cniPath: over.cniPath ?? DEFAULT_CNI_PATH, lockFile: over.lockFile ?? DEFAULT_LOCK_FILE };
}

/** host-local's lease directory (instead of the global /var/lib/cni/networks). */
export const ipamDataDir = (p: NetPaths) => join(p.runroot, 'net', 'ipam');
/** Named network namespaces, bind-mounted nsfs files. */
export const netnsDir = (p: NetPaths) => join(p.runroot, 'netns');
