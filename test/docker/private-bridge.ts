/**
 * A bridge of a test's own, for the private dockerd's default network (and for a test's stand-in
 * of a host bridge). Why not `dockerd --bridge none`: a dockerd started that way deletes the
 * host's `docker0`, and the host's running dockerd then fails every container on its default
 * network. The address is a private /24 that no address or route of the host overlaps, picked at
 * random so that concurrent suites on one host do not collide.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { randomInt } from 'node:crypto';

const ip = (...args: string[]) => execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

function toInt(a: string): number {
  return a.split('.').reduce((n, o) => n * 256 + Number(o), 0);
}

/** Every IPv4 prefix the host has as an address or a route (a bare address is a /32). */
export function usedPrefixes(): { base: number; bits: number }[] {
  const text = `${ip('-o', '-4', 'addr', 'show')}\n${ip('-4', 'route', 'show', 'table', 'all')}`;
  return [...text.matchAll(/\b(\d{1,3}(?:\.\d{1,3}){3})(?:\/(\d{1,2}))?\b/g)].map((m) => ({ base: toInt(m[1]!), bits: m[2] ? Number(m[2]) : 32 }));
}

function overlaps(a: { base: number; bits: number }, b: { base: number; bits: number }): boolean {
  const bits = Math.min(a.bits, b.bits);
  if (bits === 0) return true;
  const shift = 32 - bits;
  return Math.floor(a.base / 2 ** shift) === Math.floor(b.base / 2 ** shift);
}

/** A private /24 ("10.213.7") that overlaps nothing the host routes or owns. */
export function freeSubnet24(): string {
  const used = usedPrefixes();
  const pools: (() => string)[] = [
    () => `10.${randomInt(200, 255)}.${randomInt(0, 256)}`,
    () => `172.${randomInt(24, 32)}.${randomInt(0, 256)}`,
    () => `192.168.${randomInt(100, 256)}`,
  ];
  for (let i = 0; i < 300; i++) {
    const net = pools[i % pools.length]!();
    if (!used.some((u) => overlaps(u, { base: toInt(`${net}.0`), bits: 24 }))) return net;
  }
  throw new Error('no free private /24 on this host');
}

export function linkExists(name: string): boolean {
  return spawnSync('ip', ['link', 'show', 'dev', name], { stdio: 'ignore' }).status === 0;
}

/** The IPv4 addresses (CIDR) of a link. */
export function addressesOf(name: string): string[] {
  return [...ip('-o', '-4', 'addr', 'show', 'dev', name).matchAll(/inet (\S+)/g)].map((m) => m[1]!);
}

/** A short unique interface name (≤ 15 bytes) with `prefix`. */
export function uniqueLinkName(prefix: string): string {
  return `${prefix}${randomInt(0, 36 ** 6)
    .toString(36)
    .padStart(6, '0')}`;
}

/** Creates bridge `name` with gateway `net.1/24`, up. Removes it again if a step fails. */
export function createBridge(name: string, net = freeSubnet24()): { name: string; gateway: string; subnet: string } {
  ip('link', 'add', name, 'type', 'bridge');
  try {
    ip('addr', 'add', `${net}.1/24`, 'dev', name);
    ip('link', 'set', name, 'up');
  } catch (e) {
    removeBridge(name);
    throw e;
  }
  return { name, gateway: `${net}.1`, subnet: `${net}.0/24` };
}

/** Deletes bridge `name` if it exists (its ports are detached by the kernel). */
export function removeBridge(name: string): void {
  if (linkExists(name)) spawnSync('ip', ['link', 'del', name], { stdio: 'ignore' });
}
