/**
 * The build cache: for each step, a key chained like docker's (the parent's key, the
 * instruction as it will appear in the history, and for COPY/ADD the sources' content hash)
 * → what the step produced (its layer's diff id, if any, and its creation time, so a cached
 * rebuild yields the same image id). One small file per key under <root>/build-cache, written
 * by rename; an entry whose layer has left the store is a miss.
 *
 * The entries hold no layer bytes (a layer belongs to the store and goes with its last image),
 * so `builder prune` removes entries: without --all the dangling ones (their layer is gone, a
 * miss forever), with --all every one (the next build runs each step again).
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import type { BuildCachePruneReport, PruneFilters } from '../api.js';
import { pruneFilter } from '../prune-filter.js';

export interface CacheEntry {
  created: string;
  diffId?: string;
}

export function stepKey(parent: string, createdBy: string, extra = ''): string {
  return createHash('sha256').update(`${parent}\n${createdBy}\n${extra}`).digest('hex');
}

export class BuildCache {
  constructor(readonly dir: string) {}

  get(key: string): CacheEntry | undefined {
    try {
      const v = JSON.parse(readFileSync(join(this.dir, key), 'utf8')) as Partial<CacheEntry>;
      if (typeof v.created !== 'string') return undefined;
      if (v.diffId !== undefined && !/^sha256:[a-f0-9]{64}$/.test(v.diffId)) return undefined;
      return { created: v.created, ...(v.diffId ? { diffId: v.diffId } : {}) };
    } catch {
      return undefined;
    }
  }

  /** Removes the entries `remove` picks (by entry and its creation time); their keys and bytes. */
  prune(remove: (e: CacheEntry | undefined) => boolean): { deleted: string[]; spaceReclaimed: number } {
    const deleted: string[] = [];
    let spaceReclaimed = 0;
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch {
      return { deleted, spaceReclaimed }; // no build yet
    }
    for (const key of names) {
      if (!/^[a-f0-9]{64}$/.test(key)) continue; // a writer's temp file
      if (!remove(this.get(key))) continue;
      const path = join(this.dir, key);
      try {
        const size = statSync(path).size;
        rmSync(path);
        deleted.push(key);
        spaceReclaimed += size;
      } catch {
        /* removed by a concurrent prune */
      }
    }
    return { deleted, spaceReclaimed };
  }

  put(key: string, e: CacheEntry): void {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const tmp = join(this.dir, `.${key}.${process.pid}`);
    writeFileSync(tmp, JSON.stringify(e));
    renameSync(tmp, join(this.dir, key));
  }
}

export const BUILD_CACHE_PRUNE_FILTERS = ['until', 'label', 'label!'] as const;

/**
 * docker's `builder prune` over the cache: without `all` the dangling entries only; `until`
 * keeps the newer ones, and entries carry no labels (`label=…` matches none, `label!=…` all).
 * Filters are checked before anything is removed.
 */
export function pruneBuildCache(
  cache: BuildCache,
  hasLayer: (diffId: string) => boolean,
  opts: { all?: boolean; filters?: PruneFilters } = {},
): BuildCachePruneReport {
  const filter = pruneFilter(opts.filters, BUILD_CACHE_PRUNE_FILTERS);
  return cache.prune((e) => {
    if (!e) return true; // unreadable: a miss forever
    if (!opts.all && (e.diffId === undefined || hasLayer(e.diffId))) return false;
    return filter.matches(e.created, undefined);
  });
}
