/**
 * Where a Docker-API daemon is and how to reach it, from a docker-style host string:
 * `unix:///path`, `tcp://host:port` (TLS as docker's --tls/--tlsverify/DOCKER_CERT_PATH) and
 * `ssh://[user@]host[:port][/socket]` (docker's way: `ssh … docker system dial-stdio`, HTTP over
 * its stdio). Plain data: nothing is opened here (dial.ts does that), so choosing or checking a
 * host costs nothing.
 */
import { readFileSync } from 'node:fs';
import { EngineError } from '../errors.js';
import type { SshTarget } from './ssh-dial.js';
import type { TlsOptions } from './tls-options.js';

export { type TlsOptions, tlsFromEnv } from './tls-options.js';

/** What a TLS connection presents and checks; the files are read when the host is parsed. */
export interface TlsConnect {
  /** Check the daemon's certificate (docker's --tlsverify); --tls alone encrypts only. */
  verify: boolean;
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
}

export type Endpoint = {
  /** The host string, as docker would print it. */
  url: string;
  /** A unix socket on this machine: cgroup files of its containers may be readable here. */
  local: boolean;
} & ({ kind: 'unix'; path: string } | { kind: 'tcp'; host: string; port: number; tls?: TlsConnect } | { kind: 'ssh'; ssh: SshTarget });

function readCert(path: string | undefined, what: string): Buffer | undefined {
  if (!path) return undefined;
  try {
    return readFileSync(path);
  } catch (e) {
    throw new EngineError('invalid', `could not read the TLS ${what} ${path}: ${(e as Error).message}`, { cause: e });
  }
}

export function parseHost(host: string, tls: TlsOptions = {}): Endpoint {
  const h = host.includes('://') ? host : host.startsWith('/') ? `unix://${host}` : `tcp://${host}`;
  if (h.startsWith('unix://')) {
    const path = h.slice('unix://'.length) || '/var/run/docker.sock';
    return { url: `unix://${path}`, local: true, kind: 'unix', path };
  }
  let u: URL;
  try {
    u = new URL(h);
  } catch {
    throw new EngineError('invalid', `invalid host: ${host}`);
  }
  if (u.protocol === 'tcp:' || u.protocol === 'http:' || u.protocol === 'https:') {
    if (!u.hostname) throw new EngineError('invalid', `invalid host: ${host}`);
    const port = u.port || (tls.tls || tls.verify ? '2376' : '2375');
    const secure = u.protocol === 'https:' || tls.tls || tls.verify || port === '2376';
    // URL keeps an IPv6 address in brackets; sockets want it bare.
    const hostname = u.hostname.replace(/^\[(.*)\]$/, '$1');
    return {
      url: `tcp://${u.hostname}:${port}`,
      local: false,
      kind: 'tcp',
      host: hostname,
      port: Number(port),
      ...(secure
        ? { tls: { verify: !!tls.verify, ca: readCert(tls.caCert, 'CA certificate'), cert: readCert(tls.cert, 'certificate'), key: readCert(tls.key, 'key') } }
        : {}),
    };
  }
  if (u.protocol === 'ssh:') {
    if (!u.hostname) throw new EngineError('invalid', `invalid host: ${host}`);
    if (u.password) throw new EngineError('invalid', `plain-text password is not supported: ${host}`);
    if (u.search || u.hash) throw new EngineError('invalid', `query parameters and fragments are not allowed: ${host}`);
    // A path names the daemon's socket on the remote machine (docker: --host=unix://PATH).
    const socket = u.pathname.replace(/^\/+$/, '') || undefined;
    const ssh: SshTarget = {
      host: u.hostname,
      ...(u.username ? { user: decodeURIComponent(u.username) } : {}),
      ...(u.port ? { port: Number(u.port) } : {}),
      ...(socket ? { socket } : {}),
    };
    return { url: `ssh://${u.username ? `${u.username}@` : ''}${u.hostname}${u.port ? `:${u.port}` : ''}${socket ?? ''}`, local: false, kind: 'ssh', ssh };
  }
  throw new EngineError('invalid', `unsupported host scheme ${u.protocol} (use unix://, tcp:// or ssh://)`);
}
