/**
 * Live stats: one sampler kept open (the engine reads cgroup files through fds it keeps open),
 * one pass per tick, and ONE React state update per pass — host CPU/memory for the header are
 * read in the same pass (every other tick), because each separate update is a separate Ink frame
 * and a frame costs more than the reading. Paused while the terminal is handed to a shell.
 */
import { useEffect, useRef, useState } from 'react';
import type { Engine, StatsSampler } from '../engine/api.js';
import { addPass, EMPTY_STATS, samplesPerMinute, type StatsState } from './stats-history.js';
import type { Clock } from './clock.js';
import type { HostStats, HostStatsSource } from './host-stats.js';

export interface LiveStats {
  stats: StatsState;
  host?: HostStats;
}

/** Whether a pass changes anything on screen; false skips the React update (and the frame). */
export type Relevance = (prev: LiveStats, next: LiveStats) => boolean;

/** Host figures move slowly and cost a few ms to read; every other pass is plenty. */
const HOST_EVERY = 2;

export function useStats(
  engine: Engine,
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
): { live: LiveStats; relevance: { current: Relevance } } {
  // The readings live in a ref and are always recorded (the sparkline history must not have
  // holes); React is told only when the screen would change. Every Ink frame re-renders the
  // whole screen, so a pass that only moves off-screen rows, or any pass while the images pane
  // or a detail view is up, costs nothing but the sampling.
  const liveRef = useRef<LiveStats>({ stats: EMPTY_STATS });
  const relevance = useRef<Relevance>(() => true);
  const [, bump] = useState(0);
  // Pausing skips passes but keeps the sampler open: a new sampler's first reading has no CPU
  // rate, which would blank the CPU column for a tick after every shell.
  const enabledRef = useRef(enabled);
  enabledRef.current = enabled;
  useEffect(() => {
    let sampler: StatsSampler | undefined;
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
    const pass = async () => {
      // A slow pass (a loaded host) skips ticks rather than piling them up.
      if (busy || closed || !enabledRef.current || paused?.current) return;
      busy = true;
      try {
        // Not on the first pass: loading systeminformation would compete with the first frame.
        if (n++ % HOST_EVERY === 1) readHost();
        sampler ??= await engine.containers.sampler();
        const samples = await sampler.sample();
        const h = hostFresh ? host : undefined;
        hostFresh = false;
        const prev = liveRef.current;
        // Nothing running and nothing was: nothing to record or show.
        if (closed || (!samples.length && !prev.stats.byId.size && !h)) return;
        const next = { stats: addPass(prev.stats, samples, keep), host: h ?? prev.host };
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
      void sampler?.close().catch(() => undefined);
    };
  }, [engine, refreshMs, clock, hostSource, paused]);
  return { live: liveRef.current, relevance };
}
