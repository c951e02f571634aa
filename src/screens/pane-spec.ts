/**
 * What a list pane is, as data (lazydocker's panels-as-configuration): its columns, how a model
 * becomes cells, how it sorts and what the filter matches. The generic list screen does the rest.
 */
import type { Cell, Column } from '../ui/table-layout.js';

export interface SortKey<T> {
  id: string;
  /** Column to mark in the header. */
  column: string;
  compare: (a: T, b: T) => number;
}

export interface PaneSpec<T, Ctx> {
  columns: readonly Column[];
  key: (item: T) => string;
  cells: (item: T, ctx: Ctx) => Record<string, Cell>;
  sorts: readonly SortKey<T>[];
  /** Text the `/` filter searches (lower-cased by the caller). */
  filterText: (item: T, ctx: Ctx) => string;
}

export interface ViewState {
  filter: string;
  sort: number;
  desc: boolean;
}

export const INITIAL_VIEW: ViewState = { filter: '', sort: 0, desc: false };

/** Filtered and sorted items, pure. */
export function applyView<T, Ctx>(items: readonly T[], spec: PaneSpec<T, Ctx>, view: ViewState, ctx: Ctx): T[] {
  const needle = view.filter.trim().toLowerCase();
  // `key=value` (health=…, restarts=…, project=…) matches a whole word of the filter text, so
  // restarts=1 does not take 12 in; anything else matches anywhere.
  const exact = /^[a-z]+=\S+$/.test(needle);
  const matches = (text: string) => (exact ? text.split(/\s+/).includes(needle) : text.includes(needle));
  const kept = needle ? items.filter((i) => matches(spec.filterText(i, ctx).toLowerCase())) : [...items];
  const sort = spec.sorts[view.sort % spec.sorts.length];
  if (sort) {
    // Ties fall back to the key so rows do not jump between ticks.
    kept.sort((a, b) => (sort.compare(a, b) || (spec.key(a) < spec.key(b) ? -1 : 1)) * (view.desc ? -1 : 1));
  }
  return kept;
}
