/** The networks pane as data. */
import type { NetworkSummary } from '../engine/api.js';
import type { Column } from '../ui/table-layout.js';
import type { PaneSpec } from './pane-spec.js';

const COLUMNS: readonly Column[] = [
  { id: 'name', title: 'NAME', width: 12, flex: 1, priority: 10 },
  { id: 'driver', title: 'DRIVER', width: 7, priority: 8 },
  { id: 'subnet', title: 'SUBNET', width: 15, priority: 9 },
  { id: 'gateway', title: 'GATEWAY', width: 13, priority: 7 },
  { id: 'containers', title: 'CONTAINERS', width: 12, flex: 2, priority: 6 },
];

export const networksSpec: PaneSpec<NetworkSummary, unknown> = {
  columns: COLUMNS,
  key: (n) => n.id,
  cells: (n) => ({
    name: { text: n.name },
    driver: { text: n.driver, tone: 'muted' },
    subnet: { text: n.ipam.map((i) => i.subnet).join(', ') || '-' },
    gateway: {
      text:
        n.ipam
          .map((i) => i.gateway ?? '')
          .filter(Boolean)
          .join(', ') || '-',
      tone: 'muted',
    },
    containers: {
      text: n.containers.length ? `${n.containers.length}: ${n.containers.map((e) => e.name).join(', ')}` : '-',
      tone: n.containers.length ? 'running' : 'muted',
    },
  }),
  sorts: [
    { id: 'name', column: 'name', compare: (a, b) => a.name.localeCompare(b.name) },
    { id: 'containers', column: 'containers', compare: (a, b) => b.containers.length - a.containers.length },
    { id: 'driver', column: 'driver', compare: (a, b) => a.driver.localeCompare(b.driver) },
  ],
  filterText: (n) => `${n.name} ${n.driver} ${n.ipam.map((i) => i.subnet).join(' ')} ${n.containers.map((e) => e.name).join(' ')}`,
};
