/** docker's EndpointSettings (API 1.41) for one endpoint: what was asked for, then what it got. */
import type { Endpoint, NetworkRow } from './records.js';

export interface EndpointSettings {
  IPAMConfig: { IPv4Address?: string; LinkLocalIPs?: string[] } | null;
  Links: string[] | null;
  Aliases: string[] | null;
  NetworkID: string;
  EndpointID: string;
  Gateway: string;
  IPAddress: string;
  IPPrefixLen: number;
  IPv6Gateway: string;
  GlobalIPv6Address: string;
  GlobalIPv6PrefixLen: number;
  MacAddress: string;
  DriverOpts: Record<string, string> | null;
}

/** In docker's key order; requested fields as sent (null when not), as dockerd echoes them. */
export function endpointSettings(e: Endpoint, row: NetworkRow, endpointId: string): EndpointSettings {
  const a = e.attachment;
  const s = e.settings;
  const lli = s.linkLocalIps ?? [];
  // a fixed IP from an endpoint made before settings were kept (or `berth run --ip`) still shows
  const ipam =
    s.ipamConfig || e.fixedIp || lli.length ? { ...(e.fixedIp ? { IPv4Address: e.fixedIp } : {}), ...(lli.length ? { LinkLocalIPs: lli } : {}) } : null;
  return {
    IPAMConfig: ipam,
    Links: s.links ?? null,
    Aliases: e.aliases.length ? e.aliases : null,
    NetworkID: row.id,
    EndpointID: a ? endpointId : '',
    Gateway: a?.gateway ?? '',
    IPAddress: a?.ip ?? '',
    IPPrefixLen: a ? Number(a.ipv4.split('/')[1]) : 0,
    IPv6Gateway: '',
    GlobalIPv6Address: '',
    GlobalIPv6PrefixLen: 0,
    MacAddress: a?.mac ?? '',
    DriverOpts: s.driverOpts ?? null,
  };
}
