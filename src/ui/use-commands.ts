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
      const chars = plain ? Array.from(input) : [];
      if (chars.length > 1 && chars.some((c) => matchCommand(c, scopesRef.current))) {
        // Keys typed fast (or held, or sent by tmux) can arrive as one chunk, which Ink hands
        // over as one string ("jje"). Replay them one at a time, each after the previous one has
        // been rendered, so "jje" opens a shell in the row two below, as typed.
        const replay = (i: number) => {
          const c = chars[i];
          if (c === undefined) return;
          const cmd = matchCommand(c, scopesRef.current);
          ref.current(cmd, cmd ? '' : c);
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
