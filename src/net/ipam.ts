/**
 * Validation of a network's IPAM settings (--subnet, --ip-range, --gateway) and of a container's
 * fixed --ip, with docker's messages where docker has one. Pure: callers pass what exists.
 */
import { invalidArg, netConflict } from './errors.js';
import { type Cidr, contains, containsCidr, firstHost, formatCidr, formatIp, lastAddr, overlaps, parseCidr, parseIp } from './ipv4.js';
import type { NetworkRecord } from './types.js';

export interface IpamInput {
  subnet: string;
  ipRange?: string;
  gateway?: string;
}

export interface IpamPlan {
  subnet: string;
  gateway: string;
  ipRange?: string;
}

function isV6(s: string): boolean {
  return s.includes(':');
}

export function parseSubnet(s: string): Cidr {
  if (isV6(s)) throw invalidArg(`invalid subnet ${s}: berth networks are IPv4 only`);
  const c = parseCidr(s);
  if (!c) throw invalidArg(`invalid subnet ${s}: invalid CIDR address: ${s}`);
  if (parseCidr(s, true) === null) throw invalidArg(`invalid subnet ${s}: it should be ${formatCidr(c)}`);
  // A /31 or /32 leaves no address for a container next to the gateway.
  if (c.prefix > 30) throw invalidArg(`invalid subnet ${s}: too small for a gateway and a container`);
  return c;
}

/** Validates one IPAM config; fills the gateway (first host, as docker). */
export function validateIpam(cfg: IpamInput): IpamPlan {
  const subnet = parseSubnet(cfg.subnet);
  const plan: IpamPlan = { subnet: formatCidr(subnet), gateway: '' };
  if (cfg.ipRange) {
    const r = parseCidr(cfg.ipRange);
    if (!r || isV6(cfg.ipRange)) throw invalidArg(`invalid ip-range ${cfg.ipRange}: invalid CIDR address: ${cfg.ipRange}`);
    if (!containsCidr(subnet, r)) throw invalidArg(`no matching subnet for range ${cfg.ipRange}`);
    plan.ipRange = formatCidr(r);
  }
  if (cfg.gateway) {
    const g = parseIp(cfg.gateway);
    if (g === null) throw invalidArg(`invalid gateway address ${cfg.gateway}`);
    if (!contains(subnet, g)) throw invalidArg(`no matching subnet for gateway ${cfg.gateway}`);
    if (g === subnet.net || g === lastAddr(subnet)) {
      throw invalidArg(`invalid gateway address ${cfg.gateway}: it is the subnet's network or broadcast address`);
    }
    plan.gateway = formatIp(g);
  } else {
    plan.gateway = formatIp(firstHost(subnet));
  }
  return plan;
}

/** docker: IPAM entries without a subnet are an error when they carry a range or gateway. */
export function checkIpamList(list: { subnet?: string; ipRange?: string; gateway?: string }[]): IpamInput | undefined {
  if (list.length === 0) return undefined;
  for (const c of list) {
    if (!c.subnet && (c.ipRange || c.gateway)) throw invalidArg('every ip-range or gateway must have a corresponding subnet');
  }
  const v4 = list.filter((c) => c.subnet && !isV6(c.subnet));
  if (list.some((c) => c.subnet && isV6(c.subnet))) throw invalidArg('berth networks are IPv4 only (no IPv6 subnets)');
  if (v4.length > 1) throw invalidArg('berth supports one IPv4 subnet per network');
  const c = v4[0];
  return c?.subnet ? { subnet: c.subnet, ipRange: c.ipRange, gateway: c.gateway } : undefined;
}

/** docker's overlap rule: no two networks may share addresses. */
export function checkOverlap(subnet: string, others: { name: string; subnet: string }[]): void {
  const c = parseSubnet(subnet);
  for (const o of others) {
    const oc = parseCidr(o.subnet);
    if (oc && overlaps(c, oc)) throw netConflict('Pool overlaps with other one on this address space');
  }
}

/**
 * Validates a fixed --ip for `net`. `taken` are the addresses other endpoints hold now.
 * Inside the subnet is enough (docker allows a fixed address outside --ip-range: the range is
 * only where dynamic addresses come from).
 */
export function validateFixedIp(net: NetworkRecord, ip: string, taken: string[]): string {
  if (net.isDefault) throw invalidArg('user specified IP address is supported on user defined networks only');
  if (!net.userSubnet) {
    throw invalidArg('user specified IP address is supported only when connecting to networks with user configured subnets');
  }
  const n = parseIp(ip);
  if (n === null) throw invalidArg(`${ip} is not an ip address`);
  const subnet = parseCidr(net.subnet);
  if (!subnet || !contains(subnet, n)) {
    throw invalidArg(`Invalid address ${ip}: It does not belong to any of this network's subnets`);
  }
  if (n === subnet.net || n === lastAddr(subnet) || ip === net.gateway) throw netConflict('Address already in use');
  if (taken.some((t) => parseIp(t.split('/')[0] ?? '') === n)) throw netConflict('Address already in use');
  return formatIp(n);
}
