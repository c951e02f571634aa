/** Runs what the `:` command line parsed, through the same action tables the keys use. */
import { shortId } from '../ui/format.js';
import type { Parsed } from './command-line.js';
import type { PaneId } from './panes.js';
import { containerName, type ContainerRow } from './containers-view.js';
import { containerAction, engineOrSay, type ContainerActionDeps } from './container-actions.js';
import { bulkAction, BULK_COMMANDS } from './bulk-actions.js';
import { runAction } from './run-action.js';
import { cliLine } from './action-command.js';
import type { Marks } from './use-marks.js';

export interface CommandLineDeps {
  setPane: (p: PaneId) => void;
  openEvents: () => void;
  /** :group, as z: the containers grouped by compose project, or back to one list. */
  toggleGroups: () => void;
  openHelp: () => void;
  quit: () => void;
  containers: readonly ContainerRow[];
  /** The selected container row, if the containers pane is up. */
  current: ContainerRow | undefined;
  keyOf: (c: ContainerRow) => string;
  marks: Marks;
  /** Logs of several containers at once: the merged view (`:logs web db`). */
  openLogs: (rows: ContainerRow[]) => void;
  actions: ContainerActionDeps;
}

/** A container by name, full id or id prefix (as the CLI takes them). */
function findRow(rows: readonly ContainerRow[], ref: string): ContainerRow | undefined {
  return rows.find((c) => c.names.includes(ref)) ?? rows.find((c) => c.id === ref) ?? (ref.length >= 3 ? rows.find((c) => c.id.startsWith(ref)) : undefined);
}

/** Returns an error for the status line, or undefined when the command ran (or asked first). */
export function runParsed(p: Parsed, d: CommandLineDeps): string | undefined {
  switch (p.kind) {
    case 'error':
      return p.message;
    case 'quit':
      d.quit();
      return undefined;
    case 'help':
      d.openHelp();
      return undefined;
    case 'events':
      d.openEvents();
      return undefined;
    case 'group':
      d.toggleGroups();
      return undefined;
    case 'pane':
      d.setPane(p.pane);
      return undefined;
    case 'run': {
      const engine = engineOrSay(d.actions, undefined, 'run');
      if (!engine) return undefined;
      const { image, name } = p;
      void runAction(
        d.actions,
        `Running ${image}`,
        async () => {
          const { id } = await engine.containers.create({ image, ...(name ? { name } : {}) });
          await engine.containers.start(id);
          return id;
        },
        (id) => `Started ${name ?? shortId(id)} from ${image}`,
        ['containers', 'images', 'networks', 'volumes'],
        undefined,
        cliLine({ kind: 'run', image, ...(name ? { name } : {}) }, d.actions.hostOf?.(undefined)),
      );
      return undefined;
    }
    case 'action': {
      const rows: ContainerRow[] = [];
      for (const n of p.names) {
        const r = findRow(d.containers, n);
        if (!r) return `no such container: ${n}`;
        rows.push(r);
      }
      if (!rows.length) {
        if (!d.current) return `name a container: :${p.command} NAME`;
        rows.push(d.current);
      }
      if (p.command === 'mark') {
        d.marks.toggleAll(rows.map(d.keyOf));
        return undefined;
      }
      if (rows.length > 1) {
        if (p.command === 'logs') {
          d.openLogs(rows);
          return undefined;
        }
        if (!BULK_COMMANDS.includes(p.command)) return `${p.command} takes one container (${rows.map(containerName).join(', ')} given)`;
        bulkAction(p.command, rows, d.actions);
        return undefined;
      }
      containerAction(p.command, rows[0]!, d.actions);
      return undefined;
    }
  }
}
