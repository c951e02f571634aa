/**
 * Where a registry is reached: its API host (docker.io's is registry-1.docker.io) and its scheme.
 * Plain HTTP only for loopback hosts or registries listed as insecure in
 * `$BERTH_CONFIG/registries.json` (else /etc/berth/registries.json):
 *   { "insecure-registries": ["myreg.lan:5000", "10.0.0.0/8"] }
 * Entries are host[:port] (a bare host matches every port) or an IPv4 CIDR, as docker's
 * daemon.json `insecure-registries`. TLS everywhere else.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isIP } from 'node:net';
import { invalid } from '../errors.js';

export const DOCKER_HUB_API = 'registry-1.docker.io';

export function configFile(): string {
  return join(process.env.BERTH_CONFIG ?? '/etc/berth', 'registries.json');
}

let cached: string[] | undefined;
export function insecureRegistries(): string[] {
  if (cached) return cached;
  let text: string;
  try {
    text = readFileSync(configFile(), 'utf8');
  } catch {
    return (cached = []);
  }
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw invalid(`${configFile()} is not valid JSON`);
  }
  const list = (v as Record<string, unknown> | null)?.['insecure-registries'];
  if (list !== undefined && (!Array.isArray(list) || !list.every((x) => typeof x === 'string'))) {
    throw invalid(`${configFile()}: "insecure-registries" must be a list of strings`);
  }
  return (cached = (list as string[] | undefined) ?? []);
}

function hostOnly(hostPort: string): string {
  if (hostPort.startsWith('[')) return hostPort.slice(1, hostPort.indexOf(']'));
  const c = hostPort.lastIndexOf(':');
  return c > 0 && hostPort.indexOf(':') === c ? hostPort.slice(0, c) : hostPort;
}

function ipv4ToInt(ip: string): number {
  return ip.split('.').reduce((a, b) => (a << 8) + Number(b), 0) >>> 0;
}

function inCidr(ip: string, cidr: string): boolean {
  const [net, bits] = cidr.split('/');
  if (!net || isIP(net) !== 4 || isIP(ip) !== 4) return false;
  const n = Number(bits);
  const mask = n === 0 ? 0 : (~0 << (32 - n)) >>> 0;
  return (ipv4ToInt(ip) & mask) === (ipv4ToInt(net) & mask);
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'));
}

export function isInsecure(domain: string, list = insecureRegistries()): boolean {
  const host = hostOnly(domain);
  if (isLoopback(host)) return true;
  return list.some((e) => e === domain || e === host || (e.includes('/') && inCidr(host, e)));
}

/** Base URL of a registry's API, e.g. http://localhost:5000 or https://registry-1.docker.io. */
export function registryBase(domain: string): string {
  const host = domain === 'docker.io' ? DOCKER_HUB_API : domain;
  return `${isInsecure(domain) ? 'http' : 'https'}://${host}`;
}
