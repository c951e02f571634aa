/**
 * Several hosts at once, for the dashboard's host switcher and all-hosts view (issue 7): one
 * Engine per host, each probed in the background with a deadline, so a host that drops out is
 * marked down without any caller waiting on it, and is retried by itself with back-off (1 s,
 * 2 s, 4 s … up to 30 s) until it answers again. Callers that notice a failure first (a list that
 * timed out, an events stream that ended) `report` it, which marks the host down at once.
 * No UI here: screens subscribe with `onChange` and read `statuses()`.
 */
import { hostname } from 'node:os';
import type { ContainerSummary, Engine } from '../api.js';
import type { TlsOptions } from '../docker/endpoint.js';

export interface HostSpec {
  name: string;
  /** A docker host string; '' = the embedded engine (built by `embedded`). */
  host: string;
  tls?: TlsOptions;
  /** Shown beside the name ("embedded", "ssh://admin@prod1"); defaults to the host string. */
  label?: string;
}

export interface HostStatus {
  name: string;
  host: string;
  label: string;
  /** This machine: the embedded engine, or a unix socket whose daemon names itself as this machine does. */
  local: boolean;
  state: 'connecting' | 'up' | 'down';
  error?: string;
  /** When the state last changed (ms). */
  since: number;
  /** While down: when the next reconnection attempt is due (ms). */
  retryAt?: number;
}

export interface HostPoolOptions {
  /** Builds the embedded engine for a spec with host ''. */
  embedded?: () => Promise<Engine>;
  /** Per-request deadline for probes and all-hosts reads. */
  timeoutMs?: number;
  /** How often an up host is probed. */
  probeMs?: number;
  /** First and longest wait before retrying a down host (doubling in between). */
  backoffMs?: { min: number; max: number };
}

export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let t: NodeJS.Timeout | undefined;
  return Promise.race([p, new Promise<T>((_, reject) => (t = setTimeout(() => reject(new Error(`${what}: no answer in ${ms} ms`)), ms)))]).finally(() =>
    clearTimeout(t),
  );
}

/** A host string that names a socket on this machine. */
export function isLocalHost(host: string): boolean {
  return host === '' || host.startsWith('unix://') || host.startsWith('/');
}

interface Entry {
  engine: Promise<Engine>;
  /** A cheap request that proves the daemon answers now (not a cached answer). */
  ping: (signal: AbortSignal) => Promise<void>;
}

export class HostPool {
  private readonly entries = new Map<string, Entry>();
  private readonly status = new Map<string, HostStatus>();
  private readonly listeners = new Set<() => void>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly failures = new Map<string, number>();
  private readonly probing = new Map<string, Promise<void>>();
  private readonly localChecked = new Set<string>();
  private started = false;
  private closed = false;
  private readonly timeoutMs: number;
  private readonly probeMs: number;
  private readonly backoff: { min: number; max: number };

  constructor(
    readonly specs: HostSpec[],
    private readonly opts: HostPoolOptions = {},
  ) {
    this.timeoutMs = opts.timeoutMs ?? 3000;
    this.probeMs = opts.probeMs ?? 5000;
    this.backoff = opts.backoffMs ?? { min: 1000, max: 30_000 };
    const seen = new Set<string>();
    for (const s of specs) {
      if (seen.has(s.name)) throw new Error(`two hosts named ${s.name}`);
      seen.add(s.name);
      this.status.set(s.name, { name: s.name, host: s.host, label: s.label ?? s.host, local: s.host === '', state: 'connecting', since: Date.now() });
    }
  }

  private spec(name: string): HostSpec {
    const spec = this.specs.find((s) => s.name === name);
    if (!spec) throw new Error(`no host named ${name}`);
    return spec;
  }

  private entry(name: string): Entry {
    let e = this.entries.get(name);
    if (e) return e;
    const spec = this.spec(name);
    if (spec.host) {
      const docker = import('../docker/engine.js').then(({ DockerEngine }) => new DockerEngine({ host: spec.host, tls: spec.tls }));
      e = { engine: docker, ping: async (signal) => (await docker).client.ping(signal) };
    } else {
      // In-process: it answers whenever it could be opened at all.
      const embedded = this.opts.embedded?.() ?? Promise.reject(new Error('no embedded engine in this pool'));
      e = { engine: embedded, ping: async () => void (await embedded) };
    }
    // An engine that could not even be built (a bad host string, state not writable) is built
    // again on the next attempt rather than failing forever.
    e.engine.catch(() => this.entries.get(name) === e && this.entries.delete(name));
    this.entries.set(name, e);
    return e;
  }

