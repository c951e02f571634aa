/**
 * The help screen, generated from the binding table: every binding, grouped by where it works,
 * each with the berth command that does the same (action-command), so the keys teach the CLI.
 */
import { BINDINGS, SCOPE_TITLES, keyLabel, type Binding, type Scope } from '../ui/bindings.js';
import type { Theme } from '../ui/theme.js';
import { fit } from '../ui/text.js';
import { helpCommand } from './action-command.js';

const KEY_W = 18;
const HELP_W = 50;

export function helpLines(theme: Theme, table: readonly Binding[] = BINDINGS, width = 120): string[] {
  const scopes: Scope[] = [];
  for (const b of table) if (!scopes.includes(b.scope)) scopes.push(b.scope);
  const out: string[] = [];
  for (const s of scopes) {
    out.push(theme.paint('title', SCOPE_TITLES[s]));
    // tab2…tab8 are told by tab1's line ("tab 1 … 8 (digits)"), as in the hint line
    const inScope = table.filter((x) => x.scope === s && !/^tab[2-8]$/.test(x.command));
    // The pane number keys read as one line ("1 / 2 / 3 / 4  containers, images, …"): the help's
    // first screen is worth the three lines.
    const panes = inScope.filter((x) => /^pane\d$/.test(x.command));
    for (const b of inScope) {
      if (panes.length > 1 && panes.includes(b)) {
        if (b === panes[0]) out.push(`  ${theme.paint('key', fit(keyLabel(panes.flatMap((x) => x.keys)), KEY_W))} ${panes.map((x) => x.help).join(', ')}`);
        continue;
      }
      const head = `  ${theme.paint('key', fit(keyLabel(b.keys), KEY_W))} `;
      const cli = helpCommand(b.command, b.scope);
      if (!cli) {
        out.push(head + b.help);
        continue;
      }
      const shell = `$ ${cli}`;
      // Side by side when the line has room (120 columns) and the help is not cut, else the command under its key.
      if (b.help.length < HELP_W && 3 + KEY_W + HELP_W + shell.length <= width) out.push(head + fit(b.help, HELP_W) + theme.paint('muted', shell));
      else out.push(head + b.help, ' '.repeat(3 + KEY_W) + theme.paint('muted', shell));
    }
    out.push('');
  }
  // Last: the first screen is spent on keys (the tab line says the CPU scale too).
  out.push(theme.paint('muted', "CPU % is docker's: 100 % = one core fully used. Esc or ? closes this help."));
  return out;
}

/** The help's last line: where the window is and how to move it ("↓ more  lines 1–20 of 95 …"). */
export function scrollIndicator(offset: number, height: number, total: number, unicode: boolean): string {
  if (total <= height) return `all ${total} lines shown  esc closes`;
  const last = Math.min(total, offset + height);
  const more = last < total ? (unicode ? '↓ more' : 'v more') : 'end';
  const above = offset > 0 ? (unicode ? '↑ ' : '^ ') : '';
  return `${above}${more}  lines ${offset + 1}-${last} of ${total}  j/k PgUp/PgDn g/G scroll  esc closes`;
}
