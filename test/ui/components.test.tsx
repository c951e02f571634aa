import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanup, render } from 'ink-testing-library';
import { Table } from '../../src/ui/Table.js';
import { ConfirmDialog } from '../../src/ui/ConfirmDialog.js';
import { FormDialog } from '../../src/ui/FormDialog.js';
import { PickerDialog } from '../../src/ui/PickerDialog.js';
import { UiProvider } from '../../src/ui/ui-context.js';
import { stripAnsi } from '../../src/ui/text.js';
import type { Column } from '../../src/ui/table-layout.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
afterEach(() => cleanup());

const cols: Column[] = [
  { id: 'n', title: 'N', width: 4, priority: 2 },
  { id: 'v', title: 'VALUE', width: 6, flex: 1, priority: 1 },
];
const rows = Array.from({ length: 30 }, (_, i) => ({ n: i }));

test('Table renders a window that follows the selection', async () => {
  const view = (selected: number) => (
    <UiProvider caps={{ color: false, unicode: true }}>
      <Table columns={cols} rows={rows} cells={(r) => ({ n: { text: String(r.n) }, v: { text: `v${r.n}` } })} selected={selected} width={20} height={6} />
    </UiProvider>
  );
  const r = render(view(0));
  let f = stripAnsi(r.lastFrame() ?? '');
  assert.equal(f.split('\n').length, 6);
  assert.match(f, /^N {4}VALUE/);
  assert.match(f, /^0 +v0/m);
  assert.doesNotMatch(f, /v5\b/);
  r.rerender(view(12));
  await sleep(5);
  f = stripAnsi(r.lastFrame() ?? '');
  assert.match(f, /v12/);
  assert.doesNotMatch(f, /v0\b/);
  r.rerender(view(11));
  await sleep(5);
  assert.match(stripAnsi(r.lastFrame() ?? ''), /v12/, 'moving up inside the window does not scroll');
});

test('Table says when it is empty', () => {
  const r = render(
    <UiProvider caps={{ color: false, unicode: true }}>
      <Table columns={cols} rows={[]} cells={() => ({})} selected={-1} width={20} height={4} empty="no rows" />
    </UiProvider>,
  );
  assert.match(stripAnsi(r.lastFrame() ?? ''), /no rows/);
});

test('ConfirmDialog: y confirms, n and Esc decline', async () => {
  const events: string[] = [];
  const r = render(<ConfirmDialog message="Really?" width={30} onYes={() => events.push('yes')} onNo={() => events.push('no')} />);
  assert.match(r.lastFrame() ?? '', /Really\?/);
  r.stdin.write('x');
  await sleep(10);
  assert.deepEqual(events, []);
  r.stdin.write('n');
  await sleep(10);
  r.stdin.write('y');
  await sleep(10);
  assert.deepEqual(events, ['no', 'yes']);
});

test('FormDialog: typing, backspace, Tab between fields, Enter submits, errors shown', async () => {
  const submitted: Record<string, string>[] = [];
  const r = render(
    <FormDialog
      title="Make"
      width={40}
      fields={[
        { id: 'a', label: 'A' },
        { id: 'b', label: 'B' },
      ]}
      onCancel={() => undefined}
      onSubmit={(v) => {
        submitted.push(v);
        return v['a'] === 'bad' ? 'nope' : undefined;
      }}
    />,
  );
  for (const k of ['b', 'a', 'd', 'x', '\u007F', '\t', 'q', 'j', '\r']) {
    r.stdin.write(k);
    await sleep(10);
  }
  assert.deepEqual(submitted, [{ a: 'bad', b: 'qj' }]);
  assert.match(r.lastFrame() ?? '', /nope/);
});

test('PickerDialog: j/k and arrows move, Enter picks, Esc cancels', async () => {
  const picked: string[] = [];
  let cancelled = false;
  const r = render(
    <PickerDialog
      title="Pick"
      width={30}
      options={[
        { value: 'a', label: 'alpha' },
        { value: 'b', label: 'beta' },
        { value: 'c', label: 'gamma' },
      ]}
      onPick={(v) => picked.push(v)}
      onCancel={() => (cancelled = true)}
    />,
  );
  for (const k of ['j', '\u001B[B', 'k', '\r']) {
    r.stdin.write(k);
    await sleep(10);
  }
  assert.deepEqual(picked, ['b']);
  r.stdin.write('\u001B');
  await sleep(80);
  assert.equal(cancelled, true);
});
