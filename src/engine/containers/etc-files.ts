/**
 * The files docker writes for every container and bind-mounts over the image's:
 * /etc/hostname, /etc/hosts and /etc/resolv.conf, rendered by src/net and written in place
 * (a bind mount pins the inode, so later updates must not replace the file).
 */
import { readFileSync } from 'node:fs';
// the two modules it needs, not src/net's index: every container start loads this file
import { renderHostname, renderHosts, writeInPlace, parseExtraHost } from '../../net/hosts.js';
import { readHostResolvConf, renderResolvConf } from '../../net/resolv.js';
import { etcPaths } from './context.js';

export function writeEtcFiles(
  dir: string,
  o: { id: string; name: string; hostname: string; hostNetwork: boolean; dns: string[]; dnsSearch?: string[]; dnsOptions?: string[]; extraHosts: string[] },
): void {
  const p = etcPaths(dir);
  writeInPlace(p.hostname, renderHostname(o.hostname));
  let hosts: string;
  if (o.hostNetwork) {
    try {
      hosts = readFileSync('/etc/hosts', 'utf8');
    } catch {
      hosts = '127.0.0.1\tlocalhost\n';
    }
  } else {
    const self = { id: o.id, name: o.name, hostname: o.hostname, hostsPath: p.hosts, extraHosts: o.extraHosts.map((h) => parseExtraHost(h)), endpoints: [] };
    hosts = renderHosts(self, [self], new Set());
  }
  writeInPlace(p.hosts, hosts);
  writeInPlace(p.resolv, renderResolvConf(readHostResolvConf(), { dns: o.dns, dnsSearch: o.dnsSearch ?? [], dnsOptions: o.dnsOptions ?? [] }));
}
