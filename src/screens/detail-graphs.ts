/**
 * CPU and memory history of the container on screen, for the graphs tab: the ring the
 * dashboard's stats passes fill for every container from its start (stats-ring.ts), so the
 * graphs show the last minutes as soon as the view opens. No sampler of its own.
 */
import type { ContainerStats } from './stats-history.js';
import type { GraphHistory } from './detail-tabs.js';

const EMPTY: GraphHistory = { cpu: [], mem: [], memLimit: 0, start: 0 };

export function graphHistory(stats: ContainerStats | undefined): GraphHistory {
  return stats ? stats.history.graph() : EMPTY;
}
