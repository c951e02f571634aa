/**
 * Subscribes a layer of the UI to key commands. The handler gets the command the binding table
 * maps the key to (within `scopes`, first scope wins) or, for text fields, the raw text when no
 * binding matches. Only one layer is active at a time (the topmost dialog, else the view), which
 * the caller expresses through `active` — a tiny priority stack without a provider.
 */
import { useInput } from 'ink';
import { useRef } from 'react';
import { matchCommand, type Command, type Scope } from './bindings.js';
import { keyName } from './key-name.js';

export type CommandHandler = (command: Command | undefined, text: string) => void;

export function useCommands(scopes: readonly Scope[], handler: CommandHandler, active = true): void {
  // A ref keeps the input subscription stable while the handler closes over fresh state.
  const ref = useRef(handler);
  ref.current = handler;
  const scopesRef = useRef(scopes);
  scopesRef.current = scopes;
  useInput(
    (input, key) => {
      const name = keyName(input, key);
      const command = matchCommand(name, scopesRef.current);
      const plain = !command && !key.ctrl && !key.meta && !input.startsWith('\u001B');
      const pieces = plain && Array.from(input).length > 1 ? splitChunk(input, (c) => matchCommand(c, scopesRef.current) !== undefined) : undefined;
      if (pieces && pieces.length > 1) {
        // Keys typed fast (or held, or sent by tmux, or pasted) can arrive as one chunk, which
        // Ink hands over as one string ("jje", "myimage:1\r"). Replay them one at a time, each
        // after the previous one has been rendered, so "jje" opens a shell in the row two below
        // and a name typed with its Enter is submitted, as typed.
        const replay = (i: number) => {
          const p = pieces[i];
          if (p === undefined) return;
          const cmd = matchCommand(p.name ?? p.text, scopesRef.current);
          ref.current(cmd, cmd || p.name ? '' : p.text);
          setTimeout(() => replay(i + 1), 0);
        };
        replay(0);
        return;
      }
      // Printable text only for fields: never control keys or escape sequences.
      const text = command || key.ctrl || key.meta || key.escape || key.return || key.tab ? '' : input;
      ref.current(command, text);
    },
    { isActive: active },
  );
}

const CONTROL_NAMES: Record<string, string> = { '\r': 'enter', '\n': 'enter', '\t': 'tab', '\u007F': 'backspace', '\b': 'backspace' };

/**
 * A chunk of keys as separate key presses: control characters (Enter, Tab, Backspace) each
 * on their own under their binding names, a run of printable characters as one piece of text
 * unless one of them is bound (then one piece per character).
 */
export function splitChunk(input: string, bound: (ch: string) => boolean): Array<{ name?: string; text: string }> {
  const out: Array<{ name?: string; text: string }> = [];
  for (const part of input.split(/([\r\n\t\u007F\b])/)) {
    if (!part) continue;
    const name = CONTROL_NAMES[part];
    if (name) out.push({ name, text: '' });
    else {
      const chars = Array.from(part);
      if (chars.some(bound)) for (const c of chars) out.push({ text: c });
      else out.push({ text: part });
    }
  }
  return out;
}
