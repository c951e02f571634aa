/**
 * Keys on a list pane: motion, panes, filter, sort, detail — and, through the action tables,
 * everything that acts on the selected item. Also the filter field while `/` is being typed.
 */
import type { ContainerSummary } from '../engine/api.js';
import type { Command, Scope } from '../ui/bindings.js';
import { useCommands } from '../ui/use-commands.js';
import { editLine } from '../ui/line-edit.js';
import { PANES, cyclePane, type PaneId } from './panes.js';
import type { PaneState } from './use-pane-state.js';
import type { PaneModel } from './use-pane-model.js';
import { containerAction, type ContainerActionDeps } from './container-actions.js';
import { resourceAction } from './resource-actions.js';
import { bulkAction, BULK_COMMANDS } from './bulk-actions.js';
import { isHeading, type ProjectHeading } from './project-groups.js';
import { projectOf, type ContainerRow } from './containers-view.js';
import type { Marks } from './use-marks.js';

export const PANE_SCOPES: Record<PaneId, Scope[]> = {
  containers: ['containers', 'list', 'global'],
  images: ['images', 'resources', 'list', 'global'],
  networks: ['networks', 'resources', 'list', 'global'],
  volumes: ['volumes', 'resources', 'list', 'global'],
};

export interface ListKeysDeps {
  pane: PaneId;
  ps: PaneState;
  model: PaneModel;
  pageSize: number;
  listActive: boolean;
  filterEditing: boolean;
  setFilterEditing: (on: boolean) => void;
  setPane: (p: PaneId) => void;
  update: (pane: PaneId, fn: (s: PaneState) => PaneState) => void;
  quit: () => void;
  openHelp: () => void;
  openDetail: (pane: PaneId, key: string) => void;
  clearStatus: () => void;
  /** H: the host switcher; A: all hosts at once / back to one. */
  openHosts: () => void;
  toggleAllHosts: () => void;
  actions: ContainerActionDeps;
  marks: Marks;
  /** Every container row (marks act on rows the filter hides too). */
  containers: readonly ContainerRow[];
  /** `l` with marks: the merged logs of the marked rows (in the order on screen). */
  openMarkedLogs: (rows: ContainerRow[]) => void;
  /** z: the containers grouped by compose project, or back to one list. */
  toggleGroups?: () => void;
  /** A key on a compose project's heading (grouped list); true when it was handled. */
  onHeading?: (cmd: Command, h: ProjectHeading) => boolean;
  /** Keys the list handles beyond this table (events view, command line, live limits). */
  extra?: (cmd: Command, current: unknown) => boolean;
}

