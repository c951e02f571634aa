/**
 * Live stats for the dashboard and `berth stats`: the hot path. Each tracked container keeps
 * its cgroup files (and its init process's net/dev) open; a pass re-reads them with positional
 * reads into one shared buffer and computes docker's figures.
 *
 * CPU % is docker's: Δcontainer CPU / Δhost CPU (/proc/stat) × online CPUs × 100, so 100 % is
 * one core; the first reading of a container has no previous one and reports null.
 * A container whose cgroup disappears (ENOENT/ENODEV on read) is dropped, not reported as an
 * error: containers stop while the dashboard watches.
 */
import { totalmem } from 'node:os';
import type { CgroupSample as StatsSample } from './sample-types.js';
import type { CgroupFiles } from './cgroup-files.js';
import { type CgroupLayout, detectCgroups } from './detect.js';
import { type CgroupRef, resolveDirs } from './paths.js';
import { type PreadFile, isGone } from './pread-file.js';
import { HostCpuReader, openNetDev, readNetDev } from './proc-stat.js';
import { openV1Files } from './v1.js';
import { openV2Files } from './v2.js';

export interface SamplerOptions {
  /** Detected from `root` when not given. */
  layout?: CgroupLayout;
  /** cgroup root for detection (tests point it at recorded trees). */
  root?: string;
  /** procfs root, for /proc/stat and /proc/<pid>/net/dev. */
  procRoot?: string;
  /** The memory limit shown for unlimited containers; the host's memory by default. */
  hostMemTotal?: number;
  /** Clock for the `at` field (ms). */
  now?: () => number;
  /** Told when a container's cgroup has gone and it was dropped. */
  onGone?: (id: string) => void;
}

interface Tracked {
  id: string;
  name: string;
  /** Resolved directories + pid: tracking the same again is a no-op. */
  key: string;
  files: CgroupFiles;
  net: PreadFile | null;
  prevCpuNs: number;
  prevSystemNs: number;
  hasPrev: boolean;
}

/** Large enough for /proc/stat on big hosts and v2 memory.stat; files are read whole into it. */
const BUFFER_SIZE = 64 * 1024;

export class CgroupSampler {
  readonly layout: CgroupLayout;
  private readonly procRoot: string;
  private readonly hostMem: number;
  private readonly now: () => number;
  private readonly onGone: ((id: string) => void) | undefined;
  private readonly buf = Buffer.allocUnsafe(BUFFER_SIZE);
  private readonly tracked = new Map<string, Tracked>();
  private host: HostCpuReader | null;

  constructor(opts: SamplerOptions = {}) {
    this.layout = opts.layout ?? detectCgroups(opts.root);
    this.procRoot = opts.procRoot ?? '/proc';
    this.hostMem = opts.hostMemTotal ?? totalmem();
    this.now = opts.now ?? Date.now;
    this.onGone = opts.onGone;
    this.host = new HostCpuReader(this.procRoot);
  }

  /**
   * Starts watching a container. `cgroup` is its cgroupsPath (as given to runc) or resolved
   * directories; `pid` its init process, for network bytes (without it net I/O reads 0).
   * Returns false when the cgroup does not exist (the container already stopped).
   * Idempotent: the engine may call it for every running container before each pass; the same
   * cgroup and pid keep their files and previous reading (and so their CPU %). A different one
   * (a restart: new pid) replaces the entry; a rename only updates the name.
   */
  track(id: string, name: string, cgroup: CgroupRef, pid?: number): boolean {
    if (!this.host) throw new Error('sampler is closed');
    const dirs = resolveDirs(this.layout, cgroup);
    const key = `${JSON.stringify(dirs)}|${pid ?? ''}`;
    const existing = this.tracked.get(id);
    if (existing && existing.key === key) {
      existing.name = name;
      return true;
    }
    this.untrack(id);
    const files = dirs.version === 2 ? openV2Files(dirs.dir) : openV1Files(dirs.byController);
    if (!files) return false;
    let net: PreadFile | null = null;
    if (pid !== undefined && pid > 0) {
      try {
        net = openNetDev(this.procRoot, pid);
      } catch {
        net = null; // e.g. EACCES: stats without network rather than no stats
      }
    }
    this.tracked.set(id, { id, name, key, files, net, prevCpuNs: 0, prevSystemNs: 0, hasPrev: false });
    return true;
  }

  untrack(id: string): void {
    const t = this.tracked.get(id);
    if (!t) return;
    t.files.close();
    t.net?.close();
    this.tracked.delete(id);
  }

  /** Ids currently tracked (dropped ones no longer appear). */
  ids(): string[] {
    return [...this.tracked.keys()];
  }

  /** One pass over every tracked container (or those in `ids`), in tracking order. */
  sample(ids?: string[]): StatsSample[] {
    if (!this.host) throw new Error('sampler is closed');
    const buf = this.buf;
    const { systemNs, onlineCpus } = this.host.read(buf);
    const at = this.now();
    const out: StatsSample[] = [];
    const targets = ids ? ids.map((id) => this.tracked.get(id)).filter((t): t is Tracked => t !== undefined) : this.tracked.values();
    for (const t of targets) {
      let raw;
      try {
        raw = t.files.read(buf);
      } catch (e) {
        if (!isGone(e)) throw e;
        this.untrack(t.id);
        this.onGone?.(t.id);
        continue;
      }
      let netRx = 0;
      let netTx = 0;
      if (t.net) {
        try {
          const n = readNetDev(t.net, buf);
          netRx = n.rx;
          netTx = n.tx;
        } catch {
          // The init process went away before its cgroup: keep the container, lose its net figures.
          t.net.close();
          t.net = null;
        }
      }
      let cpuPercent: number | null = null;
      if (t.hasPrev) {
        const cpuDelta = raw.cpuNs - t.prevCpuNs;
        const systemDelta = systemNs - t.prevSystemNs;
        cpuPercent = cpuDelta > 0 && systemDelta > 0 ? (cpuDelta / systemDelta) * onlineCpus * 100 : 0;
      }
      t.prevCpuNs = raw.cpuNs;
      t.prevSystemNs = systemNs;
      t.hasPrev = true;
      // docker shows the host's memory when unlimited, and never more than it.
      const memLimit = raw.memLimit === null ? this.hostMem : Math.min(raw.memLimit, this.hostMem);
      out.push({
        id: t.id,
        name: t.name,
        cpuNs: raw.cpuNs,
        systemNs,
        onlineCpus,
        memUsage: raw.memUsage,
        memLimit,
        netRx,
        netTx,
        blockRead: raw.blockRead,
        blockWrite: raw.blockWrite,
        pids: raw.pids,
        at,
        cpuPercent,
        memPercent: memLimit > 0 ? (raw.memUsage / memLimit) * 100 : 0,
      });
    }
    return out;
  }

  /** Closes every file. The sampler cannot be used afterwards. */
  close(): void {
    for (const id of [...this.tracked.keys()]) this.untrack(id);
    this.host?.close();
    this.host = null;
  }
}
