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
      // Printable text only for fields: never control keys or escape sequences.
      const text = command || key.ctrl || key.meta || key.escape || key.return || key.tab ? '' : input;
      ref.current(command, text);
    },
    { isActive: active },
  );
}
