/** The embedded engine's SystemApi: info, version, change events, prune. */
import { execFileSync } from 'node:child_process';
import { hostname, release, totalmem, cpus, arch } from 'node:os';
import { readFileSync, existsSync } from 'node:fs';
import type { EngineEvent, EngineInfo, SystemApi, VersionInfo } from './api.js';
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
  prune(opts: { all?: boolean; volumes?: boolean }): Promise<{ spaceReclaimed: number; report: string[] }>;
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

  /** Polls SQLite's data_version (it changes on every commit by another connection): cheap. */
  async *events(signal: AbortSignal): AsyncIterable<EngineEvent> {
    let last = this.deps.db.dataVersion();
    while (!signal.aborted) {
      await new Promise<void>((r) => {
        // The abort listener goes with its timer: left behind, one would pile up per poll
        // (4 a second, for as long as a dashboard stays open).
        const onAbort = () => {
          clearTimeout(t);
          r();
        };
        const t = setTimeout(() => {
          signal.removeEventListener('abort', onAbort);
          r();
        }, 250);
        signal.addEventListener('abort', onAbort, { once: true });
      });
      if (signal.aborted) return;
      const v = this.deps.db.dataVersion();
      if (v !== last) {
        last = v;
        yield { type: 'container', action: 'change', id: '', time: Date.now() };
      }
    }
  }

  prune(opts: { all?: boolean; volumes?: boolean } = {}): Promise<{ spaceReclaimed: number; report: string[] }> {
    return this.deps.prune(opts);
  }
}
