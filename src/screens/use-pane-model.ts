/**
 * The rows of every pane as the user sees them: the lists from the engine, filtered and sorted by
 * the pane's view state, with the selection resolved to an index, and each pane's cell context
 * (live stats and sparkline renderer for containers, name lookups for the others).
 */
import { useCallback, useMemo } from 'react';
import type { Glyphs } from '../ui/glyphs.js';
import { sparkline, type SparkSeries } from '../ui/sparkline.js';
import type { PaneId } from './panes.js';
import { applyView, type PaneSpec } from './pane-spec.js';
import { containersSpec, containerShape, SPARK_WIDTH, type ContainerCtx } from './containers-view.js';
import { imagesSpec } from './images-view.js';
import { networksSpec } from './networks-view.js';
import { volumesSpec } from './volumes-view.js';
import { samplesPerMinute, type StatsState } from './stats-history.js';
import type { Resources } from './use-resources.js';
import { resolveIndex, type PaneState } from './use-pane-state.js';
import { withHost } from './host-column.js';

type AnySpec = PaneSpec<unknown, unknown>;

export interface PaneModel {
  specs: Record<PaneId, AnySpec>;
  ctxs: Record<PaneId, unknown>;
  lists: Record<PaneId, readonly unknown[]>;
  /** The active pane's visible items, keys, selected index and item. */
  items: readonly unknown[];
  keys: readonly string[];
  index: number;
  current: unknown;
}

/** `showHost`: the all-hosts view (a HOST column on every pane). */
export function usePaneModel(
  res: Resources,
  stats: StatsState,
  pane: PaneId,
  ps: PaneState,
  glyphs: Glyphs,
  refreshMs: number,
  showHost = false,
  marks?: ReadonlySet<string>,
): PaneModel {
  const perBucket = Math.max(1, Math.ceil(samplesPerMinute(refreshMs) / SPARK_WIDTH));
  const spark = useCallback(
    // Scale: 100 % = one core fully busy, the top of the line; more than a core clips.
    (s: SparkSeries) => sparkline(s, SPARK_WIDTH, perBucket, 100, glyphs.spark),
    [perBucket, glyphs],
  );
  // Uptimes and ages are shown in whole minutes or coarser, so reading the clock per render does
  // not make rows change every tick.
  const now = Date.now();
  const cctx: ContainerCtx = { stats: stats.byId, now, spark, ...(marks?.size ? { marks, markGlyph: glyphs.unicode ? '●' : '*' } : {}) };
  const anyMarked = !!marks?.size;
  const shape = useMemo(() => containerShape(res.containers, anyMarked), [res.containers, anyMarked]);
  const specs: Record<PaneId, AnySpec> = {
    containers: withHost(
      containersSpec(() => cctx, shape),
      showHost,
    ) as AnySpec,
    images: withHost(imagesSpec, showHost) as AnySpec,
    networks: withHost(networksSpec, showHost) as AnySpec,
    volumes: withHost(volumesSpec, showHost) as AnySpec,
  };
  const ctxs: Record<PaneId, unknown> = {
    containers: cctx,
    images: { now, containers: res.containers },
    networks: undefined,
    volumes: { containers: res.containers },
  };
  const lists: Record<PaneId, readonly unknown[]> = { containers: res.containers, images: res.images, networks: res.networks, volumes: res.volumes };
  const spec = specs[pane];
  const items = applyView(lists[pane], spec, ps.view, ctxs[pane]);
  const keys = items.map((i) => spec.key(i));
  const index = resolveIndex(ps, keys);
  return { specs, ctxs, lists, items, keys, index, current: index >= 0 ? items[index] : undefined };
}
