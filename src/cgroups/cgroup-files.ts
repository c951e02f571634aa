/**
 * What the sampler reads from one container's cgroup, whatever the version. v1.ts and v2.ts
 * open the version's files once; `read` re-reads them all into the shared buffer.
 */
import { PreadFile } from './pread-file.js';

export interface RawCgroupReading {
  cpuNs: number;
  /** Usage minus inactive file cache, as docker shows it. */
  memUsage: number;
  /** null = unlimited (the sampler substitutes the host's memory, as docker does). */
  memLimit: number | null;
  pids: number;
  blockRead: number;
  blockWrite: number;
}

export interface CgroupFiles {
  /** Throws the read error; ENOENT/ENODEV mean the cgroup is gone. */
  read(buf: Buffer): RawCgroupReading;
  close(): void;
}

/** v1 writes "unlimited" as the largest page-aligned int64 (9223372036854771712); v2 writes "max". */
export const UNLIMITED_THRESHOLD = 2 ** 62;

/** Opens each path (null where missing, or where the controller is not mounted: a null path);
 *  on an unexpected error closes what it had opened. */
export function openAll<K extends string>(paths: Record<K, string | null>): Record<K, PreadFile | null> {
  const out = {} as Record<K, PreadFile | null>;
  try {
    for (const k of Object.keys(paths) as K[]) {
      const p = paths[k];
      out[k] = p === null ? null : PreadFile.open(p);
    }
  } catch (e) {
    closeAll(out);
    throw e;
  }
  return out;
}

export function closeAll(files: Record<string, PreadFile | null | undefined>): void {
  for (const f of Object.values(files)) f?.close();
}

/** Docker's "usage minus inactive file", only when the cache figure is below the usage. */
export function withoutInactiveFile(usage: number, inactiveFile: number | undefined): number {
  return inactiveFile !== undefined && inactiveFile < usage ? usage - inactiveFile : usage;
}
