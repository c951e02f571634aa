/**
 * Removing a network's host objects, and the debris of crashed set-ups. Everything here is
 * idempotent and scoped: only devices, leases, netns and iptables rules tagged with berth's
 * own network or container ids are touched.
 */
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { delList } from './cni.js';
import { buildConfList, cniName } from './cni-config.js';
import { withHostLock } from './cni-lock.js';
import { run } from './exec.js';
import { linkKind } from './links.js';
import { removeSharedChainsIfUnused, removeTagged } from './iptables.js';
import { forgetNetworkRules, removeBerthChainsIfUnused } from './netrules.js';
import { deleteNetns, listNetns, netnsPath } from './netns.js';
import { type NetPaths, ipamDataDir } from './paths.js';
import type { Attachment, NetworkRecord } from './types.js';

/** Deletes a device only if it is a bridge (never a user's physical interface by mistake). */
async function deleteBridge(dev: string): Promise<void> {
  if ((await linkKind(dev)) === 'bridge') await run('ip', ['link', 'del', dev], { allowFail: true });
}

/**
 * `network rm`: the caller has checked no container uses it. Removes the bridge device (CNI
 * DEL leaves it), the network's host-local leases, and any rule still tagged with its name.
 * Shared CNI chains go only when no one uses them any more. `keepDevice`: finishing a removal a
 * crash cut short after another network took over the bridge's name (everything else here is
 * named by the network's id, so only the device can be someone else's by then).
 */
export async function removeNetworkHost(paths: NetPaths, net: NetworkRecord, opts: { keepDevice?: boolean } = {}): Promise<void> {
  await withHostLock(paths.lockFile, async () => {
    if (net.driver === 'bridge' && !opts.keepDevice) await deleteBridge(net.device);
    rmSync(join(ipamDataDir(paths), cniName(net)), { recursive: true, force: true });
    forgetNetworkRules(net, paths);
    const tag = `name: "${cniName(net)}"`;
    await removeTagged((c) => c.includes(tag));
    await removeBerthChainsIfUnused();
    await removeSharedChainsIfUnused();
  });
}

/**
 * Debris of one container after a crash: CNI DEL on each of its networks (with the stored
 * attachment when known; otherwise without prevResult, which still frees the lease and
 * portmap's chains), every lease and iptables rule still tagged with its id (a DEL under a
 * guessed ifname misses the lease of an interface added under another), then its netns.
 * Only for a container that is going away entirely: every lease of its id is released.
 */
export async function cleanupContainer(
  paths: NetPaths,
  containerId: string,
  nets: { network: NetworkRecord; attachment?: Attachment; ifname?: string }[],
): Promise<void> {
  await withHostLock(paths.lockFile, async () => {
    for (const { network, attachment, ifname } of nets) {
      const list = buildConfList(network, paths, { wholeSubnet: !!attachment?.fixedIp });
      const netns =
        attachment && existsSync(attachment.netnsPath) ? attachment.netnsPath : existsSync(netnsPath(paths, containerId)) ? netnsPath(paths, containerId) : '';
      await delList(paths.cniPath, list, { containerId, netns, ifname: attachment?.ifname ?? ifname ?? 'eth0' }, attachment?.cniResult).catch(() => {});
    }
    releaseLeases(paths, containerId);
    await removeTagged((c) => c.includes(`id: "${containerId}"`));
  });
  await deleteNetns(paths, containerId);
}

/** Netns keys (12 hex) of this root whose container is not in `liveIds` (full or short ids). */
export function leftoverNetns(paths: NetPaths, liveIds: string[]): string[] {
  const live = new Set(liveIds.map((i) => i.slice(0, 12)));
  return listNetns(paths).filter((k) => !live.has(k));
}

/** host-local lease files (<dataDir>/<net>/<ip>: "CONTAINERID\r\nIFNAME") held by a container;
 *  returns the addresses released. */
function releaseLeases(paths: NetPaths, idPrefix: string): string[] {
  const released: string[] = [];
  const root = ipamDataDir(paths);
  let nets: string[] = [];
  try {
    nets = readdirSync(root);
  } catch {
    return [];
  }
  for (const net of nets) {
    let files: string[] = [];
    try {
      files = readdirSync(join(root, net));
    } catch {
      continue;
    }
    for (const f of files) {
      if (!/^[0-9.]+$/.test(f)) continue; // lock, last_reserved_ip.0
      const p = join(root, net, f);
      try {
        if (readFileSync(p, 'utf8').split(/\r?\n/)[0]?.startsWith(idPrefix)) {
          rmSync(p, { force: true });
          released.push(f);
        }
      } catch {
        // raced with a DEL: fine
      }
    }
  }
  return released;
}

/**
 * A netns whose container row is gone (crash before the engine recorded it, or after it
 * deleted the row): only the 12-hex key is known. Deleting the netns destroys the veths in it
 * (and so their host ends); leases and rules are found by the id prefix.
 */
export async function removeOrphanNetns(paths: NetPaths, key: string): Promise<void> {
  if (!/^[0-9a-f]{12}$/.test(key)) throw new Error(`not a berth netns key: ${key}`);
  await deleteNetns(paths, key);
  await withHostLock(paths.lockFile, async () => {
    releaseLeases(paths, key);
    await removeTagged((c) => c.includes(`id: "${key}`));
  });
}
