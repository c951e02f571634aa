/**
 * Would a stats pass change the screen? Compares the text of the container rows that can be on
 * screen (a window around the selection, twice the pane's height so it covers any scroll offset)
 * as rendered now with the same rows under the new readings. The header's host figures count
 * too. Sorting by CPU or memory can reorder anything, so then every pass renders.
 */
import type { ContainerSummary } from '../engine/api.js';
import type { ContainerCtx } from './containers-view.js';
import type { PaneModel } from './use-pane-model.js';
import type { PaneState } from './use-pane-state.js';
import type { Relevance } from './use-stats.js';

export function statsRelevance(showsContainers: boolean, model: PaneModel, ps: PaneState, height: number): Relevance {
  if (!showsContainers) return (prev, next) => prev.host !== next.host;
  const spec = model.specs.containers;
  const sortId = spec.sorts[ps.view.sort % spec.sorts.length]?.id;
  if (sortId === 'cpu' || sortId === 'mem') return () => true;
  const ctx = model.ctxs.containers as ContainerCtx;
  const from = Math.max(0, model.index - height);
  const watched = model.items.slice(from, model.index + height) as ContainerSummary[];
  const rowText = (c: ContainerSummary, x: ContainerCtx) =>
    Object.values(spec.cells(c, x))
      .map((cell) => cell.text)
      .join('\u0000');
  // Snapshot now: sparkline series share their arrays with later passes, so "as rendered" must
  // be captured at render time, not recomputed from the previous readings.
  const shown = watched.map((c) => rowText(c, ctx));
  return (prev, next) => {
    if (prev.host !== next.host) return true;
    const nctx: ContainerCtx = { ...ctx, stats: next.stats.byId, now: Date.now() };
    return watched.some((c, i) => rowText(c, nctx) !== shown[i]);
  };
}
