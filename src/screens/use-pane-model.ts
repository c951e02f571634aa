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
import { containersSpec, containerShape, SPARK_WIDTH, type ContainerCtx, type ContainerRow } from './containers-view.js';
import { imagesSpec } from './images-view.js';
import { networksSpec } from './networks-view.js';
import { volumesSpec } from './volumes-view.js';
import { samplesPerMinute, type StatsState } from './stats-history.js';
import type { Resources } from './use-resources.js';
import { resolveIndex, type PaneState } from './use-pane-state.js';
import { withHost } from './host-column.js';
import { groupByProject, groupedSpec } from './project-groups.js';

/** The containers grouped by compose project (z / :group), and which projects are folded. */
export interface Grouping {
  on: boolean;
  collapsed: ReadonlySet<string>;
}

const NO_GROUPING: Grouping = { on: false, collapsed: new Set() };

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
  grouping: Grouping = NO_GROUPING,
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
  const grouped = grouping.on;
  const shape = useMemo(() => containerShape(res.containers, anyMarked, grouped), [res.containers, anyMarked, grouped]);
  const hosted = withHost(
    containersSpec(() => cctx, shape),
    showHost,
  );
  const specs: Record<PaneId, AnySpec> = {
    containers: (grouped ? groupedSpec(hosted, glyphs, showHost) : hosted) as AnySpec,
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
  // Filtering and sorting touch every row, so they are redone only when what they read changed:
  // the list, the view (filter, sort, direction), the host column (its sort and filter text),
  // and the stats only when the rows sort by CPU or memory. A stats tick that changes figures
  // costs the visible rows' cells, not a sort of 500 rows.
  const sortId = spec.sorts[ps.view.sort % spec.sorts.length]?.id;
  // (stats.byId is updated in place: its tick says a new pass came.)
  const byStats = pane === 'containers' && (sortId === 'cpu' || sortId === 'mem') ? stats.tick : undefined;
  const list = lists[pane];
  // The image and volume panes' filter text names the containers that use them.
  const related = pane === 'containers' ? undefined : res.containers;
  const viewed = useMemo(
    () => applyView(list, (pane === 'containers' ? hosted : spec) as AnySpec, ps.view, ctxs[pane]),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the inputs named above; spec and ctx are rebuilt per render from them
    [list, ps.view, pane, showHost, byStats, related],
  );
  const items = useMemo(
    () => (grouped && pane === 'containers' ? groupByProject(viewed as ContainerRow[], res.containers, grouping.collapsed) : viewed),
    [viewed, grouped, pane, res.containers, grouping.collapsed],
  );
  const keys = useMemo(
    () => items.map((i) => spec.key(i)),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- a key depends on the item and the spec's kind (grouped or not)
    [items, grouped],
  );
  const index = resolveIndex(ps, keys);
  return { specs, ctxs, lists, items, keys, index, current: index >= 0 ? items[index] : undefined };
}
