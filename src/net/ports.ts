/**
 * `-p/--publish` parsing (docker's syntax and messages), `-P` allocation for EXPOSEd ports, and
 * conflict checks. portmap publishes with iptables DNAT and binds no socket, so nothing on the
 * host stops two containers (or a host daemon) from claiming one port: berth checks itself,
 * against the bindings the caller says are in use and by probing a bind.
 */
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';
import { invalidArg, netConflict } from './errors.js';
import { parseIp } from './ipv4.js';
import type { PortBinding } from './types.js';

export interface PortRequest {
  hostIp: string; // '' = all
  /** 0..0 = any free port; a range = the first free port in it (one container port) */
  hostPortStart: number;
  hostPortEnd: number;
  containerPort: number;
  protocol: 'tcp' | 'udp';
}

function parseRange(s: string, what: 'containerPort' | 'hostPort', raw: string): [number, number] {
  const m = /^([0-9]+)(?:-([0-9]+))?$/.exec(s);
  const a = m ? Number(m[1]) : NaN;
  const b = m ? Number(m[2] ?? m[1]) : NaN;
  if (!m || a < 1 || b > 65535 || b < a) throw invalidArg(`invalid ${what}: ${s || raw}`);
  return [a, b];
}

/** Parses one `-p` value into one request per container port (ranges expand). */
export function parsePortSpec(raw: string): PortRequest[] {
  let rest = raw;
  let proto = 'tcp';
  const slash = rest.lastIndexOf('/');
  if (slash >= 0) {
    proto = rest.slice(slash + 1).toLowerCase();
    rest = rest.slice(0, slash);
  }
  if (proto !== 'tcp' && proto !== 'udp') throw invalidArg(`invalid proto: ${proto}`);
  let ip = '';
  let hostPart = '';
  let ctrPart: string;
  if (rest.startsWith('[')) {
    const end = rest.indexOf(']');
    throw invalidArg(`invalid IP address: ${end > 0 ? rest.slice(1, end) : rest} (berth publishes IPv4 only)`);
  }
  const parts = rest.split(':');
  if (parts.length === 1) ctrPart = parts[0] ?? '';
  else if (parts.length === 2) [hostPart = '', ctrPart = ''] = parts;
  else if (parts.length === 3) [ip = '', hostPart = '', ctrPart = ''] = parts;
  else throw invalidArg(`invalid IP address: ${parts.slice(0, -2).join(':')} (berth publishes IPv4 only)`);
  if (ip && parseIp(ip) === null) throw invalidArg(`invalid IP address: ${ip}`);
  if (ip === '0.0.0.0') ip = '';
  if (ctrPart === '') throw invalidArg(`no port specified: ${raw}<empty>`);
  const [cs, ce] = parseRange(ctrPart, 'containerPort', raw);
  let hs = 0;
  let he = 0;
  if (hostPart !== '') [hs, he] = parseRange(hostPart, 'hostPort', raw);
  const n = ce - cs + 1;
  const out: PortRequest[] = [];
  if (hostPart !== '' && he - hs + 1 !== n) {
    // docker: a host range with one container port means "any free port of the range".
    if (n !== 1) throw invalidArg(`invalid ranges specified for container and host Ports: ${ctrPart} and ${hostPart}`);
    return [{ hostIp: ip, hostPortStart: hs, hostPortEnd: he, containerPort: cs, protocol: proto }];
  }
  for (let i = 0; i < n; i++) {
    const h = hostPart === '' ? 0 : hs + i;
    out.push({ hostIp: ip, hostPortStart: h, hostPortEnd: h, containerPort: cs + i, protocol: proto });
  }
  return out;
}

/** Parses an image's ExposedPorts key ("80/tcp", "53/udp", "8000-8002/tcp"). */
export function parseExposed(key: string): { port: number; protocol: 'tcp' | 'udp' }[] {
  const [p = '', proto = 'tcp'] = key.split('/');
  if (proto !== 'tcp' && proto !== 'udp') return [];
  const [a, b] = parseRange(p, 'containerPort', key);
  const out: { port: number; protocol: 'tcp' | 'udp' }[] = [];
  for (let i = a; i <= b; i++) out.push({ port: i, protocol: proto });
  return out;
}

