/**
 * Live stats: one sampler kept open per host on screen (the embedded engine reads cgroup files
 * through fds it keeps open; a remote daemon answers one-shot requests), one pass per tick over
 * all of them, and ONE React state update per pass — host CPU/memory for the header are read in
 * the same pass (every other tick), because each separate update is a separate Ink frame and a
 * frame costs more than the reading. A daemon is asked only for the containers that can be on
 * screen (`wanted`), not for stats of rows nobody sees; a sampler that reads every container
 * cheaply (the embedded engine's cgroup files) reads them all, for the graphs' history, up to
 * READ_ALL_UP_TO running containers: past that, it too reads only the rows that can be on screen,
 * so a tick costs with 500 containers what it costs with 50. A host that does not answer
 * within the pass's deadline keeps its last figures and is not waited for. Paused while the
 * terminal is handed to a shell.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { StatsSample, StatsSampler } from '../engine/api.js';
import { addPass, EMPTY_STATS, samplesPerMinute, type StatsState } from './stats-history.js';
import type { Clock } from './clock.js';
import type { HostStats, HostStatsSource } from './host-stats.js';
import { rowKey } from './hosts.js';
import type { HostSource } from './use-resources.js';

export interface LiveStats {
  /** Keyed by rowKey(host, container id). */
  stats: StatsState;
  host?: HostStats;
}

/** Whether a pass changes anything on screen; false skips the React update (and the frame). */
export type Relevance = (prev: LiveStats, next: LiveStats) => boolean;

/** One host's rows that can be on screen, and how many containers it runs in all. */
export interface HostWindow {
  readonly ids: readonly string[];
  readonly running: number;
}

/** Per host, the containers to sample; a host missing from the map (or no map) = all running. */
export type Wanted = ReadonlyMap<string, HostWindow> | undefined;

/**
 * Up to this many running containers, a sampler that reads all cheaply (~0.02 ms a container)
 * reads all, so every graph's history starts with the dashboard (100: ~2 ms a pass). Past it,
 * only the window: 500 would cost ~10 ms a pass, twice the rest of a tick.
 */
export const READ_ALL_UP_TO = 100;

/** Host figures move slowly and cost a few ms to read; every other pass is plenty. */
const HOST_EVERY = 2;

interface HostSampler {
  engine: HostSource['engine'];
  sampler?: StatsSampler;
  busy?: Promise<StatsSample[]>;
  last: StatsSample[];
  /** The last pass read only the window although the sampler reads all: past READ_ALL_UP_TO. */
  capped?: boolean;
}