  engine(name: string): Promise<Engine> {
    try {
      return this.entry(name).engine;
    } catch (err) {
      return Promise.reject(err);
    }
  }

  statuses(): HostStatus[] {
    return this.specs.map((s) => this.status.get(s.name)!);
  }

  onChange(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private set(name: string, state: HostStatus['state'], error?: string, retryAt?: number): void {
    const cur = this.status.get(name)!;
    if (cur.state === state && cur.error === error && cur.retryAt === retryAt) return;
    this.status.set(name, { ...cur, state, error, retryAt, since: cur.state === state ? cur.since : Date.now() });
    for (const l of this.listeners) l();
  }

  private schedule(name: string, ms: number): void {
    if (this.closed || !this.started) return;
    clearTimeout(this.timers.get(name));
    const t = setTimeout(() => void this.probeOne(name), ms);
    t.unref();
    this.timers.set(name, t);
  }

  private down(name: string, error: string): void {
    const n = (this.failures.get(name) ?? 0) + 1;
    this.failures.set(name, n);
    const wait = Math.min(this.backoff.max, this.backoff.min * 2 ** (n - 1));
    this.set(name, 'down', error, this.started ? Date.now() + wait : undefined);
    this.schedule(name, wait);
  }

  private up(name: string): void {
    this.failures.delete(name);
    this.set(name, 'up');
    this.schedule(name, this.probeMs);
    this.checkLocal(name);
  }

  /**
   * A unix socket is on this machine, but the daemon behind it may not be (a VM's socket
   * forwarded here, as Docker Desktop does): it counts as local only if it names itself as
   * this machine does, so the dashboard never passes this machine's figures off as its.
   */
  private checkLocal(name: string): void {
    const spec = this.spec(name);
    if (!spec.host || !isLocalHost(spec.host) || this.localChecked.has(name)) return;
    this.localChecked.add(name);
    void this.engine(name)
      .then((e) => withTimeout(e.system.info(), this.timeoutMs, name))
      .then(
        (info) => {
          const cur = this.status.get(name)!;
          const local = info.name === hostname();
          if (cur.local !== local) {
            this.status.set(name, { ...cur, local });
            for (const l of this.listeners) l();
          }
        },
        () => this.localChecked.delete(name),
      );
  }

  /** Probes one host now (one probe at a time per host); never throws. */
  probeOne(name: string): Promise<void> {
    const running = this.probing.get(name);
    if (running) return running;
    const p = (async () => {
      const ac = new AbortController();
      try {
        await withTimeout(this.entry(name).ping(ac.signal), this.timeoutMs, name);
        if (!this.closed) this.up(name);
      } catch (err) {
        ac.abort();
        if (!this.closed) this.down(name, (err as Error).message);
      } finally {
        this.probing.delete(name);
      }
    })();
    this.probing.set(name, p);
    return p;
  }

  /** One probe of every host, in parallel; never throws. */
  async probe(): Promise<void> {
    await Promise.all(this.specs.map((s) => this.probeOne(s.name)));
  }

  /**
   * A caller saw this host fail (a request timed out, its events stream broke): it is probed at
   * once rather than at the next tick, and shown down (reconnecting with back-off) if the probe
   * fails too. A failure the daemon answered (an API error) leaves a host that answers up, so
   * one refused request does not make a working host flap.
   */
  report(name: string, _error: string): void {
    if (this.closed || !this.status.has(name)) return;
    void this.probeOne(name);
  }

  /** Try a down host now (the user asked for it), resetting its back-off. */
  retry(name: string): Promise<void> {
    this.failures.delete(name);
    return this.probeOne(name);
  }

  /** Probes every host now, then up hosts every probeMs and down hosts with back-off, until close(). */
  start(): void {
    if (this.started) return;
    this.started = true;
    void this.probe();
  }

  /** Containers of every host that answers in time; the others are marked down. */
  async containersOfAll(opts: { all?: boolean } = {}): Promise<{ host: string; container: ContainerSummary }[]> {
    const per = await Promise.all(
      this.specs.map(async (s) => {
        try {
          const list = await withTimeout((await this.engine(s.name)).containers.list(opts), this.timeoutMs, s.name);
          if (this.status.get(s.name)!.state !== 'up') this.up(s.name);
          return list.map((container) => ({ host: s.name, container }));
        } catch (err) {
          this.down(s.name, (err as Error).message);
          return [];
        }
      }),
    );
    return per.flat();
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    const all = [...this.entries.values()];
    this.entries.clear();
    await Promise.all(all.map((e) => e.engine.then((x) => x.close()).catch(() => undefined)));
  }
}
