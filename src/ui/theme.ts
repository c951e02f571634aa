/**
 * Semantic colour tokens. Components ask for a meaning ("running", "error"), never a colour, so
 * NO_COLOR, a monochrome terminal or a future user theme change one table instead of every file.
 * Rows are painted into plain strings with SGR codes (one Ink <Text> per row is ~2x cheaper to
 * render than a Text per cell), so the theme produces escape codes rather than Ink colour names.
 */
export type Token =
  'text' | 'muted' | 'accent' | 'title' | 'header' | 'selected' | 'running' | 'paused' | 'stopped' | 'success' | 'warning' | 'error' | 'match' | 'key';

export interface Theme {
  readonly color: boolean;
  /** Wraps `text` in the token's SGR attributes ('' for tokens without any). */
  paint(token: Token, text: string): string;
  /** Colour names for Ink props that take one (borders); undefined = terminal default. */
  readonly ink: { border?: string; borderFocus?: string };
}

// SGR parameters per token. With colour: ANSI 16-colour codes, which every terminal and SSH
// client maps to its own palette. Without (NO_COLOR): attributes only, so the selection and
// search matches stay visible.
const COLOUR: Record<Token, string> = {
  text: '',
  muted: '90',
  accent: '36',
  title: '1;36',
  header: '1',
  selected: '7',
  running: '32',
  paused: '33',
  stopped: '90',
  success: '32',
  warning: '33',
  error: '1;31',
  match: '30;43',
  key: '1;33',
};
const MONO: Record<Token, string> = {
  text: '',
  muted: '',
  accent: '',
  title: '1',
  header: '1',
  selected: '7',
  running: '',
  paused: '',
  stopped: '',
  success: '',
  warning: '',
  error: '1',
  match: '7',
  key: '1',
};

export function makeTheme(color: boolean): Theme {
  const table = color ? COLOUR : MONO;
  return {
    color,
    paint(token, text) {
      const sgr = table[token];
      return sgr && text ? `\u001B[${sgr}m${text}\u001B[0m` : text;
    },
    ink: color ? { border: 'gray', borderFocus: 'cyan' } : {},
  };
}
