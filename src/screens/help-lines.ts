/** The help screen, generated from the binding table: every binding, grouped by where it works. */
import { BINDINGS, SCOPE_TITLES, keyLabel, type Binding, type Scope } from '../ui/bindings.js';
import type { Theme } from '../ui/theme.js';
import { fit } from '../ui/text.js';

export function helpLines(theme: Theme, table: readonly Binding[] = BINDINGS): string[] {
  const scopes: Scope[] = [];
  for (const b of table) if (!scopes.includes(b.scope)) scopes.push(b.scope);
  const out: string[] = [theme.paint('muted', 'CPU % is docker\'s: 100 % = one core fully used. Esc or ? closes this help.'), ''];
  for (const s of scopes) {
    out.push(theme.paint('title', SCOPE_TITLES[s]));
    // dash-b: bindings without help (tab2…tab8) are summed up by the first one
    for (const b of table.filter((x) => x.scope === s && x.help)) out.push(`  ${theme.paint('key', fit(keyLabel(b.keys), 18))} ${b.help}`);
    out.push('');
  }
  return out;
}
