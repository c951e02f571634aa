/** The header and tab lines as strings, pure. */
import type { Theme } from '../ui/theme.js';
import type { Glyphs } from '../ui/glyphs.js';
import { memBytes, percent } from '../ui/format.js';
import { fit } from '../ui/text.js';
import type { HostStats } from './host-stats.js';
import { PANES, PANE_TITLES, type PaneId } from './panes.js';

export interface HeaderModel {
  hostName: string;
  engineLabel: string;
  /** This machine's CPU/memory: only when the host shown is this machine. */
  host?: HostStats;
  /** A remote daemon's own size (its info): shown instead, never this machine's figures. */
  daemon?: { ncpu: number; memTotal: number };
  /** The host shown is not reachable: why, and that it is being retried. */
  disconnected?: string;
  /** false: no CPU/memory part at all (the all-hosts view: no one machine's figures apply). */
  figures?: boolean;
  /** With several hosts configured: "2/3 hosts up" (and which are down). */
  hosts?: string;
  running: number;
  containers: number;
  images: number;
  networks: number;
  volumes: number;
}

export const DISCONNECTED = 'DISCONNECTED';

export function headerText(m: HeaderModel, width: number, theme: Theme, glyphs: Glyphs): string {
  const sep = ` ${glyphs.dot} `;
  const figures = m.host
    ? `CPU ${percent(m.host.cpuPercent)}  MEM ${memBytes(m.host.memUsed)}/${memBytes(m.host.memTotal)}`
    : m.daemon
      ? `${m.daemon.ncpu} CPUs  MEM ${memBytes(m.daemon.memTotal)}`
      : 'CPU -  MEM -';
  const counts = `${m.running}/${m.containers} running`;
  const left = `berth${sep}${m.hostName}${sep}${m.engineLabel}`;
  const middle =
    m.disconnected !== undefined
      ? `${DISCONNECTED}, reconnecting${m.disconnected ? `: ${m.disconnected}` : ''}`
      : m.figures === false
        ? counts
        : `${figures}${sep}${counts}`;
  const plain = `${left}${sep}${middle}${m.hosts ? `${sep}${m.hosts}` : ''}`;
  // Paint after fitting so truncation never cuts an escape sequence.
  let fitted = fit(plain, width, 'left', glyphs.ellipsis);
  if (fitted.includes(DISCONNECTED)) fitted = fitted.replace(DISCONNECTED, theme.paint('error', DISCONNECTED));
  return fitted.startsWith(left) ? theme.paint('title', 'berth') + fitted.slice('berth'.length) : fitted;
}

export function tabsText(active: PaneId, counts: Record<PaneId, number>, right: string, width: number, theme: Theme, glyphs: Glyphs): string {
  let out = '';
  let used = 0;
  for (const [i, p] of PANES.entries()) {
    const label = ` ${i + 1} ${PANE_TITLES[p]} ${counts[p]} `;
    out += p === active ? theme.paint('selected', label) : theme.paint('muted', label);
    used += label.length;
  }
  const room = width - used - 1;
  if (room > 3 && right) out += ' ' + theme.paint('accent', fit(right, room, 'right', glyphs.ellipsis));
  return out;
}
