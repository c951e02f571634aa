/**
 * Host CPU and memory for the header. systeminformation is imported lazily (it is large) and
 * asked only for currentLoad and mem, which read /proc/stat and /proc/meminfo.
 */
export interface HostStats {
  cpuPercent: number;
  memUsed: number;
  memTotal: number;
}

export type HostStatsSource = () => Promise<HostStats>;

export const systemHostStats: HostStatsSource = async () => {
  const si = await import('systeminformation');
  const [load, mem] = await Promise.all([si.currentLoad(), si.mem()]);
  // "active" is used minus buffers/cache, what `free` calls used.
  return { cpuPercent: load.currentLoad, memUsed: mem.active, memTotal: mem.total };
};
