/** VolumeApi over the Docker API. */
import type { PruneFilters, VolumeApi, VolumeSummary } from '../api.js';
import type { DockerClient } from './client.js';
import { volumeSummary } from './map.js';
import { arr, num, optObj, str, strs } from './wire.js';

export class DockerVolumes implements VolumeApi {
  constructor(private readonly c: DockerClient) {}

  /** Volume name → ids of the containers mounting it (from one container list). */
  private async users(): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    for (const c of arr(await this.c.json('GET', '/containers/json', { query: { all: true } }))) {
      const o = optObj(c);
      for (const m of arr(o.Mounts)) {
        const name = str(optObj(m).Name);
        if (name && str(optObj(m).Type) === 'volume') (out.get(name) ?? out.set(name, []).get(name)!).push(str(o.Id));
      }
    }
    return out;
  }

  async create(opts: { name?: string; driver?: string; labels?: Record<string, string>; options?: Record<string, string> } = {}): Promise<VolumeSummary> {
    const v = await this.c.json('POST', '/volumes/create', {
      body: { Name: opts.name ?? '', Driver: opts.driver ?? 'local', Labels: opts.labels ?? {}, DriverOpts: opts.options ?? {} },
    });
    return volumeSummary(v, []);
  }

  async list(opts: { filters?: Record<string, string[]> } = {}): Promise<VolumeSummary[]> {
    const [r, users] = await Promise.all([
      this.c.json('GET', '/volumes', { query: { filters: opts.filters ? JSON.stringify(opts.filters) : undefined } }),
      this.users(),
    ]);
    return arr(optObj(r).Volumes).map((v) => volumeSummary(v, users.get(str(optObj(v).Name)) ?? []));
  }

  async inspect(name: string): Promise<VolumeSummary> {
    const [v, users] = await Promise.all([this.c.json('GET', `/volumes/${encodeURIComponent(name)}`), this.users()]);
    return volumeSummary(v, users.get(name) ?? []);
  }

  async remove(name: string, opts: { force?: boolean } = {}): Promise<void> {
    await this.c.json('DELETE', `/volumes/${encodeURIComponent(name)}`, { query: { force: opts.force } });
  }

  async prune(opts: { all?: boolean; filters?: PruneFilters } = {}): Promise<{ deleted: string[]; spaceReclaimed: number }> {
    // API ≥ 1.42 prunes only anonymous volumes unless all=true; older ones prune all unused.
    const f: PruneFilters = { ...(opts.all && this.c.atLeast('1.42') ? { all: ['true'] } : {}), ...opts.filters };
    const filters = Object.keys(f).length ? JSON.stringify(f) : undefined;
    const r = optObj(await this.c.json('POST', '/volumes/prune', { query: { filters } }));
    return { deleted: strs(r.VolumesDeleted), spaceReclaimed: num(r.SpaceReclaimed) };
  }
}
