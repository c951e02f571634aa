/**
 * docker's TLS options for a tcp:// daemon, and how docker reads them from the environment.
 * Apart from endpoint.ts so that choosing a host (contexts.ts, on every command) does not load
 * the HTTP and ssh plumbing.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface TlsOptions {
  /** Use TLS (implied by verify or port 2376). */
  tls?: boolean;
  /** Verify the daemon's certificate against `caCert`. */
  verify?: boolean;
  caCert?: string;
  cert?: string;
  key?: string;
}

/** docker's TLS settings from the environment (DOCKER_TLS_VERIFY, DOCKER_CERT_PATH, DOCKER_TLS). */
export function tlsFromEnv(env: NodeJS.ProcessEnv = process.env): TlsOptions {
  const certPath = env.DOCKER_CERT_PATH || join(homedir(), '.docker');
  const verify = !!env.DOCKER_TLS_VERIFY && env.DOCKER_TLS_VERIFY !== '0';
  const tls = verify || (!!env.DOCKER_TLS && env.DOCKER_TLS !== '0');
  const file = (n: string) => (existsSync(join(certPath, n)) ? join(certPath, n) : undefined);
  return { tls, verify, caCert: file('ca.pem'), cert: file('cert.pem'), key: file('key.pem') };
}
