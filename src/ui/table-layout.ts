/**
 * Column layout and row formatting for the table, pure so they are tested without Ink.
 * Columns that do not fit are dropped lowest priority first (at 80 columns the containers pane
 * keeps name, state, CPU and memory and drops ports and PIDs), and the spare width goes to the
 * flexible columns.
 */
import type { Token, Theme } from './theme.js';
import { fit } from './text.js';

export interface Column {
  id: string;
  title: string;
  /** Minimum width. */
  width: number;
  /** Share of spare width; 0 = fixed. */
  flex?: number;
  align?: 'left' | 'right';
  /** Higher survives longer when the terminal is narrow. */
  priority: number;
}

export interface Cell {
  text: string;
  tone?: Token;
}

/**
 * A row whose cells hold this key is one line across the whole width (a group heading: the
 * compose project above its containers) instead of columns.
 */
export const ROW_SPAN = '*';

export interface PlacedColumn extends Column {
  w: number;
}

export const GAP = 1;

export function layoutColumns(columns: readonly Column[], total: number): PlacedColumn[] {
  let kept = [...columns];
  const need = (cols: readonly Column[]) => cols.reduce((s, c) => s + c.width, 0) + GAP * Math.max(0, cols.length - 1);
  while (kept.length > 1 && need(kept) > total) {
    const lowest = kept.reduce((lo, c) => (c.priority < lo.priority ? c : lo));
    kept = kept.filter((c) => c !== lowest);
  }
  const spare = Math.max(0, total - need(kept));
  const flexSum = kept.reduce((s, c) => s + (c.flex ?? 0), 0);
  let given = 0;
  const placed = kept.map((c) => {
    const extra = flexSum ? Math.floor((spare * (c.flex ?? 0)) / flexSum) : 0;
    given += extra;
    return { ...c, w: c.width + extra };
  });
  // Rounding leftovers go to the first flexible column so rows fill the width exactly.
  const firstFlex = placed.find((c) => (c.flex ?? 0) > 0);
  if (firstFlex) firstFlex.w += spare - given;
  return placed;
}

/**
 * One row as a single string. Cells are painted one by one (a selected row as a whole), so every
 * escape sequence opened is closed within the row: the table draws its rows as one multi-line
 * text, and a style must not run from one row into the next.
 */
export function formatRow(cols: readonly PlacedColumn[], cells: Readonly<Record<string, Cell>>, theme: Theme, ellipsis: string, selected: boolean): string {
  const span = cells[ROW_SPAN];
  if (span) {
    const width = cols.reduce((s, c) => s + c.w, 0) + GAP * Math.max(0, cols.length - 1);
    const fitted = fit(span.text, width, 'left', ellipsis);
    const text = span.tone ? theme.paint(span.tone, selected ? fitted : fitted.trimEnd()) : selected ? fitted : fitted.trimEnd();
    // The heading keeps its own attributes (bold) under the selection's inverse.
    return selected ? theme.paint('selected', text) : text;
  }
  let row = '';
  for (let i = 0; i < cols.length; i++) {
    const c = cols[i]!;
    const cell = cells[c.id];
    const text = fit(cell?.text ?? '', c.w, c.align, ellipsis);
    if (i) row += ' '.repeat(GAP);
    row += selected || !cell?.tone ? text : theme.paint(cell.tone, text);
  }
  // Trailing blanks cost Ink per-character work on every frame and show nothing; a selected
  // row keeps them so its highlight spans the width.
  return selected ? theme.paint('selected', row) : row.trimEnd();
}

export function formatHeader(cols: readonly PlacedColumn[], theme: Theme, ellipsis: string, sortId?: string, sortMark?: string): string {
  const text = cols.map((c) => fit(c.id === sortId && sortMark ? `${c.title}${sortMark}` : c.title, c.w, c.align, ellipsis)).join(' '.repeat(GAP));
  return theme.paint('header', text);
}
