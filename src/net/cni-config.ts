/**
 * The CNI network configuration list for a NetworkRecord. Deterministic: DEL rebuilds the same
 * list from the stored record, so no conflist files need keeping in sync with the database.
 */
import { firstHost, formatIp, lastAddr, lastHost, parseCidr } from './ipv4.js';
import { type NetPaths, ipamDataDir } from './paths.js';
import type { NetworkRecord } from './types.js';

export const CNI_VERSION = '1.0.0';

export interface PluginConf {
  type: string;
  capabilities?: Record<string, boolean>;
  [k: string]: unknown;
}

export interface ConfList {
  cniVersion: string;
  name: string;
  plugins: PluginConf[];
}

/** CNI's network name: from the id, so a network re-created under the same name never sees
 *  the old one's leases, and iptables comments name it unambiguously. */
export function cniName(net: NetworkRecord): string {
  return `berth-${net.id.slice(0, 12)}`;
}

function hostLocal(net: NetworkRecord, paths: NetPaths, wholeSubnet: boolean): Record<string, unknown> {
  const subnet = parseCidr(net.subnet);
  if (!subnet) throw new Error(`corrupt network record ${net.name}: subnet ${net.subnet}`);
  const range: Record<string, string> = { subnet: net.subnet, gateway: net.gateway };
  const r = net.ipRange ? parseCidr(net.ipRange) : null;
  // A fixed IP may lie outside --ip-range (docker allows it): that ADD uses the whole subnet.
  // Leases live in the same dataDir either way, so both views see every allocation.
  if (r && !wholeSubnet) {
    range.rangeStart = formatIp(Math.max(r.net, firstHost(subnet)));
    range.rangeEnd = formatIp(Math.min(lastAddr(r), lastHost(subnet)));
  }
  const ipam: Record<string, unknown> = { type: 'host-local', dataDir: ipamDataDir(paths), ranges: [[range]] };
  // macvlan has no isDefaultGateway: the default route comes from IPAM.
  if (net.driver === 'macvlan' && !net.internal) ipam.routes = [{ dst: '0.0.0.0/0' }];
  return ipam;
}

export interface ConfListOptions {
  /** The ADD asks for a fixed IP (range = whole subnet). */
  wholeSubnet?: boolean;
  /** Include portmap (default true). Left out for containers that publish nothing: its
   *  iptables work is the slowest step of ADD/DEL. DEL must pass what ADD passed. */
  portmap?: boolean;
}

export function buildConfList(net: NetworkRecord, paths: NetPaths, opts: ConfListOptions = {}): ConfList {
  const ipam = hostLocal(net, paths, opts.wholeSubnet ?? false);
  const plugins: PluginConf[] = [];
  if (net.driver === 'bridge') {
    plugins.push({
      type: 'bridge',
      bridge: net.device,
      // The bridge holds the gateway address even on --internal networks (as docker): the host
      // can reach its containers; only the default route and masquerade are left out.
      isGateway: true,
      isDefaultGateway: !net.internal,
      // Masquerade is one rule per network (netrules.ts, as docker), not a chain per container:
      // the plugin's per-container chain costs tens of ms of iptables on every ADD and DEL.
      ipMasq: false,
      hairpinMode: true,
      ...(net.mtu ? { mtu: net.mtu } : {}),
      ipam,
    });
    if (!net.internal && opts.portmap !== false) {
      // snat makes 127.0.0.1:HOSTPORT work (portmap sets route_localnet on the bridge).
      plugins.push({ type: 'portmap', capabilities: { portMappings: true }, snat: true });
    }
    // No `firewall` plugin: forwarding accepts are per network (netrules.ts).
  } else {
    plugins.push({
      type: 'macvlan',
      master: net.device,
      mode: net.macvlanMode ?? 'bridge',
      ...(net.mtu ? { mtu: net.mtu } : {}),
      ipam,
    });
  }
  return { cniVersion: CNI_VERSION, name: cniName(net), plugins };
}
