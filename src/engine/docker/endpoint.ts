/**
 * Where a Docker-API daemon is and how to reach it, from a docker-style host string:
 * `unix:///path`, `tcp://host:port` (TLS as docker's --tls/--tlsverify/DOCKER_CERT_PATH) and
 * `ssh://[user@]host[:port]` (docker's way: `ssh … docker system dial-stdio`, HTTP over its stdio).
 */
import { readFileSync } from 'node:fs';
import type { Agent } from 'node:http';
import { http, https } from '../lazy-http.js';
import { EngineError } from '../errors.js';
import { sshDialAgent } from './ssh-agent.js';
import type { TlsOptions } from './tls-options.js';

export { type TlsOptions, tlsFromEnv } from './tls-options.js';

export interface Endpoint {
  /** The host string, as docker would print it. */
  url: string;
  kind: 'unix' | 'tcp' | 'ssh';
  /** A unix socket on this machine: cgroup files of its containers may be readable here. */
  local: boolean;
  /** Options for dockerode's constructor. */
  dockerode: Record<string, unknown>;
  close?(): void;
}

/**
 * Our own keep-alive agent: node's global one closes sockets idle for 5 s, which would cut the
 * events stream, `logs -f` and a wait that waits longer than that.
 */
function keepAliveAgent(): Agent {
  return new (http().Agent)({ keepAlive: true, maxFreeSockets: 4 });
}

export function parseHost(host: string, tls: TlsOptions = {}): Endpoint {
  const h = host.includes('://') ? host : host.startsWith('/') ? `unix://${host}` : `tcp://${host}`;
  if (h.startsWith('unix://')) {
    const path = h.slice('unix://'.length) || '/var/run/docker.sock';
    const agent = keepAliveAgent();
    return { url: `unix://${path}`, kind: 'unix', local: true, dockerode: { socketPath: path, host: undefined, protocol: undefined, agent }, close: () => agent.destroy() };
  }
  let u: URL;
  try {
    u = new URL(h);
  } catch {
    throw new EngineError('invalid', `invalid host: ${host}`);
  }
  if (u.protocol === 'tcp:' || u.protocol === 'http:' || u.protocol === 'https:') {
    const port = u.port || (tls.tls || tls.verify ? '2376' : '2375');
    const secure = u.protocol === 'https:' || tls.tls || tls.verify || port === '2376';
    const o: Record<string, unknown> = { host: u.hostname, port: Number(port), protocol: secure ? 'https' : 'http', socketPath: undefined, agent: secure ? undefined : keepAliveAgent() };
    if (secure) {
      const read = (p?: string) => (p ? readFileSync(p) : undefined);
      o.ca = read(tls.caCert);
      o.cert = read(tls.cert);
      o.key = read(tls.key);
      // docker's --tls without --tlsverify encrypts but trusts any certificate.
      o.agent = new (https().Agent)({ keepAlive: true, ...(tls.verify ? {} : { rejectUnauthorized: false }) });
    }
    const agent = o.agent as Agent;
    return { url: `tcp://${u.hostname}:${port}`, kind: 'tcp', local: false, dockerode: o, close: () => agent.destroy() };
  }
  if (u.protocol === 'ssh:') {
    if (u.pathname && u.pathname !== '/') throw new EngineError('invalid', `extra path after the host: ${host}`);
    const agent: Agent & { destroy(): void } = sshDialAgent({ user: decodeURIComponent(u.username), host: u.hostname, port: u.port ? Number(u.port) : undefined });
    return {
      url: `ssh://${u.username ? `${u.username}@` : ''}${u.hostname}${u.port ? `:${u.port}` : ''}`,
      kind: 'ssh',
      local: false,
      // Plain HTTP over the ssh child's stdio: the host name is only the Host header.
      dockerode: { host: 'docker', port: 80, protocol: 'http', socketPath: undefined, agent },
      close: () => agent.destroy(),
    };
  }
  throw new EngineError('invalid', `unsupported host scheme ${u.protocol} (use unix://, tcp:// or ssh://)`);
}

