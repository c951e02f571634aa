/** The embedded engine's ImageApi: the store's rows shaped as the API's summaries and documents. */
import type { Readable, Writable } from 'node:stream';
import { recordEvent } from '../events/journal.js';
import type {
  DockerImageInspect,
  ImageApi,
  ImageDeleteEntry,
  ImageHistoryEntry,
  ImagePruneReport,
  ImageRemoveReport,
  ImageSummary,
  ImportOptions,
  ProgressFn,
  PruneFilters,
  RegistryCredentials,
} from '../api.js';
import { conflict, invalid } from '../errors.js';
import { boolPruneFilter, IMAGE_PRUNE_FILTERS, pruneFilter } from '../prune-filter.js';
import { canonical, familiar, familiarRepository, isNameOnly, parseReference, repositoryOf } from './reference.js';
import type { ImageRow, ImageStore } from './store.js';
import type { HistoryEntry } from './oci.js';

export class EmbeddedImages implements ImageApi {
  constructor(private readonly store: ImageStore) {}

  private summary(row: ImageRow, config = this.store.config(row.id)): ImageSummary {
    return {
      id: row.id,
      repoTags: this.store.tagsOf(row.id).map(familiar),
      repoDigests: this.store.digestsOf(row.id).map(familiar),
      created: config.created ?? row.created,
      size: row.size,
      containers: this.store.imageUsers(row.id),
      labels: config.config?.Labels ?? {},
    };
  }

  async list(opts: { all?: boolean; filters?: Record<string, string[]> } = {}): Promise<ImageSummary[]> {
    const f = opts.filters ?? {};
    let rows = this.store.images().map((r) => this.summary(r));
    if (f.dangling?.length) {
      const want = f.dangling[0] === 'true';
      rows = rows.filter((r) => (r.repoTags.length === 0) === want);
    }
    if (f.reference?.length) {
      const pats = f.reference.map(globToRegExp);
      rows = rows.filter((r) => r.repoTags.some((t) => pats.some((p) => p.test(t) || p.test(t.replace(/:[^:/]*$/, '')))));
    }
    if (f.label?.length) rows = rows.filter((r) => f.label!.every((l) => matchLabel(r.labels, l)));
    return rows;
  }

  async inspect(ref: string): Promise<DockerImageInspect> {
    const row = this.store.resolve(ref);
    const cfg = this.store.config(row.id);
    const diffIds = this.store.layersOf(row.id);
    const top = diffIds.at(-1);
    return {
      Id: row.id,
      RepoTags: this.store.tagsOf(row.id).map(familiar),
      RepoDigests: this.store.digestsOf(row.id).map(familiar),
      Parent: '',
      Comment: cfg.comment ?? '',
      Created: cfg.created ?? row.created,
      DockerVersion: cfg.docker_version ?? '',
      Author: cfg.author ?? '',
      Config: cfg.config ?? {},
      Architecture: cfg.architecture,
      ...(cfg.variant ? { Variant: cfg.variant } : {}),
      Os: cfg.os,
      Size: row.size,
      GraphDriver: {
        Name: 'overlay',
        Data: top
          ? {
              LowerDir: diffIds
                .slice(0, -1)
                .reverse()
                .map((d) => this.store.diffDir(d))
                .join(':'),
              UpperDir: this.store.diffDir(top),
            }
          : {},
      },
      RootFS: { Type: 'layers', Layers: cfg.rootfs.diff_ids },
      Metadata: { LastTagTime: row.added },
    };
  }

  async history(ref: string): Promise<ImageHistoryEntry[]> {
    const row = this.store.resolve(ref);
    const cfg = this.store.config(row.id);
    const sizes = this.store.layersOf(row.id).map((d) => this.store.layer(d)?.size ?? 0);
    const hist: HistoryEntry[] = cfg.history?.length ? cfg.history : sizes.map(() => ({ created: cfg.created }));
    let li = 0;
    const entries = hist.map((h) => {
      const empty = h.empty_layer === true;
      const size = empty ? 0 : (sizes[li++] ?? 0);
      return { id: '<missing>', created: h.created ?? '', createdBy: h.created_by ?? '', size, comment: h.comment ?? '', emptyLayer: empty };
    });
    entries.reverse();
    if (entries[0]) entries[0].id = row.id;
    return entries;
  }

  async tag(source: string, target: string): Promise<void> {
    const t = parseReference(target);
    if (t.digest) throw invalid(`refusing to create a tag with a digest reference: ${target}`);
    const row = this.store.resolve(source);
    this.store.db.tx(() => {
      this.store.setTag(canonical(t), row.id);
      this.event('tag', row.id, familiar(canonical(t)));
    });
  }

  /** An image event as docker reports it: the image id as actor, its name as `name`. */
  private event(action: string, id: string, name?: string): void {
    recordEvent(this.store.db, { type: 'image', action, id, attributes: name ? { name } : {} });
  }

