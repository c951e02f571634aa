/** The bottom line: the keys that matter here, from the binding table, cut to the width. */
import { BINDINGS, keyLabel, type Scope } from '../ui/bindings.js';
import type { Theme } from '../ui/theme.js';

const SHORT: Partial<Record<string, string>> = {
  open: 'detail',
  remove: 'rm',
  disconnect: 'disconnect',
  sortReverse: 'reverse',
  hosts: 'host',
  allHosts: 'all hosts',
  markAll: 'mark all',
  markProject: 'mark project',
  group: 'group',
  commandLine: 'command',
  update: 'limits',
};

export function hintText(scopes: readonly Scope[], width: number, theme: Theme, extra: readonly string[] = []): string {
  const parts: string[] = [];
  const seen = new Set<string>();
  for (const s of scopes) {
    for (const b of BINDINGS) {
      if (b.scope !== s || seen.has(b.command)) continue;
      // Motions and pane numbers are known; spend the line on actions.
      if (['down', 'up', 'pageDown', 'pageUp', 'top', 'bottom', 'pane1', 'pane2', 'pane3', 'pane4', 'prevPane', 'back'].includes(b.command)) continue;
      // dash-b: tab2…tab8 are told by tab1's hint
      if (/^tab[2-8]$/.test(b.command)) continue;
      seen.add(b.command);
      parts.push(`${theme.paint('key', keyLabel(b.keys.slice(0, 1)))} ${SHORT[b.command] ?? b.command}`);
    }
  }
  let out = '';
  let len = 0;
  for (const p of [...extra, ...parts]) {
    const plainLen = p.replace(/\u001B\[[0-9;]*m/g, '').length + 2;
    if (len + plainLen > width) break;
    out += (out ? '  ' : '') + p;
    len += plainLen;
  }
  return out;
}
