/**
 * Which engine a berth process talks to, docker's way: `-H` > `--context` > DOCKER_HOST >
 * BERTH_CONTEXT/DOCKER_CONTEXT > the current berth context; otherwise the embedded engine.
 *
 * berth's contexts live in $BERTH_CONFIG/contexts.json (default ~/.config/berth, or
 * $XDG_CONFIG_HOME/berth). "default" is always the embedded engine. docker's own contexts
 * (~/.docker/contexts/meta/<sha256(name)>/meta.json) are readable by name too, and docker's
 * current context is shown by `context ls`; it is not adopted silently, because berth's
 * default is its own engine.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { EngineError } from '../errors.js';
import { type TlsOptions, tlsFromEnv } from './tls-options.js';
import { optObj, str } from './wire.js';

export interface ContextEntry {
  name: string;
  description: string;
  /** A docker host string; '' for the embedded engine. */
  host: string;
  tls?: TlsOptions;
  source: 'builtin' | 'berth' | 'docker';
}

export type HostChoice =
  { kind: 'embedded'; context: string } | { kind: 'docker'; host: string; tls: TlsOptions; context?: string; via: '-H' | 'context' | 'DOCKER_HOST' };

export const DEFAULT_CONTEXT = 'default';

interface StoreFile {
  current?: string;
  contexts: Record<string, { description?: string; host: string; tls?: TlsOptions }>;
}

const NAME_RE = /^[a-zA-Z0-9][a-zA-Z0-9_.+-]*$/;

export class ContextStore {
  readonly file: string;
  readonly dockerDir: string;

