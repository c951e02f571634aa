/** The `:` prompt's state: the text, Tab completion, ↑/↓ through this session's history. */
import { useRef, useState } from 'react';
import { useCommands } from '../ui/use-commands.js';
import { editLine } from '../ui/line-edit.js';
import type { Completion } from './command-line.js';

export interface CommandLine {
  editing: boolean;
  text: string;
  /** Candidates of the last Tab that had several. */
  options: readonly string[];
  open: () => void;
}

export function useCommandLine(run: (text: string) => void, complete: (text: string) => Completion, active: boolean): CommandLine {
  const [text, setText] = useState<string | undefined>();
  const [options, setOptions] = useState<readonly string[]>([]);
  const history = useRef<string[]>([]);
  // Position while walking the history: history.length = the line being typed.
  const pos = useRef(0);
  const close = () => {
    setText(undefined);
    setOptions([]);
  };
  useCommands(
    ['prompt'],
    (cmd, typed) => {
      const cur = text ?? '';
      const h = history.current;
      switch (cmd) {
        case 'cancel':
          return close();
        case 'confirm':
          close();
          if (cur.trim() && h[h.length - 1] !== cur.trim()) h.push(cur.trim());
          pos.current = h.length;
          return run(cur);
        case 'complete': {
          const c = complete(cur);
          setOptions(c.options);
          return setText(c.text);
        }
        case 'historyPrev':
        case 'historyNext': {
          const next = Math.max(0, Math.min(h.length, pos.current + (cmd === 'historyPrev' ? -1 : 1)));
          pos.current = next;
          return setText(h[next] ?? '');
        }
        default:
          setOptions([]);
          setText(editLine(cur, cmd, typed));
      }
    },
    active && text !== undefined,
  );
  return {
    editing: text !== undefined,
    text: text ?? '',
    options,
    open: () => {
      pos.current = history.current.length;
      setText('');
    },
  };
}
