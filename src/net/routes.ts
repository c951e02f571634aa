/**
 * The host's routed IPv4 prefixes, for automatic subnet choice. `ip -j route show table all`
 * first (covers policy tables and local addresses); /proc/net/route (main table only) when `ip`
 * is missing. The default route is not a prefix in use and is skipped.
 */
import { readFile } from 'node:fs/promises';
import { type Cidr, parseCidr, parseIp } from './ipv4.js';
import { run } from './exec.js';

/** Parses `ip -j route` output. Entries without "/n" are host routes (/32). */
export function parseIpRouteJson(text: string): Cidr[] {
  const data: unknown = JSON.parse(text);
  if (!Array.isArray(data)) return [];
  const out: Cidr[] = [];
  for (const r of data) {
    const dst = (r as { dst?: unknown }).dst;
    if (typeof dst !== 'string' || dst === 'default' || dst.includes(':')) continue;
    const c = dst.includes('/') ? parseCidr(dst) : parseIp(dst) !== null ? parseCidr(`${dst}/32`) : null;
    if (c && c.prefix > 0) out.push(c);
  }
  return out;
}

/** Parses /proc/net/route: hex little-endian destination and mask columns. */
export function parseProcNetRoute(text: string): Cidr[] {
  const out: Cidr[] = [];
  for (const line of text.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 8) continue;
    const dst = leHex(f[1] ?? '');
    const msk = leHex(f[7] ?? '');
    if (dst === null || msk === null || msk === 0) continue;
    const prefix = popcount(msk);
    out.push({ net: (dst & msk) >>> 0, prefix });
  }
  return out;
}

function leHex(h: string): number | null {
  if (!/^[0-9A-Fa-f]{8}$/.test(h)) return null;
  const v = parseInt(h, 16);
  return (((v & 0xff) << 24) | (((v >>> 8) & 0xff) << 16) | (((v >>> 16) & 0xff) << 8) | ((v >>> 24) & 0xff)) >>> 0;
}

function popcount(n: number): number {
  let c = 0;
  for (let x = n >>> 0; x; x >>>= 1) c += x & 1;
  return c;
}

export async function hostRoutes(): Promise<Cidr[]> {
  try {
    const r = await run('ip', ['-j', '-4', 'route', 'show', 'table', 'all']);
    return parseIpRouteJson(r.stdout);
  } catch {
    return parseProcNetRoute(await readFile('/proc/net/route', 'utf8'));
  }
}
