/**
 * The build cache: for each step, a key chained like docker's (the parent's key, the
 * instruction as it will appear in the history, and for COPY/ADD the sources' content hash)
 * → what the step produced (its layer's diff id, if any, and its creation time, so a cached
 * rebuild yields the same image id). One small file per key under <root>/build-cache, written
 * by rename; an entry whose layer has left the store is a miss.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';

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

  put(key: string, e: CacheEntry): void {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const tmp = join(this.dir, `.${key}.${process.pid}`);
    writeFileSync(tmp, JSON.stringify(e));
    renameSync(tmp, join(this.dir, key));
  }
}
