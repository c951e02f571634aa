/**
 * List keys that open part B's views (issue 15): merged logs of a compose project, the file
 * browser, image history, pull, tag and the run form. A second subscription beside the list's
 * own; it acts only on these commands, so the two never both handle a key.
 */
import type { ContainerSummary, Engine, ImageSummary, VolumeSummary } from '../engine/api.js';
import type { Command } from '../ui/bindings.js';
import type { Status } from '../ui/StatusLine.js';
import { useCommands } from '../ui/use-commands.js';
import type { Overlay } from './overlay.js';
import type { PaneId } from './panes.js';
import { PANE_SCOPES } from './use-list-keys.js';
import { containerName } from './containers-view.js';
import { isValidReference } from './container-actions.js';
import { splitRef } from './images-view.js';
import { runAction, type ActionDeps } from './run-action.js';
import { cliLine } from './action-command.js';
import type { ResourceKind } from './use-resources.js';
import { isHeading } from './project-groups.js';

export const COMPOSE_PROJECT = 'com.docker.compose.project';

/** The containers of `c`'s compose project (same host), `c` first; undefined when it has none. */
export function projectContainers(
  c: ContainerSummary & { host?: string },
  all: readonly (ContainerSummary & { host?: string })[],
): ContainerSummary[] | undefined {
  const project = c.labels[COMPOSE_PROJECT];
  if (!project) return undefined;
  const others = all.filter((x) => x !== c && x.host === c.host && x.labels[COMPOSE_PROJECT] === project);
  return [c, ...others];
}

export type FilesTarget = { kind: 'container'; id: string; name: string; host?: string } | { kind: 'volume'; name: string; mountpoint: string; host?: string };

export interface ViewsBDeps {
  pane: PaneId;
  current: unknown;
  active: boolean;
  containers: readonly (ContainerSummary & { host?: string })[];
  engineFor: (host: string | undefined) => Engine | undefined;
  setStatus: (s: Status) => void;
  refresh: (kinds?: readonly ResourceKind[], host?: string) => Promise<void>;
  hostOf?: ActionDeps['hostOf'];
  openOverlay: (o: Overlay) => void;
  containerKey: (c: ContainerSummary) => string;
  openMergedLogs: (keys: readonly string[], title?: string) => void;
  openDetailTab: (pane: PaneId, item: unknown, tab: string) => void;
  openFiles: (t: FilesTarget) => void;
  openPull: (host: string | undefined) => void;
  openRun: (image: ImageSummary & { host?: string }) => void;
}

export function viewsBCommand(cmd: Command | undefined, d: ViewsBDeps): boolean {
  if (d.pane === 'containers') {
    const c = d.current as (ContainerSummary & { host?: string }) | undefined;
    // A project heading (grouped list): the list's own keys handle it (project-actions).
    if (!c || isHeading(c)) return false;
    if (cmd === 'projectLogs') {
      const list = projectContainers(c, d.containers);
      if (!list) d.setStatus({ kind: 'info', text: `${containerName(c)} is not part of a compose project (no ${COMPOSE_PROJECT} label)` });
      else d.openMergedLogs(list.map(d.containerKey), `project ${c.labels[COMPOSE_PROJECT]}`);
      return true;
    }
    if (cmd === 'files') {
      // An engine that lists from the host side (listDir) browses a stopped container too; one
      // that must run ls inside it (a Docker host) needs it running.
      const listsFromHost = !!d.engineFor(c.host)?.containers.listDir;
      if (!listsFromHost && c.state !== 'running' && c.state !== 'paused')
        d.setStatus({ kind: 'error', text: `${containerName(c)} is not running: this host lists files with ls inside the container` });
      else d.openFiles({ kind: 'container', id: c.id, name: containerName(c), ...(c.host !== undefined ? { host: c.host } : {}) });
      return true;
    }
    return false;
  }
  if (d.pane === 'volumes' && cmd === 'files') {
    const v = d.current as (VolumeSummary & { host?: string }) | undefined;
    if (v) d.openFiles({ kind: 'volume', name: v.name, mountpoint: v.mountpoint, ...(v.host !== undefined ? { host: v.host } : {}) });
    return !!v;
  }
  if (d.pane !== 'images') return false;
  const img = d.current as (ImageSummary & { host?: string }) | undefined;
  if (cmd === 'pull') {
    d.openPull(img?.host);
    return true;
  }
  if (!img) return false;
  if (cmd === 'history') {
    d.openDetailTab('images', img, 'history');
    return true;
  }
  if (cmd === 'run') {
    d.openRun(img);
    return true;
  }
  if (cmd === 'tag') {
    const engine = d.engineFor(img.host);
    if (!engine) {
      d.setStatus({ kind: 'error', text: `${img.host ?? 'this host'} is not connected: cannot tag` });
      return true;
    }
    const label = img.repoTags[0] ? splitRef(img.repoTags[0]).join(':') : img.id.replace(/^sha256:/, '').slice(0, 12);
    d.openOverlay({
      kind: 'form',
      title: `Tag ${label}`,
      fields: [{ id: 'ref', label: 'new repository:tag', placeholder: 'e.g. myapp:1.0' }],
      onSubmit: (v) => {
        const ref = (v['ref'] ?? '').trim();
        if (!ref || !isValidReference(ref)) return `not a valid repository:tag: ${ref}`;
        void runAction(
          d,
          `Tagging ${label} as ${ref}`,
          () => engine.images.tag(img.id, ref),
          () => `Tagged ${label} as ${ref}`,
          ['images'],
          img.host,
          cliLine({ kind: 'tag', source: label, ref }, d.hostOf?.(img.host)),
        );
        return undefined;
      },
    });
    return true;
  }
  return false;
}

export function useViewsBKeys(d: ViewsBDeps): void {
  useCommands(PANE_SCOPES[d.pane], (cmd) => void viewsBCommand(cmd, d), d.active);
}