export function useListKeys(d: ListKeysDeps): void {
  const { pane, ps, model, update } = d;
  const { keys, index, current } = model;
  const spec = model.specs[pane];
  const select = (i: number) => {
    const clamped = Math.max(0, Math.min(keys.length - 1, i));
    update(pane, (s) => ({ ...s, index: clamped, key: keys[clamped] }));
  };
  const setView = (fn: (v: PaneState['view']) => PaneState['view']) => update(pane, (s) => ({ ...s, view: fn(s.view) }));

  // Marked rows in the order on screen, then those the filter hides.
  const markedInOrder = (): ContainerRow[] => {
    const isMarked = (c: unknown) => d.marks.marked.has(spec.key(c));
    const shown = (model.items as ContainerRow[]).filter(isMarked);
    const seen = new Set(shown);
    return [...shown, ...d.containers.filter((c) => isMarked(c) && !seen.has(c))];
  };

  const onCommand = (cmd: Command | undefined) => {
    // A project heading: the key acts on the whole project (marks, when there are any, still
    // come first for the keys that act on them).
    if (cmd !== undefined && pane === 'containers' && isHeading(current)) {
      const marksFirst = d.marks.marked.size > 0 && (cmd === 'logs' || BULK_COMMANDS.includes(cmd));
      if (!marksFirst && d.onHeading?.(cmd, current)) {
        if (cmd === 'mark') select(index + 1);
        return;
      }
    }
    switch (cmd) {
      case undefined:
        return;
      case 'quit':
        return d.quit();
      case 'help':
        return d.openHelp();
      case 'back':
        // Esc clears the marks first (the status line counts them), then the filter.
        if (d.marks.marked.size) return d.marks.clear();
        if (ps.view.filter) setView((v) => ({ ...v, filter: '' }));
        return d.clearStatus();
      case 'down':
        return select(index + 1);
      case 'up':
        return select(index - 1);
      case 'pageDown':
        return select(index + d.pageSize);
      case 'pageUp':
        return select(index - d.pageSize);
      case 'top':
        return select(0);
      case 'bottom':
        return select(keys.length - 1);
      case 'nextPane':
        return d.setPane(cyclePane(pane, 1));
      case 'prevPane':
        return d.setPane(cyclePane(pane, -1));
      case 'pane1':
      case 'pane2':
      case 'pane3':
      case 'pane4':
        return d.setPane(PANES[Number(cmd.slice(4)) - 1]!);
      case 'open':
        if (current !== undefined) d.openDetail(pane, spec.key(current));
        return;
      case 'filter':
        return d.setFilterEditing(true);
      case 'sort':
        return setView((v) => ({ ...v, sort: (v.sort + 1) % spec.sorts.length, desc: false }));
      case 'sortReverse':
        return setView((v) => ({ ...v, desc: !v.desc }));
      case 'hosts':
        return d.openHosts();
      case 'allHosts':
        return d.toggleAllHosts();
      case 'mark':
        if (pane !== 'containers' || current === undefined) return;
        d.marks.toggle(spec.key(current));
        return select(index + 1);
      case 'markAll':
        // Headings are not containers: only the container rows are marked.
        if (pane === 'containers') d.marks.toggleAll(keys.filter((_, i) => !isHeading(model.items[i])));
        return;
      case 'group':
        if (pane === 'containers') d.toggleGroups?.();
        return;
      case 'markProject': {
        if (pane !== 'containers' || current === undefined) return;
        const row = current as ContainerRow;
        const project = projectOf(row);
        if (!project) return d.actions.setStatus({ kind: 'info', text: `${row.names[0] ?? row.id.slice(0, 12)} belongs to no compose project` });
        const members = d.containers.filter((c) => c.host === row.host && projectOf(c) === project);
        d.marks.toggleAll(members.map((c) => spec.key(c)));
        return;
      }
      default:
        if (d.extra?.(cmd, current)) return;
        if (pane === 'containers' && d.marks.marked.size && cmd === 'logs') return d.openMarkedLogs(markedInOrder());
        if (pane === 'containers' && d.marks.marked.size && bulkAction(cmd, markedInOrder(), d.actions)) return;
        if (pane !== 'containers') resourceAction(cmd, pane, current as never, d.actions);
        else if (current && !isHeading(current)) containerAction(cmd, current as ContainerSummary, d.actions);
        // Prune needs no selection: it works on an empty or fully filtered list too.
        else if (cmd === 'prune') containerAction(cmd, { id: '', names: [], networks: [], state: 'exited' } as unknown as ContainerSummary, d.actions);
    }
  };

  useCommands(PANE_SCOPES[pane], onCommand, d.listActive);
  useCommands(
    ['input'],
    (cmd, text) => {
      if (cmd === 'confirm') return d.setFilterEditing(false);
      if (cmd === 'cancel') {
        setView((v) => ({ ...v, filter: '' }));
        return d.setFilterEditing(false);
      }
      // Typing restarts the selection at the top of what matches.
      update(pane, (s) => ({ ...s, index: 0, key: undefined, view: { ...s.view, filter: editLine(s.view.filter, cmd, text) } }));
    },
    d.filterEditing,
  );
}
