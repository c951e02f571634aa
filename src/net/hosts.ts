/**
 * Name resolution on user networks, nerdctl's way: every container has its own hosts file
 * (bind-mounted at /etc/hosts by the engine) listing itself and every container that shares a
 * user network with it, by name, short id and alias. After any change (start, stop, connect,
 * disconnect, rename, rm) the engine hands syncHostsFiles the running containers and their
 * endpoints; each file that changed is rewritten IN PLACE (same inode: a bind mount pins the
 * inode, a rename would leave the container reading the old file).
 *
 * Why not a DNS server per network: it is a daemon in a daemonless engine (who restarts it, who
 * owns it when two berth processes race), it needs aardvark-dns (not installed here) or a
 * resolver we would write and test, and it adds a listener on every bridge. A hosts file is
 * read by every libc (glibc, musl, busybox) on every lookup, returns every address of a
 * shared alias (all matching lines), and needs no process. The cost: names of containers that
 * are not running stay out, and a lookup during a rewrite may see a half-written file for
 * microseconds. The default `bridge` network has no name resolution, as in docker.
 */
import { closeSync, existsSync, ftruncateSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { invalidArg } from './errors.js';
import { parseIp } from './ipv4.js';

export interface HostEntry {
  host: string;
  ip: string;
}

export interface ResolverEndpoint {
  networkId: string;
  ip: string; // address without prefix
  aliases: string[];
}

export interface ResolverContainer {
  id: string;
  name: string; // without docker's leading '/'
  hostname: string;
  hostsPath: string;
  extraHosts?: HostEntry[];
  /** Endpoints of the container while running; [] when stopped (it then resolves nowhere). */
  endpoints: ResolverEndpoint[];
}

const LOCAL_BLOCK = [
  '127.0.0.1\tlocalhost',
  '::1\tlocalhost ip6-localhost ip6-loopback',
  'fe00::0\tip6-localnet',
  'ff00::0\tip6-mcastprefix',
  'ff02::1\tip6-allnodes',
  'ff02::2\tip6-allrouters',
];

/** `--add-host host:ip` (or host=ip); `host-gateway` becomes `hostGatewayIp`. */
export function parseExtraHost(s: string, hostGatewayIp?: string): HostEntry {
  const i = s.search(/[:=]/);
  if (i <= 0) throw invalidArg(`bad format for add-host: "${s}"`);
  const host = s.slice(0, i);
  let ip = s.slice(i + 1);
  if (ip.startsWith('[') && ip.endsWith(']')) ip = ip.slice(1, -1);
  if (ip === 'host-gateway') {
    if (!hostGatewayIp) throw invalidArg('unable to derive the IP value for host-gateway');
    ip = hostGatewayIp;
  }
  if (!/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(host)) throw invalidArg(`bad format for add-host: "${s}"`);
  if (parseIp(ip) === null && !/^[0-9a-fA-F:.]+$/.test(ip)) throw invalidArg(`invalid IP address in add-host: "${ip}"`);
  return { host, ip };
}

/**
 * The hosts file of `self`. `dnsNetworks`: ids of networks with name resolution (user
 * networks). Every other running container on such a network is listed with that network's
 * address: one line per (container, network), so a shared alias has one line per holder.
 */
export function renderHosts(self: ResolverContainer, all: ResolverContainer[], dnsNetworks: Set<string>): string {
  const lines = [...LOCAL_BLOCK];
  for (const e of self.extraHosts ?? []) lines.push(`${e.ip}\t${e.host}`);
  const names = (c: ResolverContainer, ep: ResolverEndpoint, own: boolean) =>
    [...new Set([...(own ? [c.hostname] : []), c.name, c.id.slice(0, 12), ...ep.aliases].filter(Boolean))].join(' ');
  const first = self.endpoints[0];
  // Own hostname -> own primary address (docker's line), then names on user networks.
  if (first) lines.push(`${first.ip}\t${names(self, { ...first, aliases: dnsNetworks.has(first.networkId) ? first.aliases : [] }, true)}`);
  const mine = new Set(self.endpoints.filter((e) => dnsNetworks.has(e.networkId)).map((e) => e.networkId));
  const peers: string[] = [];
  for (const c of [...all].sort((a, b) => a.id.localeCompare(b.id))) {
    for (const ep of c.endpoints) {
      if (!mine.has(ep.networkId)) continue;
      if (c.id === self.id && ep.networkId === first?.networkId) continue;
      peers.push(`${ep.ip}\t${names(c, ep, false)}`);
    }
  }
  return `${[...lines, ...peers].join('\n')}\n`;
}

/**
 * Writes `content` into `path` keeping its inode (bind mounts see it). A new file is created
 * with temp+rename (nothing is mounted on it yet).
 */
export function writeInPlace(path: string, content: string): void {
  if (!existsSync(path)) {
    const tmp = join(dirname(path), `.${Date.now()}.${process.pid}.tmp`);
    const fd = openSync(tmp, 'wx', 0o644);
    try {
      writeSync(fd, content);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
    return;
  }
  const buf = Buffer.from(content);
  const fd = openSync(path, 'r+');
  try {
    writeSync(fd, buf, 0, buf.length, 0);
    ftruncateSync(fd, buf.length);
  } finally {
    closeSync(fd);
  }
}

/** Rewrites the existing hosts files of `targets` (default: all) whose content changed. */
export function syncHostsFiles(all: ResolverContainer[], dnsNetworks: Set<string>, targets?: string[]): void {
  const want = targets ? new Set(targets) : null;
  for (const c of all) {
    if (want && !want.has(c.id)) continue;
    const content = renderHosts(c, all, dnsNetworks);
    let cur: string;
    try {
      cur = readFileSync(c.hostsPath, 'utf8');
    } catch {
      // No file: the container was never started (its start writes one) or another berth is
      // removing its directory right now; creating one would leave debris in, or fail, that rm.
      continue;
    }
    if (cur !== content) writeInPlace(c.hostsPath, content);
  }
}

export function renderHostname(hostname: string): string {
  return `${hostname}\n`;
}
