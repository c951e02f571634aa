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

/** `keys` (parallel to `pass`) name the entries when ids alone are not unique (several hosts). */
export function addPass(
  prev: StatsState,
  pass: readonly StatsSample[],
  keep: number,
  keys?: readonly string[],
  historyLen = keep * HISTORY_MINUTES,
): StatsState {
  const tick = prev.tick + 1;
  const byId = new Map<string, ContainerStats>();
  const rings = prev.rings ?? new Map<string, StatsRing>();
  for (const [i, s] of pass.entries()) {
    const key = keys?.[i] ?? s.id;
    const old = prev.byId.get(key);
    let values: number[];
    let start: number;
    if (old && old.cpu.start + old.cpu.values.length === tick - 1) {
      values = old.cpu.values as number[];
      start = old.cpu.start;
    } else {
      // New, or missed passes (was stopped): start a fresh series at this tick.
      values = [];
      start = tick - 1;
    }
    values.push(s.cpuPercent ?? 0);
    if (values.length > keep) {
      const drop = values.length - keep;
      values.splice(0, drop);
      start += drop;
    }
    let history = rings.get(key);
    if (!history) rings.set(key, (history = new StatsRing(historyLen)));
    history.push(tick, s.cpuPercent ?? 0, s.memUsage, s.memLimit);
    byId.set(key, { sample: s, cpu: { values, start }, history });
  }
  // A container not seen for the whole window (removed, stopped long ago) lets its ring go.
  for (const [key, r] of rings) if (tick - r.last >= r.capacity) rings.delete(key);
  return { tick, byId, rings };
}
