/**
 * Several hosts at once, for the dashboard's host switcher and all-hosts view (issue 7): one
 * Engine per host, each probed in the background with a deadline, so a host that drops out is
 * marked down (and retried by itself) without any caller waiting on it. `containersOfAll`
 * answers from every host that answers within the deadline, with the host beside each row.
 * No UI here: screens subscribe with `onChange` and read `statuses()`.
 */
import type { ContainerSummary, Engine } from '../api.js';
import type { TlsOptions } from './endpoint.js';

export interface HostSpec {
  name: string;
  /** A docker host string; '' = the embedded engine (built by `embedded`). */
  host: string;
  tls?: TlsOptions;
}

export interface HostStatus {
  name: string;
  host: string;
  state: 'connecting' | 'up' | 'down';
  error?: string;
  /** When the state last changed (ms). */
  since: number;
}

export interface HostPoolOptions {
  /** Builds the embedded engine for a spec with host ''. */
  embedded?: () => Promise<Engine>;
  /** Per-request deadline for probes and all-hosts reads. */
  timeoutMs?: number;
  /** How often to probe (up hosts and down hosts alike: a down one reconnects by itself). */
  probeMs?: number;
}

export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let t: NodeJS.Timeout | undefined;
  return Promise.race([p, new Promise<T>((_, reject) => (t = setTimeout(() => reject(new Error(`${what}: no answer in ${ms} ms`)), ms)))]).finally(() => clearTimeout(t));
}

export class HostPool {
  private readonly engines = new Map<string, Promise<Engine>>();
  private readonly status = new Map<string, HostStatus>();
  private readonly listeners = new Set<() => void>();
  private timer?: NodeJS.Timeout;
  private readonly timeoutMs: number;

  constructor(
    readonly specs: HostSpec[],
    private readonly opts: HostPoolOptions = {},
  ) {
    this.timeoutMs = opts.timeoutMs ?? 3000;
    for (const s of specs) this.status.set(s.name, { name: s.name, host: s.host, state: 'connecting', since: Date.now() });
  }

  engine(name: string): Promise<Engine> {
    const spec = this.specs.find((s) => s.name === name);
    if (!spec) return Promise.reject(new Error(`no host named ${name}`));
    let e = this.engines.get(name);
    if (!e) {
      e = spec.host
        ? import('./engine.js').then(({ DockerEngine }) => new DockerEngine({ host: spec.host, tls: spec.tls }) as Engine)
        : (this.opts.embedded?.() ?? Promise.reject(new Error('no embedded engine in this pool')));
      this.engines.set(name, e);
    }
    return e;
  }

  statuses(): HostStatus[] {
    return this.specs.map((s) => this.status.get(s.name)!);
  }

  onChange(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private set(name: string, state: HostStatus['state'], error?: string): void {
    const cur = this.status.get(name)!;
    if (cur.state === state && cur.error === error) return;
    this.status.set(name, { ...cur, state, ...(error ? { error } : { error: undefined }), since: Date.now() });
    for (const l of this.listeners) l();
  }

  /** One probe of every host, in parallel; never throws. */
  async probe(): Promise<void> {
    await Promise.all(
      this.specs.map(async (s) => {
        try {
          const e = await this.engine(s.name);
          await withTimeout(e.system.version(), this.timeoutMs, s.name);
          this.set(s.name, 'up');
        } catch (err) {
          this.set(s.name, 'down', (err as Error).message);
        }
      }),
    );
  }

  /** Probes now and then every probeMs until close(). */
  start(): void {
    void this.probe();
    this.timer = setInterval(() => void this.probe(), this.opts.probeMs ?? 5000);
    this.timer.unref();
  }

  /** Containers of every host that answers in time; the others are marked down. */
  async containersOfAll(opts: { all?: boolean } = {}): Promise<{ host: string; container: ContainerSummary }[]> {
    const per = await Promise.all(
      this.specs.map(async (s) => {
        try {
          const list = await withTimeout((await this.engine(s.name)).containers.list(opts), this.timeoutMs, s.name);
          this.set(s.name, 'up');
          return list.map((container) => ({ host: s.name, container }));
        } catch (err) {
          this.set(s.name, 'down', (err as Error).message);
          return [];
        }
      }),
    );
    return per.flat();
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    const all = [...this.engines.values()];
    this.engines.clear();
    await Promise.all(all.map((e) => e.then((x) => x.close()).catch(() => undefined)));
  }
}
