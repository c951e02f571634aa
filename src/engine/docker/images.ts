/** ImageApi over the Docker API. */
import type { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
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
  RegistryCredentials,
  PruneFilters,
} from '../api.js';
import { EngineError, invalid } from '../errors.js';
import { isNameOnly } from '../image/reference.js';
import { type DockerClient, jsonLines } from './client.js';
import { historyEntry, imageInspect, imageSummary } from './map.js';
import { arr, num, optObj, str } from './wire.js';

const enc = encodeURIComponent;

/** "repo[:tag]" → repo and tag (a ':' after the last '/' is the tag; "host:5000/x" has none). */
export function splitReference(ref: string): { repo: string; tag: string } {
  const at = ref.indexOf('@');
  if (at >= 0) return { repo: ref.slice(0, at), tag: ref.slice(at + 1) };
  const colon = ref.lastIndexOf(':');
  if (colon > ref.lastIndexOf('/')) return { repo: ref.slice(0, colon), tag: ref.slice(colon + 1) };
  return { repo: ref, tag: 'latest' };
}

/** Reads a progress stream; throws the first error the daemon reports in it. */
export async function followProgress(stream: Readable, progress?: ProgressFn): Promise<Record<string, unknown>[]> {
  const all: Record<string, unknown>[] = [];
  for await (const line of jsonLines(stream)) {
    const o = optObj(line);
    all.push(o);
    const err = str(o.error) || str(optObj(o.errorDetail).message);
    if (err) throw new EngineError(/not found|does not exist|manifest unknown/i.test(err) ? 'not-found' : 'runtime', err);
    if (progress && (o.status || o.stream)) {
      const d = optObj(o.progressDetail);
      progress({
        id: str(o.id),
        status: str(o.status) || str(o.stream).trim(),
        ...(d.current !== undefined ? { current: num(d.current) } : {}),
        ...(d.total !== undefined ? { total: num(d.total) } : {}),
      });
    }
  }
  return all;
}

export class DockerImages implements ImageApi {
  constructor(private readonly c: DockerClient) {}

  async list(opts: { all?: boolean; filters?: Record<string, string[]> } = {}): Promise<ImageSummary[]> {
    const [images, containers] = await Promise.all([
      this.c.json('GET', '/images/json', { query: { all: opts.all, filters: opts.filters ? JSON.stringify(opts.filters) : undefined } }),
      this.c.json('GET', '/containers/json', { query: { all: true } }),
    ]);
    // Docker reports -1 containers unless asked for (costly) shared sizes: count them here.
    const uses = new Map<string, number>();
    for (const c of arr(containers)) {
      const id = str(optObj(c).ImageID);
      uses.set(id, (uses.get(id) ?? 0) + 1);
    }
    return arr(images).map((i) => imageSummary(i, uses.get(str(optObj(i).Id)) ?? 0));
  }

  async inspect(ref: string): Promise<DockerImageInspect> {
    return imageInspect(await this.c.json('GET', `/images/${enc(ref)}/json`));
  }

  async history(ref: string): Promise<ImageHistoryEntry[]> {
    return arr(await this.c.json('GET', `/images/${enc(ref)}/history`)).map(historyEntry);
  }

  async tag(source: string, target: string): Promise<void> {
    const { repo, tag } = splitReference(target);
    await this.c.json('POST', `/images/${enc(source)}/tag`, { query: { repo, tag } });
  }

  async remove(ref: string, opts: { force?: boolean; noPrune?: boolean } = {}): Promise<ImageRemoveReport> {
    const r = arr(await this.c.json('DELETE', `/images/${enc(ref)}`, { query: { force: opts.force, noprune: opts.noPrune } }));
    const untagged: string[] = [];
    const deleted: string[] = [];
    for (const x of r) {
      const o = optObj(x);
      if (o.Untagged) untagged.push(str(o.Untagged));
      if (o.Deleted) deleted.push(str(o.Deleted));
    }
    return { untagged, deleted };
  }

  async prune(opts: { all?: boolean; filters?: PruneFilters } = {}): Promise<ImagePruneReport> {
    const filters = { dangling: [opts.all ? 'false' : 'true'], ...opts.filters };
    const r = optObj(await this.c.json('POST', '/images/prune', { query: { filters: JSON.stringify(filters) } }));
    const entries = imageDeleteEntries(r.ImagesDeleted);
    const deleted = entries.flatMap((e) => ('deleted' in e ? [e.deleted] : []));
    return { deleted, spaceReclaimed: num(r.SpaceReclaimed), entries };
  }

