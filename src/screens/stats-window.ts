/**
 * Which containers the stats sampler is asked for: the rows that can be on screen (a window
 * around the selection, twice the pane's height either way, which covers any scroll offset),
 * per host, and the members of any compose project whose heading is in the window (its usage
 * sums them). A host whose list has not loaded yet is left out (= all of its running
 * containers), so the first figures do not wait for the list; a loaded host with no row in the
 * window gets an empty list (= none). Sorting by CPU or memory needs every figure: then all are
 * asked for.
 */
import type { ContainerSummary } from '../engine/api.js';
import type { PaneModel } from './use-pane-model.js';
import type { PaneState } from './use-pane-state.js';
import { isHeading } from './project-groups.js';
import type { Wanted } from './use-stats.js';

type Row = ContainerSummary & { host?: string };

const live = (c: Row) => c.state === 'running' || c.state === 'paused';

export function statsWindow(
  model: PaneModel,
  ps: PaneState,
  height: number,
  hosts: readonly string[],
  loaded: ReadonlySet<string>,
  /** Every container of the hosts on screen, filtered or not: how many each host runs. */
  all: readonly Row[],
): Wanted {
  const spec = model.specs.containers;
  const sortId = spec.sorts[ps.view.sort % spec.sorts.length]?.id;
  if (sortId === 'cpu' || sortId === 'mem') return undefined;
  const out = new Map<string, { ids: Set<string>; running: number }>();
  for (const h of hosts) if (loaded.has(h)) out.set(h, { ids: new Set(), running: 0 });
  for (const c of all) {
    const w = live(c) ? out.get(c.host ?? '') : undefined;
    if (w) w.running++;
  }
  const add = (c: Row) => {
    if (live(c)) out.get(c.host ?? '')?.ids.add(c.id);
  };
  const from = Math.max(0, model.index - height);
  for (const x of model.items.slice(from, Math.max(0, model.index) + height) as unknown[]) {
    if (isHeading(x)) x.members.forEach(add);
    else add(x as Row);
  }
  return new Map([...out].map(([h, w]) => [h, { ids: [...w.ids], running: w.running }]));
}
