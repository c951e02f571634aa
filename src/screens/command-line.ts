/**
 * The `:` command line (k9s' habit): pane names, container actions by name, the events view,
 * `:run IMAGE [NAME]`, `:q`. Parsing and Tab completion are pure and unit-tested; the dashboard
 * runs what comes out through the same action tables as the keys.
 */
import type { Command } from '../ui/bindings.js';
import type { PaneId } from './panes.js';

export type Parsed =
  | { kind: 'pane'; pane: PaneId }
  | { kind: 'quit' | 'help' | 'events' | 'group' }
  | { kind: 'action'; command: Command; names: string[] }
  | { kind: 'run'; image: string; name?: string }
  | { kind: 'error'; message: string };

const PANE_WORDS: Record<string, PaneId> = { containers: 'containers', ps: 'containers', images: 'images', networks: 'networks', volumes: 'volumes' };

/** Action words and the key command each one is. */
const ACTION_WORDS: Record<string, Command> = {
  start: 'start',
  stop: 'stop',
  restart: 'restart',
  pause: 'pause',
  unpause: 'pause',
  kill: 'kill',
  rm: 'remove',
  remove: 'remove',
  logs: 'logs',
  commit: 'commit',
  connect: 'connect',
  disconnect: 'disconnect',
  shell: 'shell',
  exec: 'shell',
  attach: 'attach',
  update: 'update',
  mark: 'mark',
};

const OTHER_WORDS = ['events', 'group', 'help', 'run', 'q', 'quit'];

/** Every first word, for completion (sorted). */
export const COMMAND_WORDS: readonly string[] = [...Object.keys(PANE_WORDS), ...Object.keys(ACTION_WORDS), ...OTHER_WORDS].sort();

export function parseCommandLine(text: string): Parsed {
  const words = text.trim().replace(/^:/, '').split(/\s+/).filter(Boolean);
  const [head, ...rest] = words;
  if (!head) return { kind: 'error', message: 'type a command: a pane (images), an action and a name (stop web), run, events, q' };
  if (head === 'q' || head === 'quit' || head === 'q!') return { kind: 'quit' };
  if (head === 'help') return { kind: 'help' };
  if (head === 'events') return { kind: 'events' };
  if (head === 'group') return rest.length ? { kind: 'error', message: ':group takes no arguments' } : { kind: 'group' };
  const pane = PANE_WORDS[head];
  if (pane) return rest.length ? { kind: 'error', message: `:${head} takes no arguments` } : { kind: 'pane', pane };
  if (head === 'run') {
    const [image, name, ...more] = rest;
    if (!image || more.length) return { kind: 'error', message: 'usage: :run IMAGE [NAME]' };
    if (name !== undefined && !/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(name)) return { kind: 'error', message: `invalid container name: ${name}` };
    return { kind: 'run', image, ...(name ? { name } : {}) };
  }
  const command = ACTION_WORDS[head];
  if (command) return { kind: 'action', command, names: rest };
  return { kind: 'error', message: `unknown command: ${head} (Tab lists them)` };
}

export interface Completion {
  text: string;
  /** What the word could become, when several. */
  options: string[];
}

function commonPrefix(a: readonly string[]): string {
  if (!a.length) return '';
  let p = a[0]!;
  for (const s of a) while (!s.startsWith(p)) p = p.slice(0, -1);
  return p;
}

/**
 * Completes the last word: a command word first, then a container name (an image for :run).
 * A unique match is completed with a space after it; several complete to what they share.
 */
export function completeCommandLine(text: string, containers: readonly string[], images: readonly string[]): Completion {
  const words = text.split(' ');
  const last = words[words.length - 1] ?? '';
  const first = words.length === 1;
  const head = words[0] ?? '';
  const pool = first ? COMMAND_WORDS : head === 'run' ? (words.length === 2 ? images : []) : ACTION_WORDS[head] ? containers : [];
  const options = [...new Set(pool.filter((w) => w.startsWith(last)))].sort();
  if (!options.length) return { text, options: [] };
  const done = options.length === 1 ? `${options[0]} ` : commonPrefix(options);
  return { text: [...words.slice(0, -1), done.length >= last.length ? done : last].join(' '), options: options.length > 1 ? options : [] };
}
