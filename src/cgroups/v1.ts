/**
 * cgroup v1 stats files. Each controller has its own hierarchy, so a container's files are
 * spread over several directories (cpuacct, memory, pids, blkio).
 */
import { join } from 'node:path';
import { type CgroupFiles, type RawCgroupReading, UNLIMITED_THRESHOLD, closeAll, openAll, withoutInactiveFile } from './cgroup-files.js';
import { blkioBytes, flatKey, keyedUint, singleUint } from './parse.js';
import { PreadFile } from './pread-file.js';

const TOTAL_INACTIVE_FILE = flatKey('total_inactive_file'); // hierarchical, as docker reads it

export function openV1Files(byController: Record<string, string>): CgroupFiles | null {
  // null where the controller is not mounted on this host
  const file = (c: string, name: string) => (byController[c] === undefined ? null : join(byController[c], name));
  const f = openAll({
    cpu: file('cpuacct', 'cpuacct.usage'),
    memUsage: file('memory', 'memory.usage_in_bytes'),
    memStat: file('memory', 'memory.stat'),
    memLimit: file('memory', 'memory.limit_in_bytes'),
    pids: file('pids', 'pids.current'),
    // The throttle layer counts all I/O whatever the scheduler (bfq/cfq stats miss some).
    io: file('blkio', 'blkio.throttle.io_service_bytes_recursive'),
  });
  if (!f.cpu && !f.memUsage) {
    // Neither CPU nor memory accounting: the cgroup does not exist (or never will have stats).
    closeAll(f);
    return null;
  }
  // Older kernels have only the flat file. Opened only then: a cgroupfs open costs ~70 µs, and
  // one-shot `stats` opens every file of every container.
  let io: PreadFile | null = f.io;
  try {
    if (!io && byController.blkio !== undefined) io = PreadFile.open(join(byController.blkio, 'blkio.throttle.io_service_bytes'));
  } catch (e) {
    closeAll(f);
    throw e;
  }

  return {
    read(buf: Buffer): RawCgroupReading {
      const cpuNs = f.cpu ? singleUint(f.cpu.read(buf)) || 0 : 0;
      let memUsage = 0;
      if (f.memUsage) {
        const usage = singleUint(f.memUsage.read(buf)) || 0;
        const inactive = f.memStat ? keyedUint(f.memStat.read(buf), TOTAL_INACTIVE_FILE) : undefined;
        memUsage = withoutInactiveFile(usage, inactive);
      }
      let memLimit: number | null = null;
      if (f.memLimit) {
        const v = singleUint(f.memLimit.read(buf));
        memLimit = Number.isNaN(v) || v >= UNLIMITED_THRESHOLD ? null : v;
      }
      const pids = f.pids ? singleUint(f.pids.read(buf)) : 0;
      const blk = io ? blkioBytes(io.read(buf)) : { read: 0, write: 0 };
      return { cpuNs, memUsage, memLimit, pids: Number.isNaN(pids) ? 0 : pids, blockRead: blk.read, blockWrite: blk.write };
    },
    close() {
      closeAll(f);
      if (io !== f.io) io?.close();
      io = null;
    },
  };
}
