/**
 * The embedded engine: berth's own store and runtime, no daemon. One instance per process;
 * every berth process (CLI call, dashboard, conmon's cleanup hook) opens the same state.
 */
import { mkdirSync, chmodSync } from 'node:fs';
import type { ContainerApi, Engine, NetworkApi, VolumeApi } from './api.js';
import { EngineError } from './errors.js';
import { enginePaths, type EnginePaths } from './paths.js';
import { StateDb } from './state/db.js';
import { ImageStore } from './image/store.js';
import { EmbeddedImages } from './image/image-api.js';
import { EmbeddedSystem } from './system.js';
import { sweepStaging } from './image/staging.js';

export interface EmbeddedOptions {
  root?: string;
  runRoot?: string;
}

function notYet(area: string): never {
  throw new EngineError('unsupported', `${area} are not available in this build of the embedded engine`);
}

export class EmbeddedEngine implements Engine {
  readonly paths: EnginePaths;
  readonly db: StateDb;
  readonly store: ImageStore;
  readonly images: EmbeddedImages;
  readonly system: EmbeddedSystem;
  readonly containers: ContainerApi = new Proxy({} as ContainerApi, { get: () => () => notYet('containers') });
  readonly volumes: VolumeApi = new Proxy({} as VolumeApi, { get: () => () => notYet('volumes') });
  readonly networks: NetworkApi = new Proxy({} as NetworkApi, { get: () => () => notYet('networks') });

  constructor(opts: EmbeddedOptions = {}) {
    this.paths = enginePaths(opts);
    mkdirSync(this.paths.root, { recursive: true, mode: 0o700 });
    chmodSync(this.paths.root, 0o700); // state holds credentials and container data: root only
    mkdirSync(this.paths.runRoot, { recursive: true, mode: 0o700 });
    this.db = new StateDb(this.paths.db);
    this.store = new ImageStore(this.db, this.paths);
    sweepStaging(this.paths.tmp); // debris of operations whose process was killed
    this.images = new EmbeddedImages(this.store);
    this.system = new EmbeddedSystem({
      db: this.db,
      paths: this.paths,
      counts: () => ({ containers: 0, running: 0, paused: 0, images: this.store.images().length }),
      runtime: () => '/usr/sbin/runc',
      prune: async () => {
        const r = this.store.gc();
        return { spaceReclaimed: r.bytes, report: [] };
      },
    });
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
