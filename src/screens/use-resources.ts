/**
 * The four lists of the hosts on screen (one host, or every host in the all-hosts view), each
 * row tagged with its host. One HostFeed per host does the loading and event following; a host
 * that leaves (switched away, or disconnected) has its feed closed, and one that comes back gets
 * a new feed, which loads everything afresh. The merged lists are rebuilt only when a feed
 * changed.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ContainerSummary, Engine, ImageSummary, NetworkSummary, VolumeSummary } from '../engine/api.js';
import { ALL_KINDS, HostFeed, type ResourceKind } from './host-feed.js';
import type { Hosted } from './hosts.js';

export { kindsFor, type ResourceKind } from './host-feed.js';

export interface Resources {
  containers: readonly Hosted<ContainerSummary>[];
  images: readonly Hosted<ImageSummary>[];
  networks: readonly Hosted<NetworkSummary>[];
  volumes: readonly Hosted<VolumeSummary>[];
  /** Every host on screen has answered (or failed) once. */
  loaded: boolean;
  /** Hosts that have loaded. */
  loadedHosts: ReadonlySet<string>;
  /** The first host error, prefixed with the host's name when several are on screen. */
  error?: string;
}

export interface HostSource {
  host: string;
  engine: Engine;
}

export type Refresh = (kinds?: readonly ResourceKind[], host?: string) => Promise<void>;

export function useResources(
  sources: readonly HostSource[],
  onFail: (host: string, error: string) => void = () => undefined,
  debounceMs = 30,
): { res: Resources; refresh: Refresh } {
  const feeds = useRef(new Map<string, HostFeed>());
  const [version, setVersion] = useState(0);
  const failRef = useRef(onFail);
  failRef.current = onFail;

  const key = sources.map((s) => s.host).join('\u0000');
  useEffect(() => {
    const live = feeds.current;
    const keep = new Set<string>();
    for (const s of sources) {
      keep.add(s.host);
      const cur = live.get(s.host);
      if (cur && cur.engine === s.engine) continue;
      cur?.dispose();
      const feed: HostFeed = new HostFeed(s.host, s.engine, {
        debounceMs,
        onChange: () => !feed.closed && setVersion((v) => v + 1),
        onFail: (err) => !feed.closed && failRef.current(s.host, err),
      });
      live.set(s.host, feed);
      feed.start();
    }
    for (const [host, f] of live) {
      if (keep.has(host)) continue;
      f.dispose();
      live.delete(host);
    }
    setVersion((v) => v + 1);
    // `key` stands for the hosts in `sources`; an engine change is checked per feed above.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, sources, debounceMs]);
  useEffect(
    () => () => {
      for (const f of feeds.current.values()) f.dispose();
      feeds.current.clear();
    },
    [],
  );

  const res = useMemo<Resources>(() => {
    const list = [...feeds.current.values()];
    const several = list.length > 1;
    const err = list.find((f) => f.lists.error);
    return {
      containers: list.flatMap((f) => f.lists.containers),
      images: list.flatMap((f) => f.lists.images),
      networks: list.flatMap((f) => f.lists.networks),
      volumes: list.flatMap((f) => f.lists.volumes),
      loaded: list.length > 0 && list.every((f) => f.lists.loaded),
      loadedHosts: new Set(list.filter((f) => f.lists.loaded).map((f) => f.host)),
      ...(err ? { error: several ? `${err.host}: ${err.lists.error}` : err.lists.error } : {}),
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `version` marks a feed change
  }, [version]);

  const refresh = useCallback<Refresh>(async (kinds = ALL_KINDS, host) => {
    await Promise.all([...feeds.current.values()].filter((f) => host === undefined || f.host === host).map((f) => f.refresh(kinds)));
  }, []);

  return { res, refresh };
}
