/**
 * A windowed table: a header line and only the rows that fit. Written here because ink-table
 * cannot load with Ink >= 4. Cells are computed for visible rows only (500 containers cost the
 * same per tick as 20); each row becomes one string (table-layout) and the body is ONE Ink text
 * of those lines. Why one: every Ink node costs a React fiber, a Yoga node with a measure
 * callback and a squash/sanitize pass on every frame; with a row per node, a tick that changes
 * 20 rows cost ~4x what the same frame as one text costs. Ink writes a multi-line text line by
 * line, so the terminal still gets only the cells that changed (ink-line-writer).
 */
import { useMemo } from 'react';
import { Box, Text } from 'ink';
import { formatHeader, formatRow, layoutColumns, type Cell, type Column } from './table-layout.js';
import { Line } from './Line.js';
import { useScrollOffset } from './use-scroll-offset.js';
import { useUi } from './use-ui.js';

export interface TableProps<T> {
  columns: readonly Column[];
  rows: readonly T[];
  cells: (row: T) => Readonly<Record<string, Cell>>;
  /** Index into rows; -1 for none. */
  selected: number;
  width: number;
  /** Lines available, header included. */
  height: number;
  sortColumn?: string;
  sortDesc?: boolean;
  /** Shown when there are no rows. */
  empty?: string;
}

export function Table<T>(props: TableProps<T>) {
  const { theme, glyphs } = useUi();
  const { columns, rows, selected, width, height } = props;
  const placed = useMemo(() => layoutColumns(columns, width), [columns, width]);
  const bodyHeight = Math.max(1, height - 1);
  const offset = useScrollOffset(Math.max(0, selected), rows.length, bodyHeight);
  const header = formatHeader(placed, theme, glyphs.ellipsis, props.sortColumn, props.sortDesc ? glyphs.sortDesc : glyphs.sortAsc);
  const visible = rows.slice(offset, offset + bodyHeight);
  return (
    <Box flexDirection="column" height={height} width={width} overflow="hidden">
      <Line text={header} />
      {visible.length === 0 ? (
        <Line text={theme.paint('muted', props.empty ?? 'nothing here')} />
      ) : (
        <Text wrap="truncate-end">
          {visible.map((row, i) => formatRow(placed, props.cells(row), theme, glyphs.ellipsis, offset + i === selected)).join('\n')}
        </Text>
      )}
    </Box>
  );
}
