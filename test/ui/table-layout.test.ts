import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatHeader, formatRow, layoutColumns, ROW_SPAN, type Column } from '../../src/ui/table-layout.js';
import { makeTheme } from '../../src/ui/theme.js';
import { stripAnsi, fit, naturalCompare } from '../../src/ui/text.js';

const cols: Column[] = [
  { id: 'name', title: 'NAME', width: 10, flex: 2, priority: 10 },
  { id: 'cpu', title: 'CPU', width: 6, align: 'right', priority: 8 },
  { id: 'ports', title: 'PORTS', width: 12, flex: 1, priority: 1 },
  { id: 'spark', title: 'SPARK', width: 5, priority: 5 },
];
const mono = makeTheme(false);
const colour = makeTheme(true);

test('columns fill the width exactly', () => {
  for (const w of [40, 57, 80, 133]) {
    const placed = layoutColumns(cols, w);
    assert.equal(placed.reduce((s, c) => s + c.w, 0) + placed.length - 1, w, `width ${w}`);
  }
});

test('narrow terminals drop the lowest-priority columns first, keeping order', () => {
  assert.deepEqual(
    layoutColumns(cols, 30).map((c) => c.id),
    ['name', 'cpu', 'spark'],
  );
  assert.deepEqual(
    layoutColumns(cols, 18).map((c) => c.id),
    ['name', 'cpu'],
  );
  assert.deepEqual(
    layoutColumns(cols, 5).map((c) => c.id),
    ['name'],
  );
});

test('rows: fitted, aligned, ellipsised; selection inverse over the whole row', () => {
  const placed = layoutColumns(cols, 40);
  const cells = {
    name: { text: 'a-very-long-container-name' },
    cpu: { text: '5%', tone: 'running' as const },
    ports: { text: '80/tcp' },
    spark: { text: '▁▂▃' },
  };
  const row = formatRow(placed, cells, mono, '…', false);
  assert.match(row, /^a-very-lo.*… +5% 80\/tcp/);
  const sel = formatRow(placed, cells, colour, '…', true);
  assert.ok(stripAnsi(sel).length <= 40);
  assert.doesNotMatch(sel, /\u001B\[32m/, 'no tone inside a selected row');
  assert.match(sel, /\u001B\[7m/);
});

test('header marks the sort column', () => {
  const placed = layoutColumns(cols, 60);
  assert.match(stripAnsi(formatHeader(placed, colour, '…', 'cpu', '▼')), /CPU▼/);
});

test('fit pads, aligns and cuts', () => {
  assert.equal(fit('ab', 4), 'ab  ');
  assert.equal(fit('ab', 4, 'right'), '  ab');
  assert.equal(fit('abcdef', 4), 'abc…');
  assert.equal(fit('abcdef', 4, 'left', '~'), 'abc~');
});

test('natural order for numbered names', () => {
  assert.deepEqual(['app-10', 'app-2', 'app-1', 'db', 'app-1b'].sort(naturalCompare), ['app-1', 'app-1b', 'app-2', 'app-10', 'db']);
  assert.equal(naturalCompare('a', 'a'), 0);
});

test('a row spanning the table (a group heading) is one line across every column, cut to the width', () => {
  const theme = makeTheme(false);
  const cols = layoutColumns(
    [
      { id: 'a', title: 'A', width: 4, priority: 2 },
      { id: 'b', title: 'B', width: 4, priority: 1 },
    ],
    9,
  );
  assert.equal(formatRow(cols, { [ROW_SPAN]: { text: '▾ shop  2 containers' } }, theme, '…', false), '▾ shop  …');
  assert.equal(formatRow(cols, { [ROW_SPAN]: { text: '▾ a' } }, theme, '…', false), '▾ a');
  // Bold (title) survives NO_COLOR; a selected heading keeps it under the inverse, padded to the width.
  assert.equal(formatRow(cols, { [ROW_SPAN]: { text: '▾ a', tone: 'title' } }, theme, '…', false), '\u001B[1m▾ a\u001B[0m');
  assert.equal(formatRow(cols, { [ROW_SPAN]: { text: '▾ a', tone: 'title' } }, theme, '…', true), '\u001B[7m\u001B[1m▾ a      \u001B[0m\u001B[0m');
});
