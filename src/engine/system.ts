/** The embedded engine's SystemApi: info, version, change events, prune. */
import { execFileSync } from 'node:child_process';
import { hostname, release, totalmem, cpus, arch } from 'node:os';
import { readFileSync, existsSync } from 'node:fs';
import type { DiskUsageSources } from './disk-usage.js';
import type {
  BuildCachePruneReport,
  PruneFilters,
  SystemPruneReport,
  DockerDiskUsage,
  EngineEvent,
  EngineInfo,
  EventsOptions,
  SystemApi,
  VersionInfo,
} from './api.js';
import { eventsAfter, seqAt, toEvent } from './events/journal.js';
import { matchesEventFilters, validateEventFilters } from './events/filters.js';
import type { StateDb } from './state/db.js';
import type { EnginePaths } from './paths.js';
import { API_VERSION, berthVersion } from './version.js';
import { ociArch } from './image/oci.js';

function osName(): string {
  try {
    const m = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(readFileSync('/etc/os-release', 'utf8'));
    if (m) return m[1]!;
  } catch {
    /* fall through */
  }
  return 'Linux';
}

function toolVersion(bin: string, args: string[]): string {
  try {
    const out = execFileSync(bin, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 2000 });
    return /(\d+\.\d+(\.\d+)?[\w.+~-]*)/.exec(out)?.[1] ?? 'unknown';
  } catch {
    return 'not installed';
  }
}

export interface SystemDeps {
  db: StateDb;
  paths: EnginePaths;
  counts(): { containers: number; running: number; paused: number; images: number };
  runtime(): string;
  /** The cgroup driver new containers get (src/cgroups/driver.ts). */
  cgroupDriver(): string;
  prune(opts: { all?: boolean; volumes?: boolean }): Promise<SystemPruneReport>;
  pruneBuildCache(opts: { all?: boolean; filters?: PruneFilters }): BuildCachePruneReport;
  /** What `system df` counts (disk-usage.ts). */
  diskUsage: DiskUsageSources;
}

export class EmbeddedSystem implements SystemApi {
  constructor(private readonly deps: SystemDeps) {}

  async info(): Promise<EngineInfo> {
    const c = this.deps.counts();
    const v2 = existsSync('/sys/fs/cgroup/cgroup.controllers');
    return {
      name: hostname(),
      engine: 'embedded',
      serverVersion: berthVersion(),
      operatingSystem: osName(),
      kernelVersion: release(),
      architecture: arch() === 'x64' ? 'x86_64' : arch(),
      ncpu: cpus().length,
      memTotal: totalmem(),
      ociRuntime: this.deps.runtime(),
      storageDriver: 'overlay',
      cgroupVersion: v2 ? '2' : '1',
      cgroupDriver: this.deps.cgroupDriver(),
      rootDir: this.deps.paths.root,
      runRoot: this.deps.paths.runRoot,
      containers: c.containers,
      containersRunning: c.running,
      containersPaused: c.paused,
      containersStopped: c.containers - c.running - c.paused,
      images: c.images,
    };
  }

  async version(): Promise<VersionInfo> {
    const rt = this.deps.runtime();
    return {
      version: berthVersion(),
      apiVersion: API_VERSION,
      nodeVersion: process.version,
      os: 'linux',
      arch: ociArch(),
      components: [
        { name: 'berth (embedded engine)', version: berthVersion() },
        { name: rt.split('/').pop() ?? rt, version: toolVersion(rt, ['--version']) },
        { name: 'conmon', version: toolVersion('conmon', ['--version']) },
      ],
    };
  }

  /**
   * Reads the event journal (events/journal.ts), which every berth process appends to: past
   * events first when `since` (or only `until`) asks for them, then new ones every 250 ms.
   */
  async *events(signal: AbortSignal, opts: EventsOptions = {}): AsyncIterable<EngineEvent> {
    const filters = opts.filters ?? {};
    validateEventFilters(filters);
    const db = this.deps.db;
    // docker: --until alone replays what it holds up to that time
    let last = opts.since !== undefined ? seqAt(db, opts.since) : opts.until !== undefined ? 0 : seqAt(db);
    while (!signal.aborted) {
      const rows = eventsAfter(db, last);
      for (const r of rows) {
        last = r.seq;
        if (opts.until !== undefined && r.time > opts.until) return;
        const e = toEvent(r);
        if (matchesEventFilters(e, filters)) yield e;
        if (signal.aborted) return;
      }
      if (opts.until !== undefined && Date.now() > opts.until) return;
      if (rows.length === 500) continue; // more history waiting
      await pause(signal, 250);
    }
  }

  prune(opts: { all?: boolean; volumes?: boolean } = {}): Promise<SystemPruneReport> {
    return this.deps.prune(opts);
  }

  async pruneBuildCache(opts: { all?: boolean; filters?: PruneFilters } = {}): Promise<BuildCachePruneReport> {
    return this.deps.pruneBuildCache(opts);
  }

  async df(): Promise<DockerDiskUsage> {
    const { diskUsage } = await import('./disk-usage.js');
    return diskUsage(this.deps.diskUsage);
  }
}

/** Waits `ms` or until `signal` aborts; the abort listener goes with its timer (left behind, one
 *  would pile up per poll for as long as a dashboard stays open). */
function pause(signal: AbortSignal, ms: number): Promise<void> {
  return new Promise<void>((r) => {
    const onAbort = () => {
      clearTimeout(t);
      r();
    };
    const t = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      r();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