/** `-P`: one request (any free host port) per exposed port not already published by `-p`. */
export function publishAllRequests(exposed: string[], explicit: PortRequest[]): PortRequest[] {
  const have = new Set(explicit.map((r) => `${r.containerPort}/${r.protocol}`));
  const out: PortRequest[] = [];
  for (const key of exposed) {
    for (const e of parseExposed(key)) {
      if (have.has(`${e.port}/${e.protocol}`)) continue;
      have.add(`${e.port}/${e.protocol}`);
      out.push({ hostIp: '', hostPortStart: 0, hostPortEnd: 0, containerPort: e.port, protocol: e.protocol });
    }
  }
  return out;
}

function clash(a: { hostIp: string; hostPort: number; protocol: string }, b: { hostIp: string; hostPort: number; protocol: string }): boolean {
  return a.protocol === b.protocol && a.hostPort === b.hostPort && (a.hostIp === '' || b.hostIp === '' || a.hostIp === b.hostIp);
}

const allocated = (b: { hostIp: string; hostPort: number }) => netConflict(`Bind for ${b.hostIp || '0.0.0.0'}:${b.hostPort} failed: port is already allocated`);

/** True when a socket can bind the port now (no host process holds it). */
export function canBind(hostIp: string, port: number, protocol: 'tcp' | 'udp'): Promise<boolean> {
  const host = hostIp || '0.0.0.0';
  return new Promise((resolve) => {
    if (protocol === 'udp') {
      const s = createSocket('udp4');
      s.once('error', () => resolve(false));
      s.bind({ address: host, port, exclusive: true }, () => s.close(() => resolve(true)));
    } else {
      const s = createServer();
      s.once('error', () => resolve(false));
      s.listen({ host, port, exclusive: true }, () => s.close(() => resolve(true)));
    }
  });
}

/** A port the kernel considers free (its ephemeral range, as docker's allocator uses). */
function ephemeralPort(hostIp: string, protocol: 'tcp' | 'udp'): Promise<number> {
  const host = hostIp || '0.0.0.0';
  return new Promise((resolve, reject) => {
    if (protocol === 'udp') {
      const s = createSocket('udp4');
      s.once('error', reject);
      s.bind({ address: host, port: 0, exclusive: true }, () => {
        const p = s.address().port;
        s.close(() => resolve(p));
      });
    } else {
      const s = createServer();
      s.once('error', reject);
      s.listen({ host, port: 0, exclusive: true }, () => {
        const a = s.address();
        const p = typeof a === 'object' && a ? a.port : 0;
        s.close(() => resolve(p));
      });
    }
  });
}

/**
 * Resolves requests to concrete bindings: fixed ports are checked against `inUse` (other
 * containers' bindings) and probed; open ones get a free port. Docker's messages.
 */
export async function resolvePorts(requests: PortRequest[], inUse: PortBinding[]): Promise<PortBinding[]> {
  const taken: PortBinding[] = [...inUse];
  const out: PortBinding[] = [];
  for (const r of requests) {
    let b: PortBinding | undefined;
    if (r.hostPortStart !== 0 && r.hostPortStart === r.hostPortEnd) {
      b = { hostIp: r.hostIp, hostPort: r.hostPortStart, containerPort: r.containerPort, protocol: r.protocol };
      if (taken.some((t) => clash(t, b!)) || !(await canBind(r.hostIp, b.hostPort, r.protocol))) throw allocated(b);
    } else if (r.hostPortStart !== 0) {
      for (let p = r.hostPortStart; p <= r.hostPortEnd && !b; p++) {
        const c: PortBinding = { hostIp: r.hostIp, hostPort: p, containerPort: r.containerPort, protocol: r.protocol };
        if (!taken.some((t) => clash(t, c)) && (await canBind(r.hostIp, p, r.protocol))) b = c;
      }
      if (!b) throw allocated({ hostIp: r.hostIp, hostPort: r.hostPortStart });
    } else {
      for (let i = 0; i < 50 && !b; i++) {
        const p = await ephemeralPort(r.hostIp, r.protocol);
        const c: PortBinding = { hostIp: r.hostIp, hostPort: p, containerPort: r.containerPort, protocol: r.protocol };
        if (!taken.some((t) => clash(t, c))) b = c;
      }
      if (!b) throw netConflict('no free host port to publish on');
    }
    taken.push(b);
    out.push(b);
  }
  return out;
}

/** portmap's runtimeConfig.portMappings entries. */
export function toPortMappings(ports: PortBinding[]): { hostPort: number; containerPort: number; protocol: string; hostIP?: string }[] {
  return ports.map((p) => ({
    hostPort: p.hostPort,
    containerPort: p.containerPort,
    protocol: p.protocol,
    ...(p.hostIp ? { hostIP: p.hostIp } : {}),
  }));
}
