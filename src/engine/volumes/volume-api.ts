/**
 * Local volumes: a directory per volume under <root>/volumes/NAME/_data (docker's layout), a row
 * each, and container_volumes rows saying who uses which (a used volume cannot be removed).
 */
import { mkdirSync, rmSync, renameSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { DirEntry, PathStat, PruneFilters, VolumeApi, VolumeSummary } from '../api.js';
import { listScoped } from '../fs/list-dir.js';
import { boolPruneFilter, pruneFilter, VOLUME_PRUNE_FILTERS } from '../prune-filter.js';
import type { StateDb } from '../state/db.js';
import type { EnginePaths } from '../paths.js';
import { conflict, invalid, notFound } from '../errors.js';
import { matchLabel } from '../image/image-api.js';
import { recordEvent } from '../events/journal.js';
import { treeSize } from '../fs/tree-size.js';
import { copyFromVolume, copyToVolume, statInVolume } from './volume-copy.js';

interface VolumeRow {
  name: string;
  driver: string;
  created: string;
  labels: string;
  options: string;
  anonymous: number;
}

const NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

export class EmbeddedVolumes implements VolumeApi {
  constructor(
    private readonly db: StateDb,
    private readonly paths: EnginePaths,
  ) {}

  mountpoint(name: string): string {
    return join(this.paths.volumes, name, '_data');
  }

  private summary(r: VolumeRow): VolumeSummary {
    const labels = JSON.parse(r.labels) as Record<string, string> | null;
    const options = JSON.parse(r.options) as Record<string, string> | null;
    return {
      name: r.name,
      driver: r.driver,
      mountpoint: this.mountpoint(r.name),
      createdAt: r.created,
      labels: labels ?? {},
      options: options ?? {},
      ...(labels === null || options === null ? { unset: { labels: labels === null, options: options === null } } : {}),
      scope: 'local',
      usedBy: this.db.all<{ container_id: string }>('SELECT DISTINCT container_id FROM container_volumes WHERE volume = ?', r.name).map((x) => x.container_id),
    };
  }

  private row(name: string): VolumeRow | undefined {
    return this.db.get<VolumeRow>('SELECT * FROM volumes WHERE name = ?', name);
  }

  /** Creates the volume unless it exists (docker's create is idempotent for the same name). */
  ensure(name: string | undefined, opts: { labels?: Record<string, string>; options?: Record<string, string>; anonymous?: boolean } = {}): VolumeSummary {
    const n = name ?? randomBytes(32).toString('hex');
    if (!NAME.test(n))
      throw invalid(
        `"${n}" includes invalid characters for a local volume name, only "[a-zA-Z0-9][a-zA-Z0-9_.-]" are allowed. If you intended to pass a host directory, use absolute path`,
      );
    for (const k of Object.keys(opts.options ?? {})) {
      if (!['type', 'device', 'o'].includes(k)) throw invalid(`invalid option key: "${k}"`);
    }
    return this.db.tx(() => {
      const existing = this.row(n);
      if (existing) return this.summary(existing);
      // The directory first, then the row: a crash leaves at most an empty dir that prune sweeps.
      const tmp = join(this.paths.volumes, `.tmp-${process.pid}-${n}`);
      mkdirSync(join(tmp, '_data'), { recursive: true, mode: 0o755 });
      if (existsSync(join(this.paths.volumes, n))) rmSync(join(this.paths.volumes, n), { recursive: true, force: true });
      renameSync(tmp, join(this.paths.volumes, n));
      this.db.run(
        'INSERT INTO volumes (name, driver, created, labels, options, anonymous) VALUES (?, ?, ?, ?, ?, ?)',
        n,
        'local',
        new Date().toISOString(),
        JSON.stringify(opts.labels ?? null),
        JSON.stringify(opts.options ?? null),
        opts.anonymous ? 1 : 0,
      );
      recordEvent(this.db, { type: 'volume', action: 'create', id: n, attributes: { driver: 'local' } });
      return this.summary(this.row(n)!);
    });
  }

  async create(opts: { name?: string; driver?: string; labels?: Record<string, string>; options?: Record<string, string> } = {}): Promise<VolumeSummary> {
    if (opts.driver && opts.driver !== 'local') throw invalid(`volume driver "${opts.driver}" is not supported (only "local")`);
    return this.ensure(opts.name, { labels: opts.labels, options: opts.options });
  }

  async list(opts: { filters?: Record<string, string[]> } = {}): Promise<VolumeSummary[]> {
    let rows = this.db.all<VolumeRow>('SELECT * FROM volumes ORDER BY name').map((r) => this.summary(r));
    const f = opts.filters ?? {};
    if (f.dangling?.length) rows = rows.filter((v) => (v.usedBy.length === 0) === (f.dangling![0] === 'true'));
    if (f.name?.length) rows = rows.filter((v) => f.name!.some((n) => v.name.includes(n)));
    if (f.label?.length) rows = rows.filter((v) => f.label!.every((l) => matchLabel(v.labels, l)));
    return rows;
  }

  async inspect(name: string): Promise<VolumeSummary> {
    const r = this.row(name);
    if (!r) throw notFound(`get ${name}: no such volume`);
    return this.summary(r);
  }

  async listDir(name: string, path: string): Promise<DirEntry[]> {
    if (!this.row(name)) throw notFound(`get ${name}: no such volume`);
    const root = this.mountpoint(name);
    return listScoped(path, (p) => join(root, p), `volume ${name}`);
  }

  async stat(name: string, path: string): Promise<PathStat> {
    if (!this.row(name)) throw notFound(`get ${name}: no such volume`);
    return statInVolume(this.mountpoint(name), name, path);
  }

  async copyFrom(name: string, path: string): Promise<{ stream: Readable; stat: PathStat }> {
    if (!this.row(name)) throw notFound(`get ${name}: no such volume`);
    return copyFromVolume(this.mountpoint(name), name, path);
  }

  async copyTo(name: string, path: string, tar: Readable, opts: { copyUIDGID?: boolean } = {}): Promise<void> {
    if (!this.row(name)) throw notFound(`get ${name}: no such volume`);
    await copyToVolume(this.mountpoint(name), name, path, tar, opts);
  }

  /** Removes inside a transaction: refused while any container (running or not) uses it. */
  removeNow(name: string, force = false): void {
    this.db.tx(() => {
      const r = this.row(name);
      if (!r) {
        if (force) return;
        throw notFound(`get ${name}: no such volume`);
      }
      const users = this.summary(r).usedBy;
      if (users.length) throw conflict(`remove ${name}: volume is in use - [${users.join(', ')}]`);
      this.db.run('DELETE FROM volumes WHERE name = ?', name);
      recordEvent(this.db, { type: 'volume', action: 'destroy', id: name, attributes: { driver: 'local' } });
      rmSync(join(this.paths.volumes, name), { recursive: true, force: true });
    });
  }

  async remove(name: string, opts: { force?: boolean } = {}): Promise<void> {
    this.removeNow(name, opts.force);
  }

  /** docker ≥ 23: prune removes unused anonymous volumes; `all` also named ones. */
  async prune(opts: { all?: boolean; filters?: PruneFilters } = {}): Promise<{ deleted: string[]; spaceReclaimed: number }> {
    const filter = pruneFilter(opts.filters, VOLUME_PRUNE_FILTERS);
    const all = opts.all || boolPruneFilter(opts.filters, 'all') === true;
    const deleted: string[] = [];
    let spaceReclaimed = 0;
    for (const v of this.db.all<VolumeRow>('SELECT * FROM volumes')) {
      if (!all && !v.anonymous) continue;
      if (!filter.matches(v.created, (JSON.parse(v.labels) as Record<string, string> | null) ?? {})) continue;
      try {
        const size = treeSize(this.mountpoint(v.name)); // docker counts the data it frees
        this.removeNow(v.name);
        deleted.push(v.name);
        spaceReclaimed += size;
      } catch {
        /* in use */
      }
    }
    return { deleted, spaceReclaimed };
  }
}
