/**
 * docker build --cache-from, the classic builder's rule in its simple form: with cache sources
 * named, a cached step counts only when the state it yields (layers and history so far) is a
 * prefix of one of those images' chains. Named images that do not exist are no sources, so
 * naming only those gives no cache hits at all.
 */
import type { HistoryEntry } from '../image/oci.js';
import type { ImageStore } from '../image/store.js';
import type { Layer } from './build-state.js';

interface Chain {
  diffIds: string[];
  history: HistoryEntry[];
}

export class CacheSources {
  private constructor(private readonly chains: Chain[]) {}

  /** undefined when no source is named (an empty list too, as dockerd): the whole cache counts. */
  static of(store: ImageStore, refs: string[] | undefined): CacheSources | undefined {
    if (!refs?.length) return undefined;
    const chains: Chain[] = [];
    for (const ref of refs) {
      let row;
      try {
        row = store.tryResolve(ref);
      } catch {
        continue; // a malformed name names no image
      }
      if (!row) continue;
      const cfg = store.config(row.id);
      chains.push({ diffIds: cfg.rootfs.diff_ids, history: cfg.history ?? [] });
    }
    return new CacheSources(chains);
  }

  /** Whether a state of these layers and history lies on one source's chain. */
  allows(layers: Layer[], history: HistoryEntry[]): boolean {
    return this.chains.some(
      (c) =>
        layers.length <= c.diffIds.length &&
        history.length <= c.history.length &&
        layers.every((l, i) => l.diffId === c.diffIds[i]) &&
        history.every((h, i) => sameEntry(h, c.history[i]!)),
    );
  }
}

function sameEntry(a: HistoryEntry, b: HistoryEntry): boolean {
  return a.created_by === b.created_by && a.created === b.created && !!a.empty_layer === !!b.empty_layer;
}
