/**
 * Any pane's spec, made aware of hosts: keys qualified by host (the same id may come from two
 * names for one daemon), and in the all-hosts view a HOST column after the name, a sort by
 * host and the host name in what the filter searches. Pure.
 */
import type { Column } from '../ui/table-layout.js';
import { naturalCompare } from '../ui/text.js';
import type { PaneSpec } from './pane-spec.js';
import { rowKey } from './hosts.js';

export const HOST_COLUMN: Column = { id: 'host', title: 'HOST', width: 8, flex: 1, priority: 9.5 };

// Column arrays are cached so the table's layout (memoized on the array) is not redone per frame.
const withHostColumns = new WeakMap<readonly Column[], readonly Column[]>();
function columnsWithHost(cols: readonly Column[]): readonly Column[] {
  let c = withHostColumns.get(cols);
  if (!c) {
    // After the name (a mark column may come first).
    const at =
      Math.max(
        0,
        cols.findIndex((x) => x.id === 'name'),
      ) + 1;
    c = [...cols.slice(0, at), HOST_COLUMN, ...cols.slice(at)];
    withHostColumns.set(cols, c);
  }
  return c;
}

type MaybeHosted<T> = T & { readonly host?: string };

export function withHost<T, Ctx>(spec: PaneSpec<T, Ctx>, showHost: boolean): PaneSpec<MaybeHosted<T>, Ctx> {
  const key = (i: MaybeHosted<T>) => rowKey(i.host, spec.key(i));
  if (!showHost) return { ...spec, key };
  return {
    columns: columnsWithHost(spec.columns),
    key,
    cells: (i, ctx) => ({ ...spec.cells(i, ctx), host: { text: i.host ?? '', tone: 'accent' } }),
    sorts: [...spec.sorts, { id: 'host', column: 'host', compare: (a, b) => naturalCompare(a.host ?? '', b.host ?? '') }],
    filterText: (i, ctx) => `${spec.filterText(i, ctx)} ${i.host ?? ''}`,
  };
}
