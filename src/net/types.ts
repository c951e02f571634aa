/**
 * Plain data the engine persists (network and endpoint rows) and hands back to this library.
 * Structurally compatible with src/engine/api.ts (PortBinding) without importing it (src/net
 * may import only node).
 */

export interface PortBinding {
  hostIp: string; // '' = all addresses
  hostPort: number;
  containerPort: number;
  protocol: 'tcp' | 'udp';
}

/** A CNI-backed network (bridge or macvlan). `host` and `none` are not networks here: see attach.ts. */
export interface NetworkRecord {
  id: string; // 64 hex
  name: string;
  driver: 'bridge' | 'macvlan';
  internal: boolean;
  subnet: string; // CIDR
  gateway: string; // IPv4
  ipRange?: string; // CIDR inside subnet: where dynamic addresses come from
  /** The user gave --subnet: docker allows a fixed --ip only then. */
  userSubnet: boolean;
  /** The default `bridge` network: no name resolution, no fixed IPs (as docker). */
  isDefault: boolean;
  /** Bridge device for driver bridge ('berth0' / 'br-<12 hex>'); macvlan parent for macvlan. */
  device: string;
  macvlanMode?: 'bridge' | 'private' | 'vepa' | 'passthru';
  mtu?: number;
  ipMasq: boolean;
  options: Record<string, string>;
  labels: Record<string, string>;
  created: string;
  /** IPAM as the create sent it (inspect echoes it); absent on records made before. */
  ipamRequest?: { options: Record<string, string> | null; config: { subnet: string; ipRange?: string; gateway?: string }[] };
}

/** What attach returns; the engine stores it in the endpoint row and passes it back to detach. */
export interface Attachment {
  networkId: string;
  containerId: string;
  netnsPath: string;
  ifname: string; // eth0, eth1, ...
  ipv4: string; // CIDR, "172.18.0.2/16"
  ip: string; // "172.18.0.2"
  mac: string;
  gateway: string;
  aliases: string[];
  ports: PortBinding[];
  /** Fixed IP asked for (so a restart asks for the same one), '' when dynamic. */
  fixedIp: string;
  /** The CNI list's final ADD result (JSON): DEL's prevResult. Opaque to the caller. */
  cniResult: unknown;
}
