/**
 * Characters that need UTF-8. Non-UTF-8 terminals (LANG=C over old SSH clients, serial
 * consoles) get ASCII look-alikes rather than mojibake.
 */
export interface Glyphs {
  readonly unicode: boolean;
  /** Sparkline levels, lowest first. */
  readonly spark: readonly string[];
  /** An Ink borderStyle name. */
  readonly border: 'single' | 'classic';
  readonly ellipsis: string;
  readonly pointer: string;
  readonly sortAsc: string;
  readonly sortDesc: string;
  readonly dot: string;
}

export const UNICODE_GLYPHS: Glyphs = {
  unicode: true,
  spark: ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'],
  border: 'single',
  ellipsis: '…',
  pointer: '›',
  sortAsc: '▲',
  sortDesc: '▼',
  dot: '·',
};

export const ASCII_GLYPHS: Glyphs = {
  unicode: false,
  spark: ['_', '.', '-', ':', '=', '+', '*', '#'],
  border: 'classic',
  ellipsis: '~',
  pointer: '>',
  sortAsc: '^',
  sortDesc: 'v',
  dot: '.',
};
