/** The volumes pane as data. */
import type { ContainerSummary, VolumeSummary } from '../engine/api.js';
import type { Column } from '../ui/table-layout.js';
import { bytes } from '../ui/format.js';
import type { PaneSpec } from './pane-spec.js';

export interface VolumeCtx {
  containers: readonly ContainerSummary[];
}

const COLUMNS: readonly Column[] = [
  { id: 'name', title: 'NAME', width: 14, flex: 2, priority: 10 },
  { id: 'mountpoint', title: 'MOUNTPOINT', width: 20, flex: 3, priority: 6 },
  { id: 'size', title: 'SIZE', width: 7, align: 'right', priority: 8 },
  { id: 'used', title: 'USED BY', width: 12, flex: 1, priority: 9 },
];

export function volumeUsers(v: VolumeSummary, ctx: VolumeCtx): string {
  if (!v.usedBy.length) return '-';
  const byId = new Map(ctx.containers.map((c) => [c.id, c.names[0] ?? c.id.slice(0, 12)]));
  return v.usedBy.map((id) => byId.get(id) ?? id.slice(0, 12)).join(', ');
}

export const volumesSpec: PaneSpec<VolumeSummary, VolumeCtx> = {
  columns: COLUMNS,
  key: (v) => v.name,
  cells: (v, ctx) => ({
    name: { text: v.name },
    mountpoint: { text: v.mountpoint, tone: 'muted' },
    size: { text: v.size === undefined ? '-' : bytes(v.size) },
    used: { text: volumeUsers(v, ctx), tone: v.usedBy.length ? 'running' : 'muted' },
  }),
  sorts: [
    { id: 'name', column: 'name', compare: (a, b) => a.name.localeCompare(b.name) },
    { id: 'size', column: 'size', compare: (a, b) => (b.size ?? -1) - (a.size ?? -1) },
    { id: 'used', column: 'used', compare: (a, b) => b.usedBy.length - a.usedBy.length },
  ],
  // Not the mountpoint: every one ends in /_data, so "data" would match them all.
  filterText: (v) => `${v.name} ${v.driver}`,
};
