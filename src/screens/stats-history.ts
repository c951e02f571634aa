/**
 * Live stats per container with the last minute of CPU % for the sparkline, and the last minutes
 * of CPU and memory for the detail view's graphs (a ring per container, stats-ring.ts). The hook
 * feeds it one sampler pass per tick. Arrays are trimmed in place and entries replaced, so React
 * sees a new object only for containers that were sampled.
 */
import type { StatsSample } from '../engine/api.js';
import type { SparkSeries } from '../ui/sparkline.js';
import { StatsRing } from './stats-ring.js';

export interface ContainerStats {
  sample: StatsSample;
  cpu: SparkSeries;
  /** The graphs' history (the same ring from pass to pass, filled in place). */
  history: StatsRing;
}

export interface StatsState {
  tick: number;
  /** Containers of the last pass. */
  byId: ReadonlyMap<string, ContainerStats>;
  /** Every container sampled within the history window: its ring outlives a pass it missed. */
  rings?: Map<string, StatsRing>;
}

/** Minutes of CPU/memory history kept per container for the graphs. */
export const HISTORY_MINUTES = 10;

export const EMPTY_STATS: StatsState = { tick: 0, byId: new Map() };

export function samplesPerMinute(refreshMs: number): number {
  return Math.max(1, Math.round(60_000 / Math.max(1, refreshMs)));
}

/**
 * `keys` (parallel to `pass`) name the entries when ids alone are not unique (several hosts).
 *
 * Updated in place: the map, each container's entry and its series live from pass to pass, so a
 * pass over 500 containers allocates next to nothing. The dashboard keeps V8's young generation
 * small (v8-flags.ts) and every scavenge copies what is still young; entries made anew per pass
 * were all still young at the next one, which made each pass's garbage collection grow with the
 * number of containers. Who needs to see a new pass compares `tick`.
 */
export function addPass(
  prev: StatsState,
  pass: readonly StatsSample[],
  keep: number,
  keys?: readonly string[],
  historyLen = keep * HISTORY_MINUTES,
): StatsState {
  const tick = prev.tick + 1;
  const byId = (prev.byId === EMPTY_STATS.byId ? new Map() : prev.byId) as Map<string, ContainerStats & { pass?: number }>;
  const rings = prev.rings ?? new Map<string, StatsRing>();
  for (let i = 0; i < pass.length; i++) {
    const s = pass[i]!;
    const key = keys?.[i] ?? s.id;
    let entry = byId.get(key);
    const cpu = s.cpuPercent ?? 0;
    if (entry && entry.pass === tick - 1) {
      const series = entry.cpu as { values: number[]; start: number };
      series.values.push(cpu);
      if (series.values.length > keep) {
        // One value in, one out: shift moves the array in place (splice would allocate the removed part).
        while (series.values.length > keep) series.values.shift();
        series.start = tick - keep;
      }
      entry.sample = s;
    } else {
      // New, or missed passes (was stopped): start a fresh series at this tick.
      let history = rings.get(key);
      if (!history) rings.set(key, (history = new StatsRing(historyLen)));
      entry = { sample: s, cpu: { values: [cpu], start: tick - 1 }, history };
      byId.set(key, entry);
    }
    entry.pass = tick;
    entry.history.push(tick, cpu, s.memUsage, s.memLimit);
  }
  // Only the containers of this pass are listed; forEach allocates no entry pairs.
  byId.forEach((e, key) => {
    if (e.pass !== tick) byId.delete(key);
  });
  // A container not seen for the whole window (removed, stopped long ago) lets its ring go.
  rings.forEach((r, key) => {
    if (tick - r.last >= r.capacity) rings.delete(key);
  });
  return { tick, byId, rings };
}
