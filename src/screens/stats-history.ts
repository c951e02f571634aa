/**
 * Live stats per container with the last minute of CPU % for the sparkline. Pure: the hook feeds
 * it one sampler pass per tick. Arrays are trimmed in place and entries replaced, so React sees
 * a new object only for containers that were sampled.
 */
import type { StatsSample } from '../engine/api.js';
import type { SparkSeries } from '../ui/sparkline.js';

export interface ContainerStats {
  sample: StatsSample;
  cpu: SparkSeries;
}

export interface StatsState {
  tick: number;
  byId: ReadonlyMap<string, ContainerStats>;
}

export const EMPTY_STATS: StatsState = { tick: 0, byId: new Map() };

export function samplesPerMinute(refreshMs: number): number {
  return Math.max(1, Math.round(60_000 / Math.max(1, refreshMs)));
}

/** `keys` (parallel to `pass`) name the entries when ids alone are not unique (several hosts). */
export function addPass(prev: StatsState, pass: readonly StatsSample[], keep: number, keys?: readonly string[]): StatsState {
  const tick = prev.tick + 1;
  const byId = new Map<string, ContainerStats>();
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
    byId.set(key, { sample: s, cpu: { values, start } });
  }
  return { tick, byId };
}
