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

const ASCII = /^[\x20-\x7E]*$/;

/**
 * One row as runs of text: consecutive ASCII cells share a run, a cell with non-ASCII text (a
 * Unicode sparkline) gets its own. Ink measures every Text on every frame, and string-width
 * takes a grapheme-segmenting slow path for any line with one non-ASCII character — about 10x the
 * cost of the ASCII fast path. Splitting keeps the slow path to the 10-character sparkline.
 * Cells are painted individually (and a selected row run by run) so no escape sequence spans
 * two runs.
 */
export function formatRowParts(
  cols: readonly PlacedColumn[],
  cells: Readonly<Record<string, Cell>>,
  theme: Theme,
  ellipsis: string,
  selected: boolean,
): string[] {
  const parts: string[] = [];
  let run = '';
  const flush = () => {
    if (run) parts.push(selected ? theme.paint('selected', run) : run);
    run = '';
  };
  for (let i = 0; i < cols.length; i++) {
    const c = cols[i]!;
    const cell = cells[c.id];
    const text = fit(cell?.text ?? '', c.w, c.align, ellipsis);
    const painted = selected || !cell?.tone ? text : theme.paint(cell.tone, text);
    if (i) run += ' '.repeat(GAP);
    if (ASCII.test(text)) run += painted;
    else {
      flush();
      parts.push(selected ? theme.paint('selected', text) : painted);
    }
  }
  // Trailing blanks cost Ink per-character work on every frame and show nothing; a selected
  // row keeps them so its highlight spans the width.
  if (!selected) run = run.trimEnd();
  flush();
  return parts;
}

/** One row as a single string. */
export function formatRow(
  cols: readonly PlacedColumn[],
  cells: Readonly<Record<string, Cell>>,
  theme: Theme,
  ellipsis: string,
  selected: boolean,
): string {
  return formatRowParts(cols, cells, theme, ellipsis, selected).join('');
}

export function formatHeader(cols: readonly PlacedColumn[], theme: Theme, ellipsis: string, sortId?: string, sortMark?: string): string {
  const text = cols
    .map((c) => fit(c.id === sortId && sortMark ? `${c.title}${sortMark}` : c.title, c.w, c.align, ellipsis))
    .join(' '.repeat(GAP));
  return theme.paint('header', text);
}
