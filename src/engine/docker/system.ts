/** SystemApi over the Docker API: info, version, the events stream, prune. */
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
} from '../api.js';
import { type DockerClient, jsonLines } from './client.js';
import { imageDeleteEntries } from './images.js';
import { arr, engineKind, num, obj, optObj, str, strMap, strs } from './wire.js';

const TYPES = ['container', 'image', 'volume', 'network'] as const;

export function eventOf(v: unknown): EngineEvent | undefined {
  const o = optObj(v);
  const type = str(o.Type) as EngineEvent['type'];
  if (!TYPES.includes(type)) return undefined;
  const time = o.timeNano ? Math.floor(num(o.timeNano) / 1e6) : num(o.time) * 1000;
  const actor = optObj(o.Actor);
  const attributes = Object.fromEntries(Object.entries(optObj(actor.Attributes)).map(([k, v]) => [k, String(v)]));
  return { type, action: str(o.Action), id: str(actor.ID) || str(o.id), attributes, time };
}

export class DockerSystem implements SystemApi {
  constructor(private readonly c: DockerClient) {}

  async info(): Promise<EngineInfo> {
    const [raw, version] = await Promise.all([this.c.json('GET', '/info'), this.c.version()]);
    const o = obj(raw, 'info');
    return {
      name: str(o.Name),
      engine: engineKind(version),
      serverVersion: str(o.ServerVersion),
      operatingSystem: str(o.OperatingSystem),
      kernelVersion: str(o.KernelVersion),
      architecture: str(o.Architecture),
      ncpu: num(o.NCPU),
      memTotal: num(o.MemTotal),
      ociRuntime: str(o.DefaultRuntime, 'runc'),
      storageDriver: str(o.Driver),
      cgroupVersion: str(o.CgroupVersion) === '2' ? '2' : '1',
      cgroupDriver: str(o.CgroupDriver),
      rootDir: str(o.DockerRootDir),
      runRoot: '',
      containers: num(o.Containers),
      containersRunning: num(o.ContainersRunning),
      containersPaused: num(o.ContainersPaused),
      containersStopped: num(o.ContainersStopped),
      images: num(o.Images),
    };
  }

  async version(): Promise<VersionInfo> {
    const v = await this.c.version();
    return {
      version: v.Version,
      apiVersion: this.c.apiVersion,
      nodeVersion: process.version,
      os: v.Os,
      arch: v.Arch,
      components: v.Components.map((c) => ({ name: c.Name, version: c.Version })),
    };
  }

  /** One long-lived GET /events; the daemon pushes each change. */
  async *events(signal: AbortSignal, opts: EventsOptions = {}): AsyncIterable<EngineEvent> {
    const filters = { type: [...TYPES], ...opts.filters };
    const query: Record<string, string> = { filters: JSON.stringify(filters) };
    if (opts.since !== undefined) query.since = (opts.since / 1000).toFixed(3);
    if (opts.until !== undefined) query.until = (opts.until / 1000).toFixed(3);
    const res = await this.c.stream('GET', '/events', { query, signal });
    try {
      for await (const line of jsonLines(res)) {
        const e = eventOf(line);
        if (e) yield e;
      }
    } catch (e) {
      if (!signal.aborted) throw e;
    } finally {
      res.destroy();
    }
  }

  /** docker's `system prune`: the daemon's prune endpoints in docker's order, one report. */
  async prune(opts: { all?: boolean; volumes?: boolean } = {}): Promise<SystemPruneReport> {
    const c = optObj(await this.c.json('POST', '/containers/prune'));
    const n = optObj(await this.c.json('POST', '/networks/prune'));
    // docker ≥ 23 prunes only anonymous volumes unless asked for all (the filter is `all=true`).
    const v = opts.volumes ? optObj(await this.c.json('POST', '/volumes/prune')) : {};
    const i = optObj(await this.c.json('POST', '/images/prune', { query: { filters: JSON.stringify({ dangling: [opts.all ? 'false' : 'true'] }) } }));
    const b = optObj(await this.c.json('POST', '/build/prune', { query: opts.all ? { all: 'true' } : {} }));
    return {
      containersDeleted: strs(c.ContainersDeleted),
      networksDeleted: strs(n.NetworksDeleted),
      volumesDeleted: strs(v.VolumesDeleted),
      imagesDeleted: imageDeleteEntries(i.ImagesDeleted),
      buildCacheDeleted: strs(b.CachesDeleted),
      spaceReclaimed: num(c.SpaceReclaimed) + num(v.SpaceReclaimed) + num(i.SpaceReclaimed) + num(b.SpaceReclaimed),
    };
  }

  /** POST /build/prune: docker's `builder prune`. */
  async pruneBuildCache(opts: { all?: boolean; filters?: PruneFilters } = {}): Promise<BuildCachePruneReport> {
    const query: Record<string, string> = {};
    if (opts.all) query.all = 'true';
    if (opts.filters && Object.keys(opts.filters).length) query.filters = JSON.stringify(opts.filters);
    const b = optObj(await this.c.json('POST', '/build/prune', { query }));
    return { deleted: strs(b.CachesDeleted), spaceReclaimed: num(b.SpaceReclaimed) };
  }

  /** GET /system/df, read field by field (Podman and older daemons leave some out). */
  async df(): Promise<DockerDiskUsage> {
    const o = obj(await this.c.json('GET', '/system/df'), 'system df');
    return {
      LayersSize: num(o.LayersSize),
      Images: arr(o.Images, 'Images').map((v) => {
        const i = obj(v, 'image');
        return {
          Id: str(i.Id),
          ParentId: str(i.ParentId),
          RepoTags: strs(i.RepoTags),
          RepoDigests: strs(i.RepoDigests),
          Created: num(i.Created),
          Size: num(i.Size),
          SharedSize: num(i.SharedSize, -1),
          VirtualSize: num(i.VirtualSize, num(i.Size)),
          Labels: strMap(i.Labels),
          Containers: num(i.Containers, -1),
        };
      }),
      Containers: arr(o.Containers, 'Containers').map((v) => {
        const c = obj(v, 'container');
        return {
          Id: str(c.Id),
          Names: strs(c.Names),
          Image: str(c.Image),
          ImageID: str(c.ImageID),
          Command: str(c.Command),
          Created: num(c.Created),
          State: str(c.State),
          Status: str(c.Status),
          SizeRw: num(c.SizeRw),
          SizeRootFs: num(c.SizeRootFs),
          Labels: strMap(c.Labels),
          Mounts: arr(c.Mounts),
        };
      }),
      Volumes: arr(o.Volumes, 'Volumes').map((v) => {
        const x = obj(v, 'volume');
        const u = optObj(x.UsageData);
        return {
          Name: str(x.Name),
          Driver: str(x.Driver),
          Mountpoint: str(x.Mountpoint),
          CreatedAt: str(x.CreatedAt),
          Labels: strMap(x.Labels),
          Scope: str(x.Scope, 'local'),
          Options: strMap(x.Options),
          UsageData: { Size: num(u.Size, -1), RefCount: num(u.RefCount, -1) },
        };
      }),
      BuildCache: arr(o.BuildCache),
    };
  }
}
