/**
 * A container's /etc/resolv.conf: the host's, minus loopback nameservers (they mean nothing in
 * the container's netns: systemd-resolved's 127.0.0.53, a local dnsmasq), with docker's public
 * fallback when none is left; --dns replaces the nameservers. IPv4 nameservers only (berth's
 * networks are IPv4 only; an IPv6 server would only add timeouts).
 */
import { readFileSync, existsSync } from 'node:fs';
import { invalidArg } from './errors.js';
import { parseIp } from './ipv4.js';

export const FALLBACK_NAMESERVERS = ['8.8.8.8', '8.8.4.4'];

export interface ResolvOptions {
  dns?: string[];
  dnsSearch?: string[];
  dnsOptions?: string[];
}

/** The host's resolv.conf text; with systemd-resolved's stub, the upstream list it manages. */
export function readHostResolvConf(): string {
  const main = existsSync('/etc/resolv.conf') ? readFileSync('/etc/resolv.conf', 'utf8') : '';
  if (/^\s*nameserver\s+127\.0\.0\.53\b/m.test(main) && existsSync('/run/systemd/resolve/resolv.conf')) {
    return readFileSync('/run/systemd/resolve/resolv.conf', 'utf8');
  }
  return main;
}

export function renderResolvConf(hostText: string, o: ResolvOptions = {}): string {
  const servers: string[] = [];
  let search: string[] = [];
  let options: string[] = [];
  for (const raw of hostText.split('\n')) {
    const f = raw.trim().split(/\s+/);
    if (f[0] === 'nameserver' && f[1]) {
      const ip = parseIp(f[1]);
      if (ip !== null && ip >>> 24 !== 127) servers.push(f[1]);
    } else if ((f[0] === 'search' || f[0] === 'domain') && f.length > 1) search = f.slice(1);
    else if (f[0] === 'options' && f.length > 1) options = f.slice(1);
  }
  for (const d of o.dns ?? []) if (parseIp(d) === null) throw invalidArg(`${d} is not an ip address`);
  const ns = o.dns?.length ? o.dns : servers.length ? servers : FALLBACK_NAMESERVERS;
  if (o.dnsSearch?.length) search = o.dnsSearch.filter((s) => s !== '.');
  if (o.dnsOptions?.length) options = o.dnsOptions;
  const lines = ns.map((s) => `nameserver ${s}`);
  if (search.length) lines.push(`search ${search.join(' ')}`);
  if (options.length) lines.push(`options ${options.join(' ')}`);
  return `${lines.join('\n')}\n`;
}
