/**
 * One host's four lists, kept current: loaded once, then reloaded only for what its events say
 * changed (debounced, so "die"+"stop" make one reload) and right after each dashboard action.
 * Nothing is polled on a timer. The events stream is reopened whenever it ends or fails (a
 * daemon restart ends it), with back-off, and the lists are reloaded then, since events may
 * have been missed meanwhile. A failure is also reported, so the host shows as disconnected
 * until the pool reaches it again. Not React: the resources hook owns one feed per host.
 */
import type { ContainerSummary, Engine, EngineEvent, ImageSummary, NetworkSummary, VolumeSummary } from '../engine/api.js';
import type { Hosted } from './hosts.js';

export type ResourceKind = 'containers' | 'images' | 'networks' | 'volumes';
export const ALL_KINDS: readonly ResourceKind[] = ['containers', 'images', 'networks', 'volumes'];

export interface HostLists {
  containers: readonly Hosted<ContainerSummary>[];
  images: readonly Hosted<ImageSummary>[];
  networks: readonly Hosted<NetworkSummary>[];
  volumes: readonly Hosted<VolumeSummary>[];
  loaded: boolean;
  error?: string;
}

/** Which lists an event makes stale. Container changes move "used by" counts elsewhere too. */
export function kindsFor(e: EngineEvent): ResourceKind[] {
  switch (e.type) {
    case 'container':
      return ['create', 'destroy', 'remove', 'rename', 'commit'].includes(e.action) ? [...ALL_KINDS] : ['containers'];
    case 'network':
      return ['networks', 'containers'];
    case 'image':
      return ['images'];
    case 'volume':
      return ['volumes'];
  }
}

export interface HostFeedOptions {
  /** The lists changed (or an error appeared). */
  onChange: () => void;
  /** The host failed in a way the pool should check (a list that failed, a broken stream). */
  onFail: (error: string) => void;
  debounceMs?: number;
  /** A list taking longer than this counts as a failure (a hung connection). */
  timeoutMs?: number;
  /** Waits before reopening the events stream: first, and longest (doubling in between). */
  backoffMs?: { min: number; max: number };
}

const EMPTY: HostLists = { containers: [], images: [], networks: [], volumes: [], loaded: false };

function deadline<T>(p: Promise<T>, ms: number): Promise<T> {
  let t: NodeJS.Timeout | undefined;
  return Promise.race([p, new Promise<T>((_, rej) => (t = setTimeout(() => rej(new Error(`no answer in ${ms / 1000} s`)), ms)))]).finally(() =>
    clearTimeout(t),
  );
}

export class HostFeed {
  lists: HostLists = EMPTY;
  private readonly ac = new AbortController();
  private started = 0;
  private readonly shown: Partial<Record<ResourceKind, number>> = {};
  private timer?: NodeJS.Timeout;
  private readonly pending = new Set<ResourceKind>();
  /** Times the events stream was (re)opened; tests read it. */
  eventStreams = 0;

  constructor(
    readonly host: string,
    readonly engine: Engine,
    private readonly opts: HostFeedOptions,
  ) {}

  get closed(): boolean {
    return this.ac.signal.aborted;
  }

  start(): void {
    void this.refresh();
    void this.follow();
  }

  private async load(kind: ResourceKind): Promise<Partial<HostLists>> {
    const host = this.host;
    const tag = <T extends object>(list: T[]): Hosted<T>[] => list.map((x) => ({ ...x, host }));
    const e = this.engine;
    switch (kind) {
      case 'containers':
        return { containers: tag(await e.containers.list({ all: true, restartCounts: true })) };
      case 'images':
        return { images: tag(await e.images.list()) };
      case 'networks':
        return { networks: tag(await e.networks.list()) };
      case 'volumes':
        return { volumes: tag(await e.volumes.list()) };
    }
  }

  /**
   * Reloads the given lists. Refreshes overlap (events keep coming while a slow list is under
   * way) and may finish out of order: a list is shown only if no later-started refresh of the
   * same kind was shown already, or an old answer would overwrite a newer one.
   */
  async refresh(kinds: readonly ResourceKind[] = ALL_KINDS): Promise<void> {
    const seq = ++this.started;
    const wanted = [...new Set(kinds)];
    try {
      const parts = await deadline(Promise.all(wanted.map(async (k) => [k, await this.load(k)] as const)), this.opts.timeoutMs ?? 15_000);
      if (this.closed) return;
      const fresh = parts.filter(([k]) => (this.shown[k] ?? 0) < seq);
      for (const [k] of fresh) this.shown[k] = seq;
      this.lists = Object.assign({}, this.lists, ...fresh.map(([, p]) => p), { loaded: true, error: undefined });
      this.opts.onChange();
    } catch (e) {
      if (this.closed) return;
      const msg = (e as Error).message;
      this.lists = { ...this.lists, loaded: true, error: msg };
      this.opts.onChange();
      this.opts.onFail(msg);
    }
  }

  private onEvent(e: EngineEvent): void {
    for (const k of kindsFor(e)) this.pending.add(k);
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      const kinds = [...this.pending];
      this.pending.clear();
      void this.refresh(kinds);
    }, this.opts.debounceMs ?? 30);
  }

  private async follow(): Promise<void> {
    const { min, max } = this.opts.backoffMs ?? { min: 1000, max: 30_000 };
    let wait = min;
    const signal = this.ac.signal;
    while (!signal.aborted) {
      this.eventStreams++;
      let failure: string | undefined;
      try {
        for await (const e of this.engine.system.events(signal)) {
          wait = min; // the stream works: the next drop waits the shortest time again
          this.onEvent(e);
        }
      } catch (e) {
        failure = (e as Error).message;
      }
      if (signal.aborted) return;
      // Ended (a daemon restart closes it) or failed: tell the pool if it failed, wait, reopen
      // and reload, since whatever changed meanwhile sent no event we saw.
      if (failure !== undefined) this.opts.onFail(`events: ${failure}`);
      await new Promise<void>((r) => {
        const onAbort = () => (clearTimeout(t), r());
        const t = setTimeout(() => (signal.removeEventListener('abort', onAbort), r()), wait);
        signal.addEventListener('abort', onAbort, { once: true });
      });
      wait = Math.min(max, wait * 2);
      if (!signal.aborted) void this.refresh();
    }
  }

  dispose(): void {
    this.ac.abort();
    if (this.timer) clearTimeout(this.timer);
  }
}
