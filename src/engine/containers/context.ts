/** What the container operations share: state, store, runtime and where things live. */
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import type { PortBinding } from '../api.js';
import type { StateDb } from '../state/db.js';
import type { EnginePaths } from '../paths.js';
import type { ImageStore } from '../image/store.js';
import type { EmbeddedVolumes } from '../volumes/volume-api.js';
import { Runc } from '../runtime/runc.js';
import { exitFilePath } from '../runtime/exit-file.js';
import type { CgroupLayout } from '../../cgroups/index.js';
import { CgroupDriverError, chooseCgroupDriver } from '../../cgroups/driver.js';
import type { CgroupDriver } from '../../cgroups/paths.js';
import { invalid } from '../errors.js';
import { ContainerRecords } from './records.js';
import { rootfsDirs, type RootfsDirs } from './rootfs.js';
import { exitHookPath } from '../install.js';

/** Plugged in by the networks layer; absent means only none/host/container: modes. */
export interface NetworkHooks {
  /** Sets up the container's network namespace before start; returns its path (or undefined for host). */
  setup(containerId: string): Promise<string | undefined>;
  /** Tears it down after exit (idempotent). */
  teardown(containerId: string): Promise<void>;
  /** Forgets the container entirely (rm). */
  release(containerId: string): Promise<void>;
  /** Rewrites every container's /etc/hosts (after a rename). */
  syncHosts(): Promise<void>;
  /** Its networks as inspect shows them, the ports it holds, its sandbox path. */
  describe(containerId: string): ContainerNetworkView;
  /** describe for every container that has an endpoint, in one pass (for listings). */
  describeAll(): Map<string, ContainerNetworkView>;
}

export interface ContainerNetworkView {
  networks: Record<
    string,
    { NetworkID: string; EndpointID: string; Gateway: string; IPAddress: string; IPPrefixLen: number; MacAddress: string; Aliases: string[] | null }
  >;
  ports: PortBinding[];
  sandboxKey: string;
}

/** Where a container's /etc files are (etc-files.ts writes them; inspect and cp name them). */
export interface EtcPaths {
  hostname: string;
  hosts: string;
  resolv: string;
}

export function etcPaths(dir: string): EtcPaths {
  return { hostname: join(dir, 'hostname'), hosts: join(dir, 'hosts'), resolv: join(dir, 'resolv.conf') };
}

export class ContainerContext {
  readonly records: ContainerRecords;
  network?: NetworkHooks;
  private runcOf?: Runc;
  private layout?: CgroupLayout;
  private driver?: CgroupDriver;

  /** The runtime binary and the cgroup layout are looked up on first use: a listing needs neither. */
  constructor(
    readonly db: StateDb,
    readonly paths: EnginePaths,
    readonly store: ImageStore,
    readonly volumes: EmbeddedVolumes,
    private readonly detectLayout: () => CgroupLayout,
    private readonly runtimeBinary: () => string,
  ) {
    this.records = new ContainerRecords(db);
    mkdirSync(paths.exits, { recursive: true, mode: 0o700 }); // run markers live there from the first start
  }

  get runc(): Runc {
    return (this.runcOf ??= new Runc({ binary: this.runtimeBinary(), root: this.paths.runc }));
  }

  get cgroups(): CgroupLayout {
    return (this.layout ??= this.detectLayout());
  }

  /** The cgroup driver new containers get (a container keeps the one it was created with). */
  get cgroupDriver(): CgroupDriver {
    try {
      return (this.driver ??= chooseCgroupDriver(this.cgroups));
    } catch (e) {
      throw e instanceof CgroupDriverError ? invalid(e.message) : e;
    }
  }

  dir(id: string): string {
    return join(this.paths.containers, id);
  }
  rootfs(id: string): RootfsDirs {
    return rootfsDirs(this.paths.containers, id);
  }
  /** The log of the default driver (k8s-file); a container's own driver and files: log-source.ts. */
  logPath(id: string): string {
    return join(this.dir(id), 'ctr.log');
  }
  exitFile(id: string): string {
    return exitFilePath(this.paths.exits, id);
  }
  /** Marker: the user stopped it, so a restart policy must not bring it back. */
  stoppedMarker(id: string): string {
    return join(this.dir(id), 'stopped-by-user');
  }

  /** The restart policy's current wait between runs, in ms (restart-backoff.ts). */
  restartDelayFile(id: string): string {
    return join(this.dir(id), 'restart-delay');
  }
  /** The process waiting out that delay while the container is "restarting" (its pid). */
  restarterFile(id: string): string {
    return join(this.dir(id), 'restarter');
  }

  /** The token of the last run whose release is complete (exit-hook.ts reads it). */
  releasedMarker(id: string): string {
    return join(this.dir(id), 'released-run');
  }

  /** The current run's token (see run-token.ts). */
  runTokenFile(id: string): string {
    return join(this.dir(id), 'run-token');
  }
  /** The container's host lock file (run start against run cleanup; src/net/cni-lock.ts). */
  lockFile(id: string): string {
    return join(this.paths.runRoot, 'locks', id);
  }
  /** Who froze the container for a commit (pid and start time). */
  pauseClaimFile(id: string): string {
    return join(this.paths.exits, `${id}.commit-pause`);
  }
  /** The foreground `run --rm` that removes the container once it read everything (pid and start time). */
  foregroundFile(id: string): string {
    return join(this.paths.exits, `${id}.foreground`);
  }
  /** Who is starting the container right now (pid and start time). */
  startingFile(id: string): string {
    return join(this.paths.exits, `${id}.starting`);
  }

  /**
   * The command conmon runs when the container exits: berth's own cleanup, same state root,
   * tagged with the run it belongs to so that it never touches a later run of the container.
   */
  exitCommand(id: string, runToken: string): string[] {
    return [process.execPath, '--disable-warning=ExperimentalWarning', exitHookPath, this.paths.root, this.paths.runRoot, id, runToken];
  }
}
