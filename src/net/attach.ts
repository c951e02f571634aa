/**
 * Attaches a container's netns to a network (CNI ADD) and detaches it (CNI DEL). Works on a
 * running container's netns: connect/disconnect is just another ADD/DEL on the same netns.
 * Both run under the host-wide CNI lock. The returned Attachment is what the caller stores.
 */
import { existsSync } from 'node:fs';
import { addList, delList } from './cni.js';
import { buildConfList } from './cni-config.js';
import { withHostLock } from './cni-lock.js';
import type { CniResult } from './cni-result.js';
import { invalidArg, netRuntime } from './errors.js';
import { validateFixedIp } from './ipam.js';
import { isNetns } from './netns.js';
import type { Cidr } from './ipv4.js';
import { inNetns } from './netns.js';
import { linkExists } from './links.js';
import { hostRoutes } from './routes.js';
import { ensureNetworkRules } from './netrules.js';
import type { NetPaths } from './paths.js';
import { toPortMappings } from './ports.js';
import type { Attachment, NetworkRecord, PortBinding } from './types.js';

export interface AttachOptions {
  containerId: string;
  netns: string;
  /** Default: the lowest free ethN in the netns (eth0 first, eth1 for a second network...). */
  ifname?: string;
  fixedIp?: string;
  /** The interface's MAC address (docker's --mac-address), given to the plugin as CNI_ARGS MAC. */
  mac?: string;
  /** Addresses other endpoints hold on this network (from the caller's endpoint rows). */
  takenIps?: string[];
  aliases?: string[];
  /** Resolved bindings (ports.ts resolvePorts); only bridge networks publish. */
  ports?: PortBinding[];
  /**
   * The caller's current record of an automatic-subnet bridge network, asked under the host lock
   * just before the ADD. `hostRoutes` is given when the bridge does not exist yet (this ADD makes
   * it): the subnet was chosen when the network was planned, and since then another berth root
   * (or Docker) may have taken it, so the caller re-plans and persists when they overlap.
   */
  revise?: (hostRoutes: Cidr[] | null) => NetworkRecord;
}

const ALIAS_RE = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

export async function nextIfname(netns: string): Promise<string> {
  const r = await inNetns(netns, ['ip', '-j', 'link', 'show']);
  const names = new Set<string>();
  const data: unknown = JSON.parse(r.stdout || '[]');
  if (Array.isArray(data)) for (const l of data) if (typeof (l as { ifname?: unknown }).ifname === 'string') names.add((l as { ifname: string }).ifname);
  for (let i = 0; ; i++) if (!names.has(`eth${i}`)) return `eth${i}`;
}

/** The container-side interface and its IPv4 address from a final CNI result. */
export function summarize(result: CniResult, ifname: string): { ipv4: string; ip: string; mac: string; gateway: string } {
  const idx = result.interfaces.findIndex((i) => i.name === ifname && i.sandbox);
  const ip =
    result.ips.find((x) => !x.address.includes(':') && (x.interface === undefined || x.interface === idx)) ?? result.ips.find((x) => !x.address.includes(':'));
  if (!ip) throw netRuntime(`CNI result has no IPv4 address for ${ifname}`);
  return { ipv4: ip.address, ip: ip.address.split('/')[0] ?? '', mac: result.interfaces[idx]?.mac ?? '', gateway: ip.gateway ?? '' };
}

export async function attach(paths: NetPaths, net: NetworkRecord, o: AttachOptions): Promise<Attachment> {
  if (!existsSync(o.netns)) throw netRuntime(`network namespace ${o.netns} does not exist`);
  for (const a of o.aliases ?? []) if (!ALIAS_RE.test(a)) throw invalidArg(`invalid network alias "${a}"`);
  const fixedIp = o.fixedIp ? validateFixedIp(net, o.fixedIp, o.takenIps ?? []) : '';
  const ports = net.driver === 'bridge' && !net.internal ? (o.ports ?? []) : [];
  return withHostLock(paths.lockFile, async () => {
    if (o.revise && net.driver === 'bridge' && !net.userSubnet) {
      net = o.revise((await linkExists(net.device)) ? null : await hostRoutes());
    }
    const list = buildConfList(net, paths, { wholeSubnet: fixedIp !== '', portmap: ports.length > 0 });
    const ifname = o.ifname ?? (await nextIfname(o.netns));
    const call = {
      containerId: o.containerId,
      netns: o.netns,
      ifname,
      ...(fixedIp || o.mac ? { args: { ...(fixedIp ? { IP: fixedIp } : {}), ...(o.mac ? { MAC: o.mac } : {}) } } : {}),
      capabilityArgs: { portMappings: toPortMappings(ports) },
    };
    const result = await addList(paths.cniPath, list, call);
    try {
      await ensureNetworkRules(net, paths);
      const s = summarize(result, ifname);
      return {
        networkId: net.id,
        containerId: o.containerId,
        netnsPath: o.netns,
        ifname,
        ...s,
        aliases: [...new Set(o.aliases ?? [])],
        ports,
        fixedIp,
        cniResult: result,
      };
    } catch (e) {
      await delList(paths.cniPath, list, call, result).catch(() => {});
      throw e;
    }
  });
}

/**
 * CNI DEL with the stored result. Idempotent. When the netns is already gone the plugins
 * skip the interface (it died with the netns) but still free the lease and portmap's rules.
 */
export async function detach(paths: NetPaths, net: NetworkRecord, att: Attachment): Promise<void> {
  const list = buildConfList(net, paths, { wholeSubnet: att.fixedIp !== '', portmap: att.ports.length > 0 });
  // Checked under the lock: the netns is unmounted under the same lock (teardownSandbox), so a
  // concurrent teardown (rm -f against the exit command) never hands a plugin a dead file.
  await withHostLock(paths.lockFile, () => {
    const netns = isNetns(att.netnsPath) ? att.netnsPath : '';
    return delList(
      paths.cniPath,
      list,
      { containerId: att.containerId, netns, ifname: att.ifname, capabilityArgs: { portMappings: toPortMappings(att.ports) } },
      att.cniResult,
    );
  });
}
