/**
 * Automatic subnet choice from docker's default pools: 172.17.0.0/16 … 172.31.0.0/16, then
 * 192.168.0.0/16 cut into /20s. The first candidate that overlaps neither a host route (a host
 * running Docker has docker0 on 172.17) nor another network wins. The default `bridge` network
 * takes the first free one too, so it gets 172.17.0.0/16 unless that is in use.
 */
import { netConflict } from './errors.js';
import { type Cidr, overlaps, parseCidr } from './ipv4.js';

export function* defaultPoolCandidates(): Generator<Cidr> {
  for (let b = 17; b <= 31; b++) yield { net: ((172 << 24) | (b << 16)) >>> 0, prefix: 16 };
  for (let c = 0; c < 256; c += 16) yield { net: ((192 << 24) | (168 << 16) | (c << 8)) >>> 0, prefix: 20 };
}

/** `inUse`: host routes plus other networks' subnets (CIDR strings or parsed). */
export function chooseSubnet(inUse: (Cidr | string)[]): Cidr {
  const used = inUse.map((x) => (typeof x === 'string' ? parseCidr(x) : x)).filter((x): x is Cidr => x !== null);
  for (const cand of defaultPoolCandidates()) {
    if (!used.some((u) => overlaps(u, cand))) return cand;
  }
  throw netConflict('could not find an available, non-overlapping IPv4 address pool among the defaults to assign to the network');
}
