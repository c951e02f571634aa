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
  host?: HostStats;
  running: number;
  containers: number;
  images: number;
  networks: number;
  volumes: number;
}

export function headerText(m: HeaderModel, width: number, theme: Theme, glyphs: Glyphs): string {
  const sep = ` ${glyphs.dot} `;
  const host = m.host ? `CPU ${percent(m.host.cpuPercent)}  MEM ${memBytes(m.host.memUsed)}/${memBytes(m.host.memTotal)}` : 'CPU -  MEM -';
  const counts = `${m.running}/${m.containers} running`;
  const left = `berth${sep}${m.hostName}${sep}${m.engineLabel}`;
  const plain = `${left}${sep}${host}${sep}${counts}`;
  // Paint after fitting so truncation never cuts an escape sequence.
  const fitted = fit(plain, width, 'left', glyphs.ellipsis);
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