export function useStats(
  sources: readonly HostSource[],
  refreshMs: number,
  clock: Clock,
  enabled: boolean,
  hostSource?: HostStatsSource,
  /**
   * Set synchronously while the terminal is handed to a shell: `enabled` arrives through a
   * render, and Ink renders nothing while suspended, so without this the sampler (and the
   * host reader's shell-outs) kept running for the whole shell session.
   */
  paused?: { readonly current: boolean },
  wanted?: { readonly current: Wanted },
): {
  live: LiveStats;
  relevance: { current: Relevance };
  /** Whether `host` is read whole each pass (false: only the rows asked for; undefined: not open yet). */
  readsAll: (host: string) => boolean | undefined;
} {
  // The readings live in a ref and are always recorded (the sparkline history must not have
  // holes); React is told only when the screen would change. Every Ink frame re-renders the
  // whole screen, so a pass that only moves off-screen rows, or any pass while the images pane
  // or a detail view is up, costs nothing but the sampling.
  const liveRef = useRef<LiveStats>({ stats: EMPTY_STATS });
  const relevance = useRef<Relevance>(() => true);
  const [, bump] = useState(0);
  // Pausing skips passes but keeps the samplers open: a new sampler's first reading has no CPU
  // rate, which would blank the CPU column for a tick after every shell.
  const enabledRef = useRef(enabled);
  enabledRef.current = enabled;
  const samplers = useRef(new Map<string, HostSampler>());
  const sourcesRef = useRef(sources);
  sourcesRef.current = sources;

  // Samplers of hosts that left the screen are closed; the others stay open across re-renders.
  const key = sources.map((s) => s.host).join('\u0000');
  useEffect(() => {
    const keep = new Set(sources.map((s) => s.host));
    for (const [host, s] of samplers.current) {
      const src = sources.find((x) => x.host === host);
      if (keep.has(host) && src?.engine === s.engine) continue;
      void s.sampler?.close().catch(() => undefined);
      samplers.current.delete(host);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `key` stands for the hosts
  }, [key, sources]);

  useEffect(() => {
    let closed = false;
    let busy = false;
    let n = 0;
    // Host figures are read beside the passes, never awaited by one: systeminformation's first
    // call takes ~0.5 s, which must not hold back the first CPU figures. The latest reading rides
    // along with the next pass's update.
    let host: HostStats | undefined;
    let hostFresh = false;
    const readHost = () => {
      hostSource?.().then(
        (h) => {
          host = h;
          hostFresh = true;
        },
        () => undefined,
      );
    };
    const keep = samplesPerMinute(refreshMs);
    // Row keys per host and id, made once: not a new string per container per pass.
    const rowKeys = new Map<string, Map<string, string>>();
    /** One host's readings, or its last ones when it is still busy with an earlier pass. */
    const sampleHost = async (src: HostSource): Promise<StatsSample[]> => {
      let s = samplers.current.get(src.host);
      if (!s || s.engine !== src.engine) {
        s = { engine: src.engine, last: [] };
        samplers.current.set(src.host, s);
      }
      const hs = s;
      if (!hs.busy) {
        const window = wanted?.current?.get(src.host);
        hs.busy = (async () => {
          if (!hs.sampler) {
            const opened = await src.engine.containers.sampler();
            // The host left the screen while its sampler was opening: close it, do not keep it.
            if (samplers.current.get(src.host) !== hs) {
              void opened.close().catch(() => undefined);
              return [];
            }
            hs.sampler = opened;
          }
          // A sampler that reads all cheaply reads all (up to READ_ALL_UP_TO): every
          // container's graph history then starts with the dashboard, not when its row
          // scrolls into view.
          hs.capped = !!hs.sampler.readsAll && !!window && window.running > READ_ALL_UP_TO;
          const ids = hs.sampler.readsAll && !hs.capped ? undefined : window?.ids;
          return hs.sampler.sample(ids ? [...ids] : undefined);
        })();
        hs.busy
          .then(
            (r) => (hs.last = r),
            () => (hs.last = []),
          )
          .finally(() => (hs.busy = undefined));
      }
      // A slow host must not hold back the others' figures: wait at most one period for it.
      let t: NodeJS.Timeout | undefined;
      const late = new Promise<StatsSample[]>((r) => (t = setTimeout(() => r(hs.last), Math.max(250, refreshMs))));
      try {
        return await Promise.race([hs.busy.catch(() => [] as StatsSample[]), late]);
      } finally {
        clearTimeout(t);
      }
    };
    const pass = async () => {
      // A slow pass (a loaded host) skips ticks rather than piling them up.
      if (busy || closed || !enabledRef.current || paused?.current) return;
      busy = true;
      try {
        // Not on the first pass: loading systeminformation would compete with the first frame.
        if (hostSource && n++ % HOST_EVERY === 1) readHost();
        const srcs = sourcesRef.current;
        const per = await Promise.all(srcs.map(sampleHost));
        const samples: StatsSample[] = [];
        const keys: string[] = [];
        per.forEach((list, i) => {
          const host = srcs[i]!.host;
          let cache = rowKeys.get(host);
          if (!cache) rowKeys.set(host, (cache = new Map()));
          // Removed containers' keys do not pile up over a long session.
          else if (cache.size > 2 * list.length + 64) cache.clear();
          for (const s of list) {
            samples.push(s);
            let k = cache.get(s.id);
            if (k === undefined) cache.set(s.id, (k = rowKey(host, s.id)));
            keys.push(k);
          }
        });
        const h = hostFresh ? host : undefined;
        hostFresh = false;
        const prev = liveRef.current;
        // Nothing running and nothing was: nothing to record or show.
        if (closed || (!samples.length && !prev.stats.byId.size && !h && (prev.host === undefined || hostSource))) return;
        const next = { stats: addPass(prev.stats, samples, keep, keys), host: hostSource ? (h ?? prev.host) : undefined };
        liveRef.current = next;
        if (relevance.current(prev, next)) bump((v) => v + 1);
      } catch {
        // A container vanishing mid-pass is normal; the next pass reads the new set.
      } finally {
        busy = false;
      }
    };
    void pass();
    const stop = clock.every(refreshMs, () => void pass());
    return () => {
      closed = true;
      stop();
    };
  }, [refreshMs, clock, hostSource, paused, wanted]);

  useEffect(
    () => () => {
      for (const s of samplers.current.values()) void s.sampler?.close().catch(() => undefined);
      samplers.current.clear();
    },
    [],
  );
  const readsAll = useCallback((host: string) => {
    const s = samplers.current.get(host);
    return s?.sampler ? !!s.sampler.readsAll && !s.capped : undefined;
  }, []);
  return { live: liveRef.current, relevance, readsAll };
}
