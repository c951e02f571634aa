/**
 * Host-side counters from procfs: the host's CPU time (the denominator of docker's CPU %) and a
 * container's network bytes (from its init process's network namespace).
 */
import { join } from 'node:path';
import { PreadFile } from './pread-file.js';
import { netDevBytes, procStat } from './parse.js';

/** USER_HZ. Linux fixes it at 100 for userspace on every architecture docker supports. */
export const CLK_TCK = 100;

export interface HostCpu {
  /** Total host CPU time, all cores, in ns (docker's system_cpu_usage). */
  systemNs: number;
  onlineCpus: number;
}

export class HostCpuReader {
  private file: PreadFile;

  constructor(procRoot = '/proc') {
    const f = PreadFile.open(join(procRoot, 'stat'));
    if (!f) throw new Error(`${join(procRoot, 'stat')} not found`);
    this.file = f;
  }

  read(buf: Buffer): HostCpu {
    const { ticks, onlineCpus } = procStat(this.file.read(buf));
    return { systemNs: (ticks * 1e9) / CLK_TCK, onlineCpus };
  }

  close(): void {
    this.file.close();
  }
}

/**
 * /proc/<pid>/net/dev of a container's init process. The open file keeps referring to the
 * network namespace it was opened in (so a recycled pid never shows someone else's traffic),
 * and keeps that namespace alive: the sampler closes it as soon as the container goes.
 */
export function openNetDev(procRoot: string, pid: number): PreadFile | null {
  return PreadFile.open(join(procRoot, String(pid), 'net', 'dev'));
}

export function readNetDev(file: PreadFile, buf: Buffer): { rx: number; tx: number } {
  return netDevBytes(file.read(buf));
}
