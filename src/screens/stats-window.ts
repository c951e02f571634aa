/**
 * Which containers the stats sampler is asked for: the rows that can be on screen (a window
 * around the selection, twice the pane's height either way, which covers any scroll offset),
 * per host. A host whose list has not loaded yet is left out (= all of its running containers),
 * so the first figures do not wait for the list; a loaded host with no row in the window gets an
 * empty list (= none). Sorting by CPU or memory needs every figure: then all are asked for.
 */
import type { ContainerSummary } from '../engine/api.js';
import type { PaneModel } from './use-pane-model.js';
import type { PaneState } from './use-pane-state.js';
import type { Wanted } from './use-stats.js';

export function statsWindow(model: PaneModel, ps: PaneState, height: number, hosts: readonly string[], loaded: ReadonlySet<string>): Wanted {
  const spec = model.specs.containers;
  const sortId = spec.sorts[ps.view.sort % spec.sorts.length]?.id;
  if (sortId === 'cpu' || sortId === 'mem') return undefined;
  const out = new Map<string, string[]>();
  for (const h of hosts) if (loaded.has(h)) out.set(h, []);
  const from = Math.max(0, model.index - height);
  for (const c of model.items.slice(from, Math.max(0, model.index) + height) as (ContainerSummary & { host?: string })[]) {
    if (c.state === 'running' || c.state === 'paused') out.get(c.host ?? '')?.push(c.id);
  }
  return out;
}
