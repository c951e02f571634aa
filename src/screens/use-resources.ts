/**
 * The four lists, loaded once and then refreshed only when something changed: on the engine's
 * events (debounced, so "die"+"stop" make one reload) and right after each dashboard action.
 * Nothing is polled on a timer: listing images every second would cost more than the stats.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ContainerSummary, Engine, EngineEvent, ImageSummary, NetworkSummary, VolumeSummary } from '../engine/api.js';

export type ResourceKind = 'containers' | 'images' | 'networks' | 'volumes';

export interface Resources {
  containers: readonly ContainerSummary[];
  images: readonly ImageSummary[];
  networks: readonly NetworkSummary[];
  volumes: readonly VolumeSummary[];
  loaded: boolean;
  error?: string;
}

const EMPTY: Resources = { containers: [], images: [], networks: [], volumes: [], loaded: false };
const ALL: readonly ResourceKind[] = ['containers', 'images', 'networks', 'volumes'];

/** Which lists an event makes stale. Container changes move "used by" counts elsewhere too. */
export function kindsFor(e: EngineEvent): ResourceKind[] {
  switch (e.type) {
    case 'container':
      return ['create', 'destroy', 'remove', 'rename'].includes(e.action) ? [...ALL] : ['containers'];
    case 'network':
      return ['networks', 'containers'];
    case 'image':
      return ['images'];
    case 'volume':
      return ['volumes'];
  }
}

export function useResources(engine: Engine, debounceMs = 30): { res: Resources; refresh: (kinds?: readonly ResourceKind[]) => Promise<void> } {
  const [res, setRes] = useState<Resources>(EMPTY);
  const alive = useRef(true);

  const load = useCallback(
    async (kind: ResourceKind): Promise<Partial<Resources>> => {
      switch (kind) {
        case 'containers':
          return { containers: await engine.containers.list({ all: true }) };
        case 'images':
          return { images: await engine.images.list() };
        case 'networks':
          return { networks: await engine.networks.list() };
        case 'volumes':
          return { volumes: await engine.volumes.list() };
      }
    },
    [engine],
  );

  // Refreshes overlap (events keep coming while a slow list is under way) and may finish out of
  // order: a list is shown only if no later-started refresh of the same kind was shown already,
  // or an old answer would overwrite a newer one and stay until the next change.
  const started = useRef(0);
  const shown = useRef<Partial<Record<ResourceKind, number>>>({});
  const refresh = useCallback(
    async (kinds: readonly ResourceKind[] = ALL) => {
      const seq = ++started.current;
      const wanted = [...new Set(kinds)];
      try {
        const parts = await Promise.all(wanted.map(async (k) => [k, await load(k)] as const));
        if (!alive.current) return;
        const fresh = parts.filter(([k]) => (shown.current[k] ?? 0) < seq);
        for (const [k] of fresh) shown.current[k] = seq;
        setRes((r) => Object.assign({}, r, ...fresh.map(([, p]) => p), { loaded: true, error: undefined }));
      } catch (e) {
        if (alive.current) setRes((r) => ({ ...r, loaded: true, error: (e as Error).message }));
      }
    },
    [load],
  );

  useEffect(() => {
    alive.current = true;
    const ac = new AbortController();
    const pending = new Set<ResourceKind>();
    let timer: NodeJS.Timeout | undefined;
    void refresh();
    void (async () => {
      try {
        for await (const e of engine.system.events(ac.signal)) {
          for (const k of kindsFor(e)) pending.add(k);
          timer ??= setTimeout(() => {
            timer = undefined;
            const kinds = [...pending];
            pending.clear();
            void refresh(kinds);
          }, debounceMs);
        }
      } catch (e) {
        if (!ac.signal.aborted && alive.current) setRes((r) => ({ ...r, error: `events: ${(e as Error).message}` }));
      }
    })();
    return () => {
      alive.current = false;
      ac.abort();
      if (timer) clearTimeout(timer);
    };
  }, [engine, refresh, debounceMs]);

  return { res, refresh };
}
