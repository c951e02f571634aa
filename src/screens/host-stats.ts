/**
 * Host CPU and memory for the header. Memory from systeminformation (imported lazily: it is
 * large), which reads /proc/meminfo. CPU from the first line of /proc/stat between two calls:
 * the figures systeminformation's currentLoad starts from, without the `cat /proc/stat | grep
 * cpu` shell pipeline it runs synchronously on every call, nor os.cpus()' per-core model and
 * frequency reads; this runs every second.
 */
import { readFileSync } from 'node:fs';

export interface HostStats {
  cpuPercent: number;
  memUsed: number;
  memTotal: number;
}

export type HostStatsSource = () => Promise<HostStats>;

interface CpuTimes {
  busy: number;
  total: number;
}

/** "cpu  user nice system idle iowait irq softirq steal …" (clock ticks, all cores). */
export function parseProcStat(text: string): CpuTimes {
  const f = text.slice(0, text.indexOf('\n')).trim().split(/\s+/).slice(1, 9).map(Number);
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = f.map((n) => (Number.isFinite(n) ? n : 0));
  const total = user + nice + system + idle + iowait + irq + softirq + steal;
  return { busy: total - idle - iowait, total };
}

function cpuTimes(): CpuTimes {
  return parseProcStat(readFileSync('/proc/stat', 'utf8'));
}

/** CPU % of the whole host (100 = all cores busy) since the previous call; since boot at first. */
export function hostCpuPercent(prev: CpuTimes | undefined, now: CpuTimes): number {
  const busy = now.busy - (prev?.busy ?? 0);
  const total = now.total - (prev?.total ?? 0);
  return total > 0 ? Math.min(100, Math.max(0, (busy / total) * 100)) : 0;
}

let last: CpuTimes | undefined;

export const systemHostStats: HostStatsSource = async () => {
  const si = await import('systeminformation');
  const mem = await si.mem();
  const now = cpuTimes();
  const cpuPercent = hostCpuPercent(last, now);
  last = now;
  // "active" is used minus buffers/cache, what `free` calls used.
  return { cpuPercent, memUsed: mem.active, memTotal: mem.total };
};
