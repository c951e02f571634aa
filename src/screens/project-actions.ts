/**
 * Keys on a compose project's heading (the grouped containers list): start / stop / restart /
 * pause / kill / remove act on all of the project's containers (one question naming the project
 * and how many; the status line gives the berth line listing them, bulk-actions), l and L open
 * the project's merged logs, Enter folds or unfolds it, space and m mark its containers. Keys that
 * need one container (shell, commit, files, …) say so instead of acting.
 */
import { BINDINGS, type Command } from '../ui/bindings.js';
import type { Status } from '../ui/StatusLine.js';
import { bulkAction, BULK_COMMANDS } from './bulk-actions.js';
import type { ContainerActionDeps } from './container-actions.js';
import type { ProjectHeading } from './project-groups.js';

export interface HeadingDeps {
  actions: ContainerActionDeps;
  setStatus: (s: Status) => void;
  /** Merged logs of the project, in time order (the view L opens from a container). */
  openProjectLogs: (h: ProjectHeading) => void;
  toggleCollapsed: (h: ProjectHeading) => void;
  markAll: (h: ProjectHeading) => void;
}

/** Container keys that act on one container: meaningless on a project. */
const ONE_CONTAINER: ReadonlySet<Command> = new Set(
  BINDINGS.filter((b) => b.scope === 'containers' && !BULK_COMMANDS.includes(b.command)).map((b) => b.command),
);

/** Handles `cmd` on heading `h`; false for keys that are not about the selected row (motion, panes, filter, …). */
export function headingCommand(cmd: Command, h: ProjectHeading, d: HeadingDeps): boolean {
  if (cmd === 'open') {
    d.toggleCollapsed(h);
    return true;
  }
  if (cmd === 'logs' || cmd === 'projectLogs') {
    d.openProjectLogs(h);
    return true;
  }
  if (cmd === 'mark' || cmd === 'markProject') {
    d.markAll(h);
    return true;
  }
  if (BULK_COMMANDS.includes(cmd)) return bulkAction(cmd, h.members, d.actions, h.project);
  if (cmd === 'prune' || cmd === 'group' || cmd === 'markAll') return false;
  if (ONE_CONTAINER.has(cmd)) {
    const key = BINDINGS.find((b) => b.scope === 'containers' && b.command === cmd)?.keys[0] ?? cmd;
    d.setStatus({
      kind: 'info',
      text: `${cmd} (${key}) works on one container, not on project ${h.project}: enter unfolds it, then pick one (S s r p K d l act on the whole project)`,
    });
    return true;
  }
  return false;
}
