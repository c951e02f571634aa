/**
 * The embedded engine: berth's own store and runtime, no daemon. One instance per process;
 * every berth process (CLI call, dashboard, conmon's cleanup hook) opens the same state.
 */
import { mkdirSync, chmodSync } from 'node:fs';
import type { BuildOptions, EmbeddedOps, Engine, SystemPruneReport } from './api.js';
import { enginePaths, type EnginePaths } from './paths.js';
import { StateDb } from './state/db.js';
import { ImageStore } from './image/store.js';
import { EmbeddedImages } from './image/image-api.js';
import { EmbeddedSystem } from './system.js';
import { BuildCache, pruneBuildCache } from './build/cache.js';
import { sweepStaging } from './image/staging.js';
import { EmbeddedVolumes } from './volumes/volume-api.js';
import { ContainerContext } from './containers/context.js';
import { provideRepairs } from './containers/repairs.js';
import { sweepGuard } from './containers/sweep-guard.js';
import { EmbeddedContainers } from './containers/container-api.js';
import { chooseRuntime } from './runtime/runtime.js';
import { EmbeddedNetworks } from './networks/network-api.js';
import { detectCgroups } from '../cgroups/detect.js';
import { limitHostFor, type LimitHost } from '../cgroups/limits.js';
import { requireRoot } from './root-required.js';
import { debug } from './log.js';

export interface EmbeddedOptions {
  root?: string;
  runRoot?: string;
}

export class EmbeddedEngine implements Engine {
  readonly paths: EnginePaths;
  readonly db: StateDb;
  readonly store: ImageStore;
  readonly images: EmbeddedImages;
  readonly volumes: EmbeddedVolumes;
  readonly system: EmbeddedSystem;
  private limitHost?: LimitHost;
  private ctx?: ContainerContext;
  private containerApi?: EmbeddedContainers;
  readonly networks: EmbeddedNetworks;
  /** reset() and containerExited(), typed for the CLI (Engine.embedded). */
  readonly embedded: EmbeddedOps = this;

  constructor(opts: EmbeddedOptions = {}) {
    requireRoot(); // before the state root is touched
    this.paths = enginePaths(opts);
    debug(`embedded engine: state root ${this.paths.root}, runtime root ${this.paths.runRoot}`);
    mkdirSync(this.paths.root, { recursive: true, mode: 0o700 });
    chmodSync(this.paths.root, 0o700); // state holds container data and credentials: root only
    mkdirSync(this.paths.runRoot, { recursive: true, mode: 0o700 });
    mkdirSync(this.paths.volumes, { recursive: true, mode: 0o700 });
    this.db = new StateDb(this.paths.db);
    this.store = new ImageStore(this.db, this.paths);
    sweepStaging(this.paths.tmp); // debris of operations whose process was killed
    this.images = new EmbeddedImages(this.store);
    this.volumes = new EmbeddedVolumes(this.db, this.paths);
    this.networks = new EmbeddedNetworks(this.db, this.paths, () => this.context().records);
    this.system = new EmbeddedSystem({
      db: this.db,
      paths: this.paths,
      counts: () => {
        const rows = this.db.all<{ state: string; n: number }>('SELECT state, count(*) AS n FROM containers GROUP BY state');
        const n = (s: string) => rows.find((r) => r.state === s)?.n ?? 0;
        return { containers: rows.reduce((a, r) => a + r.n, 0), running: n('running'), paused: n('paused'), images: this.store.images().length };
      },
      runtime: () => this.context().runc.cfg.binary,
      cgroupDriver: () => this.context().cgroupDriver,
      prune: (o) => this.prune(o),
      pruneBuildCache: (o) => pruneBuildCache(new BuildCache(this.paths.buildCache), (d) => !!this.store.layer(d), o),
      diskUsage: {
        images: () => this.images.list(),
        layers: (id) => this.store.layersOf(id).map((d) => ({ diffId: d, size: this.store.layer(d)?.size ?? 0 })),
        containers: () => this.containers.list({ all: true, size: true }),
        volumes: () => this.volumes.list(),
      },
    });
  }

