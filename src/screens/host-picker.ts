/**
 * The host switcher's options and the header's host summary, from the hosts' states. Pure.
 * "All hosts" comes first; each host shows its state, so one that dropped out is visible here
 * even while another host is on screen.
 */
import type { PickerOption } from '../ui/PickerDialog.js';
import { ALL_HOSTS, type HostState } from './hosts.js';

export function stateWord(h: HostState): string {
  return h.state === 'up' ? 'up' : h.state === 'connecting' ? 'connecting…' : `disconnected${h.error ? `: ${h.error}` : ''}`;
}

export function hostOptions(statuses: readonly HostState[], glyph: { up: string; down: string }): PickerOption[] {
  const w = Math.max(...statuses.map((h) => h.name.length), 3);
  const up = statuses.filter((h) => h.state === 'up').length;
  return [
    { value: ALL_HOSTS, label: `* ${'all hosts'.padEnd(w)}  ${up}/${statuses.length} up` },
    ...statuses.map((h) => ({
      value: h.name,
      label: `${h.state === 'down' ? glyph.down : glyph.up} ${h.name.padEnd(w)}  ${h.label}  ${stateWord(h)}`,
    })),
  ];
}

/** "2/3 hosts up, down: prod" for the header; undefined with a single host. */
export function hostsSummary(statuses: readonly HostState[]): string | undefined {
  if (statuses.length < 2) return undefined;
  const down = statuses.filter((h) => h.state === 'down').map((h) => h.name);
  const up = statuses.filter((h) => h.state === 'up').length;
  return `${up}/${statuses.length} hosts up${down.length ? `, down: ${down.join(' ')}` : ''}`;
}
