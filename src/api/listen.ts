/**
 * Where the API server listens: `unix:///path` (mode 0660, a stale socket file replaced),
 * `tcp://host:port` (TLS when certificates are given; plain TCP only on loopback, as podman
 * refuses to expose an unauthenticated root API), `fd://` (systemd socket activation:
 * LISTEN_FDS/LISTEN_PID, fds from 3), or one connection over a Duplex (dial-stdio).
 */
import type { Server as HttpServer } from 'node:http';
import { createServer as createNetServer, isIP, type Server as NetServer } from 'node:net';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:tls';
import { chmodSync, existsSync, lstatSync, mkdirSync, readFileSync, unlinkSync } from 'node:fs';
import { dirname } from 'node:path';
import { EngineError } from '../engine/index.js';

export interface TlsFiles {
  verify: boolean;
  ca?: string;
  cert: string;
  key: string;
}

export type Listener = { kind: 'unix'; path: string } | { kind: 'tcp'; host: string; port: number } | { kind: 'fd'; fds: number[] };

export const DEFAULT_URI = 'unix:///run/berth/berth.sock';

export function parseUri(uri: string): Listener {
  if (uri.startsWith('unix://')) {
    const path = uri.slice('unix://'.length);
    if (!path.startsWith('/')) throw new EngineError('invalid', `unix socket path must be absolute: ${uri}`);
    return { kind: 'unix', path };
  }
  if (uri.startsWith('tcp://')) {
    const u = new URL(uri.replace(/^tcp:/, 'http:'));
    const port = Number(u.port);
    if (!u.port || !Number.isInteger(port)) throw new EngineError('invalid', `tcp address needs a port: ${uri}`);
    return { kind: 'tcp', host: u.hostname.replace(/^\[|\]$/g, ''), port };
  }
  if (uri === 'fd://' || uri.startsWith('fd://')) return { kind: 'fd', fds: systemdFds() };
  throw new EngineError('invalid', `unsupported address ${JSON.stringify(uri)}: use unix://PATH, tcp://HOST:PORT or fd://`);
}

/** The fds systemd passed (LISTEN_FDS for this pid), from 3; empty when none are for us. */
export function systemdFds(env: NodeJS.ProcessEnv = process.env, pid = process.pid): number[] {
  const n = Number(env.LISTEN_FDS ?? 0);
  if (!n || (env.LISTEN_PID && Number(env.LISTEN_PID) !== pid)) return [];
  return Array.from({ length: n }, (_, i) => 3 + i);
}

export function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  if (isIP(host) === 6) return host === '::1';
  return false;
}

/** Makes `http` listen where `l` says; resolves with what to close at exit. */
export async function listen(http: HttpServer, l: Listener, tls?: TlsFiles): Promise<{ servers: NetServer[]; cleanup(): void }> {
  const front = (): NetServer => {
    if (!tls) return http;
    const s: TlsServer = createTlsServer({
      // docker's clients half-close a hijacked stream (attach without stdin closes its write side
      // at once): the answer must still flow, as on the plain sockets (server.ts)
      allowHalfOpen: true,
      cert: readFileSync(tls.cert),
      key: readFileSync(tls.key),
      ...(tls.ca ? { ca: readFileSync(tls.ca) } : {}),
      requestCert: tls.verify,
      rejectUnauthorized: tls.verify,
    });
    s.on('secureConnection', (sock) => http.emit('connection', sock));
    s.on('tlsClientError', () => undefined);
    return s;
  };
  const once = (s: NetServer, arg: Parameters<NetServer['listen']>[0]) =>
    new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.listen(arg, () => {
        s.off('error', reject);
        resolve();
      });
    });
  if (l.kind === 'unix') {
    mkdirSync(dirname(l.path), { recursive: true, mode: 0o750 });
    // A socket left by a service that died is replaced; any other file is not ours to remove.
    if (existsSync(l.path)) {
      if (!lstatSync(l.path).isSocket()) throw new EngineError('conflict', `${l.path} exists and is not a socket`);
      unlinkSync(l.path);
    }
    const s = front();
    await once(s, { path: l.path });
    chmodSync(l.path, 0o660);
    return { servers: [s], cleanup: () => rmSocket(l.path) };
  }
  if (l.kind === 'tcp') {
    if (!tls && !isLoopback(l.host))
      throw new EngineError(
        'invalid',
        `refusing to serve the API without TLS on ${l.host}: use a loopback address, or --tlsverify with --tlscacert, --tlscert and --tlskey`,
      );
    const s = front();
    await once(s, { host: l.host, port: l.port });
    return { servers: [s], cleanup: () => undefined };
  }
  if (l.fds.length === 0) throw new EngineError('invalid', 'fd:// needs sockets from systemd (LISTEN_FDS and LISTEN_PID not set for this process)');
  const servers: NetServer[] = [];
  for (const fd of l.fds) {
    const s = l.fds.length === 1 ? front() : tls ? front() : createNetServer((c) => http.emit('connection', c));
    await once(s, { fd });
    servers.push(s);
  }
  return { servers, cleanup: () => undefined };
}

function rmSocket(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}