  // noPrune (docker's --no-prune: keep untagged parents) has nothing to keep here: images of
  // this store have no parent images (build and commit make layers, not intermediate images).
  async remove(ref: string, opts: { force?: boolean; noPrune?: boolean } = {}): Promise<ImageRemoveReport> {
    const row = this.store.resolve(ref);
    const tags = this.store.tagsOf(row.id);
    const byId = !tags.some((t) => sameName(ref, t));
    const report: ImageRemoveReport = { untagged: [], deleted: [] };
    const users = this.store.imageUsers(row.id);
    const short = row.id.slice(7, 19);
    this.store.db.tx(() => {
      if (!byId) {
        const name = tags.find((t) => sameName(ref, t))!;
        if (tags.length > 1 || (users > 0 && opts.force)) {
          this.store.untag(name);
          report.untagged.push(familiar(name));
          this.event('untag', row.id, familiar(name));
          return;
        }
        if (users > 0)
          throw conflict(`conflict: unable to remove repository reference "${ref}" (must force) - container is using its referenced image ${short}`);
      } else {
        if (tags.length > 1 && !opts.force)
          throw conflict(`conflict: unable to delete ${short} (must be forced) - image is referenced in multiple repositories`);
        if (users > 0) {
          if (!opts.force) throw conflict(`conflict: unable to delete ${short} (must be forced) - image is being used by a container`);
          for (const t of tags) this.store.untag(t);
          report.untagged.push(...tags.map(familiar));
          for (const t of tags) this.event('untag', row.id, familiar(t));
          return;
        }
      }
      for (const t of tags) this.store.untag(t);
      report.untagged.push(...tags.map(familiar));
      report.untagged.push(...this.store.digestsOf(row.id).map(familiar));
      for (const t of tags) this.event('untag', row.id, familiar(t));
      this.store.deleteImage(row.id);
      report.deleted.push(row.id);
      this.event('delete', row.id, tags[0] ? familiar(tags[0]) : row.id);
    });
    if (report.deleted.length) this.store.gc();
    return report;
  }

  async prune(opts: { all?: boolean; filters?: PruneFilters } = {}): Promise<ImagePruneReport> {
    const filter = pruneFilter(opts.filters, IMAGE_PRUNE_FILTERS);
    const all = opts.all || boolPruneFilter(opts.filters, 'dangling') === false;
    const deleted: string[] = [];
    const entries: ImageDeleteEntry[] = [];
    const labels = (id: string) => this.store.config(id).config?.Labels ?? {};
    this.store.db.tx(() => {
      for (const row of this.store.images()) {
        const tags = this.store.tagsOf(row.id);
        if ((tags.length > 0 && !all) || this.store.imageUsers(row.id) > 0 || !filter.matches(row.created, labels(row.id))) continue;
        for (const t of tags) this.store.untag(t);
        for (const t of tags) this.event('untag', row.id, familiar(t));
        this.store.deleteImage(row.id);
        deleted.push(row.id);
        entries.push(...tags.map((t) => ({ untagged: familiar(t) })), { deleted: row.id });
        this.event('delete', row.id, tags[0] ? familiar(tags[0]) : row.id);
      }
    });
    const { bytes } = this.store.gc();
    return { deleted, spaceReclaimed: bytes, entries };
  }

  // import/load/save pull in the tar libraries: loaded on use, so other commands start fast.
  async import(source: Readable | URL, opts?: ImportOptions): Promise<string> {
    const { importRootfs } = await import('./import.js');
    const { openUrl } = await import('./url-source.js');
    const id = await importRootfs(this.store, source instanceof URL ? await openUrl(source) : source, opts);
    this.event('import', id, opts?.reference ? familiar(canonical(parseReference(opts.reference))) : undefined);
    return id;
  }

  async load(source: Readable, progress?: ProgressFn): Promise<string[]> {
    const { loadArchive } = await import('./load.js');
    const loaded = await loadArchive(this.store, source, progress);
    for (const line of loaded) {
      const name = line.replace(/^Loaded image(?: ID)?: /, '');
      this.event('load', this.idOf(name) ?? name, name);
    }
    return loaded;
  }

  // The registry client loads only when a pull or push runs.
  async pullAllTags(repo: string, opts: { progress?: ProgressFn; credentials?: RegistryCredentials; signal?: AbortSignal } = {}): Promise<string[]> {
    const { listTags } = await import('../registry/tags.js');
    const r = parseReference(repo);
    if (!isNameOnly(repo)) throw invalid("tag can't be used with --all-tags/-a");
    const base = familiarRepository(repositoryOf(r));
    const pulled: string[] = [];
    for (const tag of await listTags(repo, opts)) {
      await this.pull(`${base}:${tag}`, opts);
      pulled.push(`${base}:${tag}`);
    }
    return pulled;
  }

  async pull(ref: string, opts: { platform?: string; progress?: ProgressFn; credentials?: RegistryCredentials; signal?: AbortSignal } = {}): Promise<string> {
    const { pullImage } = await import('../registry/pull.js');
    const id = await pullImage(this.store, ref, opts);
    // docker's pull event names the reference pulled
    this.event('pull', familiar(canonical(parseReference(ref))), familiar(canonical(parseReference(ref))));
    return id;
  }

  async push(ref: string, opts: { progress?: ProgressFn; chunkSize?: number; credentials?: RegistryCredentials } = {}): Promise<void> {
    const { pushImage } = await import('../registry/push.js');
    await pushImage(this.store, ref, opts);
    this.event('push', familiar(canonical(parseReference(ref))), familiar(canonical(parseReference(ref))));
  }

  async save(refs: string[], out: Writable): Promise<void> {
    if (refs.length === 0) throw invalid('save needs at least one image');
    const { saveImages } = await import('./save.js');
    await saveImages(this.store, refs, out);
    for (const r of refs) this.event('save', this.idOf(r) ?? r, r);
  }

  private idOf(ref: string): string | undefined {
    try {
      return this.store.resolve(ref).id;
    } catch {
      return undefined;
    }
  }
}

function sameName(ref: string, canonicalTag: string): boolean {
  try {
    const p = parseReference(ref);
    return !p.digest && canonical(p) === canonicalTag;
  } catch {
    return false;
  }
}

function globToRegExp(glob: string): RegExp {
  return new RegExp(
    `^${glob
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '[^/]*')
      .replace(/\?/g, '.')}$`,
  );
}

export function matchLabel(labels: Record<string, string>, filter: string): boolean {
  const eq = filter.indexOf('=');
  if (eq < 0) return filter in labels;
  return labels[filter.slice(0, eq)] === filter.slice(eq + 1);
}
