/**
 * IPv4 addresses and CIDRs as plain numbers (unsigned 32-bit), pure. berth's networks are IPv4
 * only, like docker's default; IPv6 input is rejected by the callers with docker's messages.
 */

export interface Cidr {
  /** Network address (host bits cleared). */
  net: number;
  prefix: number;
}

const OCTET = /^(0|[1-9][0-9]{0,2})$/;

/** Parses dotted-quad notation; null when it is not a valid IPv4 address. */
export function parseIp(s: string): number | null {
  const parts = s.split('.');
  if (parts.length !== 4) return null;
  let n = 0;
  for (const p of parts) {
    if (!OCTET.test(p)) return null;
    const v = Number(p);
    if (v > 255) return null;
    n = n * 256 + v;
  }
  return n;
}

export function formatIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

export function mask(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/**
 * Parses "a.b.c.d/n". With `strict`, host bits must be zero (docker rejects "10.0.0.1/24" as a
 * subnet); otherwise they are cleared. Null when malformed.
 */
export function parseCidr(s: string, strict = false): Cidr | null {
  const slash = s.indexOf('/');
  if (slash < 0) return null;
  const ip = parseIp(s.slice(0, slash));
  const pfx = s.slice(slash + 1);
  if (ip === null || !/^(0|[1-9][0-9]?)$/.test(pfx)) return null;
  const prefix = Number(pfx);
  if (prefix > 32) return null;
  const net = (ip & mask(prefix)) >>> 0;
  if (strict && net !== ip) return null;
  return { net, prefix };
}

/** Address with its prefix, as "a.b.c.d/n" with host bits kept (CNI's and docker's endpoint form). */
export function parseIpWithPrefix(s: string): { ip: number; prefix: number } | null {
  const c = parseCidr(s);
  const ip = parseIp(s.slice(0, s.indexOf('/')));
  return c && ip !== null ? { ip, prefix: c.prefix } : null;
}

export function formatCidr(c: Cidr): string {
  return `${formatIp(c.net)}/${c.prefix}`;
}

export function size(c: Cidr): number {
  return 2 ** (32 - c.prefix);
}

export function lastAddr(c: Cidr): number {
  return c.net + size(c) - 1;
}

export function contains(c: Cidr, ip: number): boolean {
  return ip >= c.net && ip <= lastAddr(c);
}

/** True when `inner` lies entirely inside `outer`. */
export function containsCidr(outer: Cidr, inner: Cidr): boolean {
  return inner.prefix >= outer.prefix && contains(outer, inner.net);
}

export function overlaps(a: Cidr, b: Cidr): boolean {
  return a.net <= lastAddr(b) && b.net <= lastAddr(a);
}

/** First usable host: network+1 (for /31 and /32 the range has no network/broadcast address). */
export function firstHost(c: Cidr): number {
  return c.prefix >= 31 ? c.net : c.net + 1;
}

/** Last usable host: broadcast-1. */
export function lastHost(c: Cidr): number {
  return c.prefix >= 31 ? lastAddr(c) : lastAddr(c) - 1;
}
