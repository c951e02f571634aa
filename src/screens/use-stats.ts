/**
 * Live stats: one sampler kept open (the engine reads cgroup files through fds it keeps open),
 * one pass per tick, and ONE React state update per pass — host CPU/memory for the header are
 * read in the same pass (every other tick), because each separate update is a separate Ink frame
 * and a frame costs more than the reading. Paused while the terminal is handed to a shell.
 */
import { useEffect, useState } from 'react';
import type { Engine, StatsSampler } from '../engine/api.js';
import { addPass, EMPTY_STATS, samplesPerMinute, type StatsState } from './stats-history.js';
import type { Clock } from './clock.js';
import type { HostStats, HostStatsSource } from './host-stats.js';

export interface LiveStats {
  stats: StatsState;
  host?: HostStats;
}

/** Host figures move slowly and cost a few ms to read; every other pass is plenty. */
const HOST_EVERY = 2;

export function useStats(engine: Engine, refreshMs: number, clock: Clock, enabled: boolean, hostSource?: HostStatsSource): LiveStats {
  const [live, setLive] = useState<LiveStats>({ stats: EMPTY_STATS });
  useEffect(() => {
    if (!enabled) return;
    let sampler: StatsSampler | undefined;
    let closed = false;
    let busy = false;
    let n = 0;
    const keep = samplesPerMinute(refreshMs);
    const pass = async () => {
      // A slow pass (a loaded host) skips ticks rather than piling them up.
      if (busy || closed) return;
      busy = true;
      try {
        sampler ??= await engine.containers.sampler();
        const readHost = hostSource && n++ % HOST_EVERY === 0;
        const [samples, host] = await Promise.all([sampler.sample(), readHost ? hostSource().catch(() => undefined) : undefined]);
        if (!closed) {
          setLive((prev) => {
            // Nothing running and nothing was: keep the old object, so React skips the frame.
            if (!samples.length && !prev.stats.byId.size && !host) return prev;
            return { stats: addPass(prev.stats, samples, keep), host: host ?? prev.host };
          });
        }
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
      void sampler?.close().catch(() => undefined);
    };
  }, [engine, refreshMs, clock, enabled, hostSource]);
  return live;
}
