/**
 * What one sampler pass reports per container, declared here so that src/cgroups imports nothing
 * from the engine; the engine's StatsSample and StatsReading (src/engine/api.ts) are this type.
 */
export interface CgroupSample {
  id: string;
  name: string;
  /** Cumulative CPU time used by the container, nanoseconds. */
  cpuNs: number;
  /** Cumulative CPU time of the whole host (all cores), nanoseconds, at the same instant. */
  systemNs: number;
  onlineCpus: number;
  /** Memory as docker shows it: usage minus inactive file. */
  memUsage: number;
  /** The limit, or the host's memory when unlimited. */
  memLimit: number;
  netRx: number;
  netTx: number;
  blockRead: number;
  blockWrite: number;
  pids: number;
  /** When the reading was taken (ms since epoch). */
  at: number;
  /** Docker's CPU %: 100 % = one core fully used. null for the first reading. */
  cpuPercent: number | null;
  memPercent: number;
}