  async import(source: Readable | URL, opts: ImportOptions = {}): Promise<string> {
    const ref = opts.reference ? splitReference(opts.reference) : undefined;
    const url = source instanceof URL;
    const res = await this.c.stream('POST', '/images/create', {
      // a URL the daemon downloads itself, as docker's CLI leaves it to dockerd
      query: { fromSrc: url ? source.href : '-', repo: ref?.repo, tag: ref?.tag, message: opts.message, changes: opts.changes, platform: opts.platform },
      ...(url ? {} : { file: source }),
    });
    const lines = await followProgress(res);
    const id = [...lines]
      .reverse()
      .map((l) => str(l.status))
      .find((s) => /^sha256:[0-9a-f]{64}$/.test(s));
    if (!id) throw new EngineError('runtime', 'the daemon did not report the imported image id');
    return id;
  }

  async load(source: Readable, progress?: ProgressFn): Promise<string[]> {
    const res = await this.c.stream('POST', '/images/load', { query: { quiet: false }, file: source, contentType: 'application/x-tar' });
    const lines = await followProgress(res, progress);
    const out: string[] = [];
    for (const l of lines) {
      const m = /^Loaded image(?: ID)?: (.+)$/m.exec(str(l.stream).trim());
      if (m) out.push(m[1]!.trim());
    }
    return out;
  }

  async save(refs: string[], out: Writable): Promise<void> {
    const res = await this.c.stream('GET', '/images/get', { query: { names: refs } });
    await pipeline(res, out);
  }

  async pull(ref: string, opts: { platform?: string; progress?: ProgressFn; credentials?: RegistryCredentials; signal?: AbortSignal } = {}): Promise<string> {
    const { repo, tag } = splitReference(ref);
    const signal = opts.signal;
    // A cancel closes the connection: the daemon stops a pull nobody waits for any more.
    try {
      const res = await this.c.stream('POST', '/images/create', {
        query: { fromImage: repo, tag, platform: opts.platform },
        auth: opts.credentials ?? {},
        ...(signal ? { signal } : {}),
      });
      await followProgress(res, opts.progress);
    } catch (e) {
      signal?.throwIfAborted();
      throw e;
    }
    signal?.throwIfAborted();
    return (await this.inspect(ref)).Id;
  }

  /** dockerd pulls every tag when the tag is left out; the tags are read from its progress. */
  async pullAllTags(repo: string, opts: { progress?: ProgressFn; credentials?: RegistryCredentials; signal?: AbortSignal } = {}): Promise<string[]> {
    if (!isNameOnly(repo)) throw invalid("tag can't be used with --all-tags/-a");
    const signal = opts.signal;
    const tags: string[] = [];
    try {
      const res = await this.c.stream('POST', '/images/create', { query: { fromImage: repo }, auth: opts.credentials ?? {}, ...(signal ? { signal } : {}) });
      await followProgress(res, (e) => {
        // dockerd starts each tag with {"status":"Pulling from library/busybox","id":"<tag>"}
        if (e.id && e.status.startsWith('Pulling from ')) tags.push(`${repo}:${e.id}`);
        opts.progress?.(e);
      });
    } catch (e) {
      signal?.throwIfAborted();
      throw e;
    }
    return tags;
  }

  async push(ref: string, opts: { progress?: ProgressFn; chunkSize?: number; credentials?: RegistryCredentials } = {}): Promise<void> {
    const { repo, tag } = splitReference(ref);
    const res = await this.c.stream('POST', `/images/${enc(repo)}/push`, { query: { tag }, auth: opts.credentials ?? {} });
    await followProgress(res, opts.progress);
  }
}

/** docker's ImagesDeleted list (`[{Untagged}|{Deleted}]`), in the daemon's order. */
export function imageDeleteEntries(v: unknown): ImageDeleteEntry[] {
  return arr(v).flatMap((x): ImageDeleteEntry[] => {
    const o = optObj(x);
    if (typeof o.Untagged === 'string' && o.Untagged) return [{ untagged: o.Untagged }];
    if (typeof o.Deleted === 'string' && o.Deleted) return [{ deleted: o.Deleted }];
    return [];
  });
}
