/**
 * Per-pane selection, filter and sort. The selection is remembered by key (container id, image
 * id, …) so it stays on the same item when rows re-sort or the list reloads; when the item is
 * gone the cursor stays at the same row number.
 */
import { useCallback, useState } from 'react';
import { INITIAL_VIEW, type ViewState } from './pane-spec.js';
import type { PaneId } from './panes.js';

export interface PaneState {
  key?: string;
  index: number;
  view: ViewState;
}

const INITIAL: Record<PaneId, PaneState> = {
  containers: { index: 0, view: INITIAL_VIEW },
  images: { index: 0, view: INITIAL_VIEW },
  networks: { index: 0, view: INITIAL_VIEW },
  volumes: { index: 0, view: INITIAL_VIEW },
};

export function resolveIndex(state: PaneState, keys: readonly string[]): number {
  if (!keys.length) return -1;
  const byKey = state.key === undefined ? -1 : keys.indexOf(state.key);
  return byKey >= 0 ? byKey : Math.min(state.index, keys.length - 1);
}

export function usePaneState() {
  const [panes, setPanes] = useState(INITIAL);
  const update = useCallback((pane: PaneId, fn: (s: PaneState) => PaneState) => setPanes((p) => ({ ...p, [pane]: fn(p[pane]) })), []);
  return { panes, update };
}