  /** The container side is built on first use; it probes runc and cgroups when it first needs them. */
  context(): ContainerContext {
    if (!this.ctx) {
      this.ctx = new ContainerContext(
        this.db,
        this.paths,
        this.store,
        this.volumes,
        () => detectCgroups(),
        () => chooseRuntime().binary,
      );
      provideRepairs(() => import('./containers/lifecycle.js'));
      this.ctx.network = this.networks;
    }
    return this.ctx;
  }

  get containers(): EmbeddedContainers {
    this.containerApi ??= new EmbeddedContainers(this.context(), () => (this.limitHost ??= limitHostFor(this.context().cgroups)), this.networks);
    return this.containerApi;
  }

  /** Leftovers of killed berth processes: monitors, runtime states, cgroups, netns, half-removed networks. */
  async sweepDebris(): Promise<string> {
    const ctx = this.context();
    const running = new Set((await this.containers.list()).map((c) => c.id));
    const { removeDebris } = await import('./debris.js');
    const guard = sweepGuard(ctx, running);
    const r = await removeDebris({ paths: this.paths, layout: ctx.cgroups, runc: ctx.runc, guard });
    const netns = await this.networks.removeLeftovers([...running], guard);
    const networks = await this.networks.finishRemovals();
    const parts = [
      r.conmons && `${r.conmons} monitor(s)`,
      r.runtimeStates && `${r.runtimeStates} runtime state(s)`,
      r.cgroups && `${r.cgroups} cgroup(s)`,
      netns && `${netns} network namespace(s)`,
      networks && `${networks} removed network(s)' bridges and rules`,
    ].filter(Boolean);
    return parts.join(', ');
  }

  /** The builder runs RUN steps in this engine's containers; loaded when a build starts. */
  async build(opts: BuildOptions): Promise<string> {
    const { build } = await import('./build/builder.js');
    return build(this, opts);
  }

  /** conmon's exit command: record the exit, release the container, honour --rm/--restart. */
  async containerExited(id: string, runToken?: string): Promise<void> {
    const { cleanup } = await import('./containers/lifecycle.js');
    await cleanup(this.context(), id, true, runToken);
  }

  private async prune(o: { all?: boolean; volumes?: boolean }): Promise<SystemPruneReport> {
    const c = await this.containers.prune();
    const leftovers = await this.sweepDebris();
    const v = o.volumes ? await this.volumes.prune() : { deleted: [], spaceReclaimed: 0 };
    const networksDeleted = await this.networks.prune();
    const i = await this.images.prune({ all: o.all });
    const b = await this.system.pruneBuildCache({ all: o.all });
    return {
      containersDeleted: c.deleted,
      networksDeleted,
      volumesDeleted: v.deleted,
      imagesDeleted: i.entries ?? i.deleted.map((deleted) => ({ deleted })),
      buildCacheDeleted: b.deleted,
      spaceReclaimed: c.spaceReclaimed + v.spaceReclaimed + i.spaceReclaimed + b.spaceReclaimed,
      leftovers,
    };
  }

  /**
   * Removes everything of this state root (podman's `system reset`): containers, networks with
   * their host devices and rules, volumes, images, then the directories — unless something is
   * still mounted below them, which is unmounted first and never deleted through.
   */
  async reset(): Promise<void> {
    for (const c of this.context().records.all()) await this.containers.remove(c.id, { force: true, volumes: true }).catch(() => undefined);
    await this.networks.ensureBuiltins();
    for (const n of this.networks.rows.all()) {
      if (n.name === 'host' || n.name === 'none') continue;
      if (n.name === 'bridge') await this.networks.removeHost(n.id);
      else await this.networks.remove(n.id).catch(() => this.networks.removeHost(n.id));
    }
    for (const v of await this.volumes.list()) await this.volumes.remove(v.name, { force: true }).catch(() => undefined);
    await this.images.prune({ all: true });
    await this.sweepDebris();
    this.db.close();
    const { readFileSync, rmSync } = await import('node:fs');
    const { execFileSync } = await import('node:child_process');
    for (const dir of [this.paths.runRoot, this.paths.root]) {
      const below = readFileSync('/proc/self/mountinfo', 'utf8')
        .split('\n')
        .map((l) => l.split(' ')[4] ?? '')
        .filter((m) => m === dir || m.startsWith(`${dir}/`));
      for (const m of below.sort().reverse()) execFileSync('umount', ['-l', m]);
      rmSync(dir, { recursive: true, force: true });
    }
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
