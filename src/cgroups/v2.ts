/**
 * cgroup v2 stats files: one directory per container. cpu.stat exists even when the cpu
 * controller is not enabled for the cgroup; the others need their controller in the parent's
 * cgroup.subtree_control (runc enables them).
 */
import { join } from 'node:path';
import { type CgroupFiles, type RawCgroupReading, UNLIMITED_THRESHOLD, closeAll, openAll, withoutInactiveFile } from './cgroup-files.js';
import { flatKey, ioStatBytes, keyedUint, singleUint, startsWithMax } from './parse.js';

const USAGE_USEC = flatKey('usage_usec');
const INACTIVE_FILE = flatKey('inactive_file');

export function openV2Files(dir: string): CgroupFiles | null {
  const f = openAll({
    cpu: join(dir, 'cpu.stat'),
    memUsage: join(dir, 'memory.current'),
    memStat: join(dir, 'memory.stat'),
    memLimit: join(dir, 'memory.max'),
    pids: join(dir, 'pids.current'),
    io: join(dir, 'io.stat'),
  });
  if (!f.cpu) {
    // cpu.stat is in every non-root v2 cgroup: without it the directory is not (any more) there.
    closeAll(f);
    return null;
  }
  return {
    read(buf: Buffer): RawCgroupReading {
      const usec = f.cpu ? keyedUint(f.cpu.read(buf), USAGE_USEC) : undefined;
      let memUsage = 0;
      if (f.memUsage) {
        const usage = singleUint(f.memUsage.read(buf)) || 0;
        const inactive = f.memStat ? keyedUint(f.memStat.read(buf), INACTIVE_FILE) : undefined;
        memUsage = withoutInactiveFile(usage, inactive);
      }
      let memLimit: number | null = null;
      if (f.memLimit) {
        const b = f.memLimit.read(buf);
        const v = startsWithMax(b) ? NaN : singleUint(b);
        memLimit = Number.isNaN(v) || v >= UNLIMITED_THRESHOLD ? null : v;
      }
      const pids = f.pids ? singleUint(f.pids.read(buf)) : 0;
      const io = f.io ? ioStatBytes(f.io.read(buf)) : { read: 0, write: 0 };
      return {
        cpuNs: (usec ?? 0) * 1000,
        memUsage,
        memLimit,
        pids: Number.isNaN(pids) ? 0 : pids,
        blockRead: io.read,
        blockWrite: io.write,
      };
    },
    close() {
      closeAll(f);
    },
  };
}
