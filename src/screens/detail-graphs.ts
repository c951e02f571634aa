/**
 * CPU and memory history of the container on screen, for the graphs tab. It reads the
 * dashboard's own stats passes (no sampler of its own): CPU starts from the minute the list
 * already kept, memory from when the view opened; up to `keepMinutes` are kept while it is open.
 */
import { useRef } from 'react';
import type { ContainerStats } from './stats-history.js';
import type { GraphHistory } from './detail-tabs.js';

export function useGraphHistory(stats: ContainerStats | undefined, perMinute: number, keepMinutes = 10): GraphHistory {
  const ref = useRef<{ h: GraphHistory; lastAt: number } | undefined>(undefined);
  if (stats) {
    const keep = perMinute * keepMinutes;
    if (!ref.current) {
      // Seed CPU with the minute the list kept; memory has only the current reading (-1 = no
      // sample: the sparkline leaves it blank).
      const cpu = [...stats.cpu.values];
      const mem = [...Array<number>(Math.max(0, cpu.length - 1)).fill(-1), stats.sample.memUsage];
      ref.current = { h: { cpu, mem, memLimit: stats.sample.memLimit, start: stats.cpu.start }, lastAt: stats.sample.at };
    } else if (stats.sample.at !== ref.current.lastAt) {
      const h = ref.current.h;
      h.cpu.push(stats.sample.cpuPercent ?? 0);
      h.mem.push(stats.sample.memUsage);
      h.memLimit = stats.sample.memLimit;
      ref.current.lastAt = stats.sample.at;
      if (h.cpu.length > keep) {
        const drop = h.cpu.length - keep;
        h.cpu.splice(0, drop);
        h.mem.splice(0, drop);
        h.start += drop;
      }
    }
  }
  return ref.current?.h ?? { cpu: [], mem: [], memLimit: 0, start: 0 };
}
