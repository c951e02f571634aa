/**
 * The hosts the dashboard offers: every -H and --context named on the command line (in order),
 * the embedded engine ("default"), every berth (and docker) context, and DOCKER_HOST. Which one
 * it opens on: the one named, or with several named the all-hosts view, or else the host a
 * command would use (DOCKER_HOST, BERTH_CONTEXT/DOCKER_CONTEXT, the current context).
 */
import { basename } from 'node:path';
import { EngineError } from '../errors.js';
import { ContextStore, DEFAULT_CONTEXT, resolveHost } from './contexts.js';
import { type TlsOptions, tlsFromEnv } from './tls-options.js';
import type { HostSpec } from '../hosts/host-pool.js';

export interface DashboardHostList {
  specs: HostSpec[];
  /** A host name, or undefined for the all-hosts view. */
  initial: string | undefined;
}

/** A short name for a host given as -H: "docker" for unix:///run/docker.sock, "admin@prod1", "10.0.0.5:2376". */
export function shortHostName(host: string): string {
  const h = host.includes('://') ? host : host.startsWith('/') ? `unix://${host}` : `tcp://${host}`;
  if (h.startsWith('unix://')) return basename(h.slice('unix://'.length)).replace(/\.sock$/, '') || 'unix';
  let u: URL;
  try {
    u = new URL(h);
  } catch {
    throw new EngineError('invalid', `invalid host: ${host}`);
  }
  // Refused here, before the dashboard opens, with parseHost's words (it would only show the
  // host as disconnected).
  if (!['tcp:', 'http:', 'https:', 'ssh:'].includes(u.protocol))
    throw new EngineError('invalid', `unsupported host scheme ${u.protocol} (use unix://, tcp:// or ssh://)`);
  if (!u.hostname) throw new EngineError('invalid', `invalid host: ${host}`);
  return u.protocol === 'ssh:' ? `${u.username ? `${decodeURIComponent(u.username)}@` : ''}${u.hostname}` : `${u.hostname}${u.port ? `:${u.port}` : ''}`;
}

export function dashboardHosts(
  g: { hosts?: string[]; contexts?: string[]; tls?: TlsOptions },
  env: NodeJS.ProcessEnv = process.env,
  store = new ContextStore(env),
): DashboardHostList {
  const tls = { ...tlsFromEnv(env), ...(g.tls ?? {}) };
  const specs: HostSpec[] = [];
  const taken = (n: string) => specs.some((s) => s.name === n);
  const unique = (n: string) => {
    let name = n;
    for (let i = 2; taken(name); i++) name = `${n}-${i}`;
    return name;
  };
  const contexts = store.list();
  const fromContext = (name: string): string => {
    if (!taken(name)) {
      const c = store.get(name); // throws "context … does not exist" for a typo
      specs.push(c.host ? { name, host: c.host, tls: c.tls ?? {}, label: c.host } : { name, host: '', label: 'embedded' });
    }
    return name;
  };
  const fromHost = (host: string): string => {
    const same = specs.find((s) => s.host === host);
    if (same) return same.name;
    // A host some context already points at keeps that context's name.
    const ctx = contexts.find((c) => c.host && c.host === host);
    if (ctx) return fromContext(ctx.name);
    const name = unique(shortHostName(host));
    specs.push({ name, host, tls, label: host });
    return name;
  };
  const named = [...(g.hosts ?? []).map(fromHost), ...(g.contexts ?? []).map(fromContext)];
  let initial: string | undefined;
  if (named.length === 1) initial = named[0];
  else if (named.length === 0) {
    const choice = resolveHost({}, env, store);
    initial = choice.kind === 'docker' ? (choice.context ? fromContext(choice.context) : fromHost(choice.host)) : fromContext(choice.context);
  }
  fromContext(DEFAULT_CONTEXT);
  for (const c of contexts) fromContext(c.name);
  if (env.DOCKER_HOST) fromHost(env.DOCKER_HOST);
  return { specs, initial };
}
