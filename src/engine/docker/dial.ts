/**
 * Opens one connection to a daemon's endpoint: a unix socket, TCP, TLS with docker's options,
 * or an ssh child running `docker system dial-stdio`. The HTTP client (http-transport.ts) speaks
 * over whatever this returns.
 */
import type { Duplex } from 'node:stream';
import { net, tls } from '../lazy-http.js';
import type { Endpoint } from './endpoint.js';
import { sshConnect } from './ssh-dial.js';

export function dial(ep: Endpoint): Duplex {
  if (ep.kind === 'unix') return net().createConnection({ path: ep.path });
  if (ep.kind === 'ssh') return sshConnect(ep.ssh);
  if (!ep.tls) return net().createConnection({ host: ep.host, port: ep.port });
  return tls().connect({
    host: ep.host,
    port: ep.port,
    // SNI takes names only; the certificate is still checked against an IP address.
    ...(net().isIP(ep.host) ? {} : { servername: ep.host }),
    ca: ep.tls.ca,
    cert: ep.tls.cert,
    key: ep.tls.key,
    // docker's --tls without --tlsverify encrypts but trusts any certificate.
    rejectUnauthorized: ep.tls.verify,
  });
}

/** The Host header: the daemon's address over TCP, a placeholder over a unix socket or ssh, as docker sends. */
export function hostHeader(ep: Endpoint): string {
  if (ep.kind !== 'tcp') return 'docker';
  return `${net().isIPv6(ep.host) ? `[${ep.host}]` : ep.host}:${ep.port}`;
}
