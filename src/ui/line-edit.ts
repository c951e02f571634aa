/** The editing rules of a one-line text field, separate from Ink so they are unit-tested. */
import type { Command } from './bindings.js';

export function editLine(value: string, command: Command | undefined, text: string): string {
  if (command === 'deleteChar') return Array.from(value).slice(0, -1).join('');
  // Pasted text arrives in one piece; newlines would end up in names.
  if (!command && text) return value + text.replace(/[\r\n\t]/g, '');
  return value;
}