  constructor(env: NodeJS.ProcessEnv = process.env) {
    const dir = env.BERTH_CONFIG || join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'berth');
    this.file = join(dir, 'contexts.json');
    this.dockerDir = env.DOCKER_CONFIG || join(homedir(), '.docker');
  }

  private read(): StoreFile {
    if (!existsSync(this.file)) return { contexts: {} };
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(this.file, 'utf8'));
    } catch (e) {
      throw new EngineError('invalid', `${this.file}: ${(e as Error).message}`);
    }
    const o = optObj(raw);
    const contexts: StoreFile['contexts'] = {};
    for (const [name, v] of Object.entries(optObj(o.contexts))) {
      const c = optObj(v);
      const t = optObj(c.tls);
      contexts[name] = {
        description: str(c.description),
        host: str(c.host),
        ...(c.tls
          ? {
              tls: {
                tls: t.tls === true,
                verify: t.verify === true,
                caCert: str(t.caCert) || undefined,
                cert: str(t.cert) || undefined,
                key: str(t.key) || undefined,
              },
            }
          : {}),
      };
    }
    return { current: str(o.current) || undefined, contexts };
  }

  /** Atomically: a temp file renamed over the old one. */
  private write(f: StoreFile): void {
    mkdirSync(dirname(this.file), { recursive: true, mode: 0o700 });
    const tmp = `${this.file}.tmp-${process.pid}`;
    writeFileSync(tmp, `${JSON.stringify(f, null, 2)}\n`, { mode: 0o600 });
    renameSync(tmp, this.file);
  }

  current(): string {
    return this.read().current ?? DEFAULT_CONTEXT;
  }

  /** docker's contexts (their metadata directory is named by the sha256 of the name). */
  dockerContexts(): ContextEntry[] {
    const meta = join(this.dockerDir, 'contexts', 'meta');
    if (!existsSync(meta)) return [];
    const out: ContextEntry[] = [];
    for (const d of readdirSync(meta)) {
      try {
        const m = optObj(JSON.parse(readFileSync(join(meta, d, 'meta.json'), 'utf8')));
        const ep = optObj(optObj(m.Endpoints).docker);
        const name = str(m.Name);
        if (!name || !str(ep.Host)) continue;
        const tlsDir = join(this.dockerDir, 'contexts', 'tls', d, 'docker');
        const f = (n: string) => (existsSync(join(tlsDir, n)) ? join(tlsDir, n) : undefined);
        const tls: TlsOptions = existsSync(tlsDir)
          ? { tls: true, verify: ep.SkipTLSVerify !== true, caCert: f('ca.pem'), cert: f('cert.pem'), key: f('key.pem') }
          : {};
        out.push({ name, description: str(optObj(m.Metadata).Description), host: str(ep.Host), tls, source: 'docker' });
      } catch {
        // an unreadable docker context is not berth's problem
      }
    }
    return out;
  }

  /** docker's current context name (~/.docker/config.json), if it set one. */
  dockerCurrent(): string | undefined {
    try {
      const c = str(optObj(JSON.parse(readFileSync(join(this.dockerDir, 'config.json'), 'utf8'))).currentContext);
      return c && c !== DEFAULT_CONTEXT ? c : undefined;
    } catch {
      return undefined;
    }
  }

  list(): ContextEntry[] {
    const f = this.read();
    const own: ContextEntry[] = Object.entries(f.contexts).map(([name, c]) => ({
      name,
      description: c.description ?? '',
      host: c.host,
      ...(c.tls ? { tls: c.tls } : {}),
      source: 'berth',
    }));
    const names = new Set([DEFAULT_CONTEXT, ...own.map((c) => c.name)]);
    return [
      { name: DEFAULT_CONTEXT, description: 'berth embedded engine', host: '', source: 'builtin' },
      ...own.sort((a, b) => a.name.localeCompare(b.name)),
      ...this.dockerContexts().filter((c) => !names.has(c.name)),
    ];
  }

  get(name: string): ContextEntry {
    const c = this.list().find((x) => x.name === name);
    if (!c) throw new EngineError('not-found', `context "${name}" does not exist`);
    return c;
  }

  create(name: string, host: string, opts: { description?: string; tls?: TlsOptions } = {}): void {
    if (!NAME_RE.test(name)) throw new EngineError('invalid', `context name "${name}" is invalid, names are validated against regexp "${NAME_RE.source}"`);
    if (name === DEFAULT_CONTEXT) throw new EngineError('conflict', `context "${name}" already exists`);
    const f = this.read();
    if (f.contexts[name]) throw new EngineError('conflict', `context "${name}" already exists`);
    f.contexts[name] = { description: opts.description ?? '', host, ...(opts.tls ? { tls: opts.tls } : {}) };
    this.write(f);
  }

  use(name: string): void {
    if (name !== DEFAULT_CONTEXT) this.get(name);
    const f = this.read();
    if (name === DEFAULT_CONTEXT) delete f.current;
    else f.current = name;
    this.write(f);
  }

  remove(name: string, opts: { force?: boolean } = {}): void {
    if (name === DEFAULT_CONTEXT) throw new EngineError('invalid', 'default context cannot be removed');
    const f = this.read();
    if (!f.contexts[name]) throw new EngineError('not-found', `context "${name}" does not exist`);
    if (f.current === name && !opts.force) throw new EngineError('conflict', `context "${name}" is in use, set -f flag to force remove`);
    delete f.contexts[name];
    if (f.current === name) delete f.current;
    this.write(f);
  }
}

/** docker's context store directory name for a context. */
export const dockerContextDir = (name: string): string => createHash('sha256').update(name).digest('hex');

export function resolveHost(
  g: { host?: string; context?: string; tls?: TlsOptions },
  env: NodeJS.ProcessEnv = process.env,
  store = new ContextStore(env),
): HostChoice {
  const envTls = tlsFromEnv(env);
  const tls = { ...envTls, ...(g.tls ?? {}) };
  if (g.host) {
    if (g.context) throw new EngineError('invalid', 'conflicting options: either specify --host or --context, not both');
    return { kind: 'docker', host: g.host, tls, via: '-H' };
  }
  const fromContext = (name: string): HostChoice => {
    if (name === DEFAULT_CONTEXT) return { kind: 'embedded', context: name };
    const c = store.get(name);
    return { kind: 'docker', host: c.host, tls: c.tls ?? {}, context: name, via: 'context' };
  };
  if (g.context) return fromContext(g.context);
  if (env.DOCKER_HOST) return { kind: 'docker', host: env.DOCKER_HOST, tls, via: 'DOCKER_HOST' };
  const envContext = env.BERTH_CONTEXT || env.DOCKER_CONTEXT;
  if (envContext) return fromContext(envContext);
  return fromContext(store.current());
}
