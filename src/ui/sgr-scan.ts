/**
 * A cheap reading of one line of terminal text: its width in cells and its SGR (colour/attribute)
 * state cell by cell — enough for the fast paths of ink-fast-rows and ink-line-diff, which must
 * know a text's width, that it leaves the terminal's style as it found it, and which cells of two
 * versions of a line differ.
 *
 * Only what the dashboard draws is understood: printable ASCII, SGR sequences, and a set of
 * characters known to be one cell wide (block and box-drawing glyphs, arrows, dots, ellipsis).
 * Anything else (other escapes, control characters, CJK, emoji, combining marks) makes the scan
 * return undefined, and the callers fall back to Ink's own (exact, slower) handling.
 */

export interface ScannedLine {
  /** Visible cells. */
  width: number;
  /** Per cell: the character, and the SGR state it is drawn in ('' = default). */
  chars: string[];
  styles: string[];
  /** Per cell: index in the raw text where the cell's character starts. */
  at: number[];
  /** The SGR state after the last character (closing codes included). */
  endStyle: string;
  /** The last visible cell is a space in the default style (Ink trims such cells off a row). */
  plainBlankEnd: boolean;
}

// U+2022 bullet, U+2026 …, U+2190–21FF arrows, U+2500–259F box drawing and blocks, U+25A0–25FF
// geometric shapes (● ○ ▲ ▼ ▸), U+00B7 middle dot, U+00B0 degree: single-width everywhere.
export function narrow(code: number): boolean {
  return (
    code === 0xb7 ||
    code === 0xb0 ||
    code === 0x2022 ||
    code === 0x2026 ||
    (code >= 0x2190 && code <= 0x21ff) ||
    (code >= 0x2500 && code <= 0x25ff && code !== 0x25fd && code !== 0x25fe) // ◽◾ are wide (emoji)
  );
}

/** SGR state as slots: fg, bg, bold, dim, italic, underline, blink, inverse, hidden, strike, overline. */
type State = string[];
const SLOTS = 11;

/** Applies one SGR parameter list to the state; false for a code not understood. */
function applySgr(state: State, params: string): boolean {
  const p = params === '' ? ['0'] : params.split(';');
  for (let i = 0; i < p.length; i++) {
    const s = p[i]!;
    if (!/^\d+$/.test(s)) return false;
    const n = Number(s);
    if (n === 0) state.fill('');
    else if (n === 1) state[2] = '1';
    else if (n === 2) state[3] = '2';
    else if (n === 22) state[2] = state[3] = '';
    else if (n === 3) state[4] = '3';
    else if (n === 23) state[4] = '';
    else if (n === 4) state[5] = '4';
    else if (n === 24) state[5] = '';
    else if (n === 5 || n === 6) state[6] = s;
    else if (n === 25) state[6] = '';
    else if (n === 7) state[7] = '7';
    else if (n === 27) state[7] = '';
    else if (n === 8) state[8] = '8';
    else if (n === 28) state[8] = '';
    else if (n === 9) state[9] = '9';
    else if (n === 29) state[9] = '';
    else if (n === 53) state[10] = '53';
    else if (n === 55) state[10] = '';
    else if ((n >= 30 && n <= 37) || (n >= 90 && n <= 97)) state[0] = s;
    else if (n === 39) state[0] = '';
    else if ((n >= 40 && n <= 47) || (n >= 100 && n <= 107)) state[1] = s;
    else if (n === 49) state[1] = '';
    else if (n === 38 || n === 48) {
      // Extended colours: 38;5;N or 38;2;R;G;B.
      const mode = p[i + 1];
      const len = mode === '5' ? 2 : mode === '2' ? 4 : -1;
      if (len < 0 || i + len >= p.length) return false;
      state[n === 38 ? 0 : 1] = p.slice(i, i + len + 1).join(';');
      i += len;
    } else return false;
  }
  return true;
}

/** The state as the parameters that recreate it from default ('' = default). */
function key(state: State): string {
  let out = '';
  for (const s of state) if (s) out = out ? `${out};${s}` : s;
  return out;
}

/**
 * `text` without the default-style spaces after its last other cell, escape sequences kept: what
 * Ink's Output leaves of a row's end (it trims blank cells, and escapes are not cells).
 */
export function trimPlainBlanks(text: string): string {
  const s = scanLine(text);
  if (!s || !s.plainBlankEnd) return text;
  let k = s.chars.length - 1;
  while (k >= 0 && s.chars[k] === ' ' && s.styles[k] === '') k--;
  const from = k < 0 ? 0 : s.at[k]! + s.chars[k]!.length;
  // The cut-off tail keeps its escape sequences (they may close a style) and drops its spaces.
  return text.slice(0, from) + text.slice(from).replace(/ /g, '');
}

/** The escape sequence that sets the terminal to `style` (a key from a ScannedLine) from any state. */
export function sgrFor(style: string): string {
  return style ? `\u001B[0;${style}m` : '\u001B[0m';
}

/** `cells` false: only width and endStyle (no per-cell arrays; the Output fast path's need). */
export function scanLine(text: string, cells = true): ScannedLine | undefined {
  const state: State = new Array<string>(SLOTS).fill('');
  let style = '';
  let width = 0;
  let plainBlankEnd = false;
  const chars: string[] = [];
  const styles: string[] = [];
  const at: number[] = [];
  for (let i = 0; i < text.length;) {
    const c = text.charCodeAt(i);
    if (c === 0x1b) {
      if (text.charCodeAt(i + 1) !== 0x5b) return undefined;
      let j = i + 2;
      while (j < text.length) {
        const d = text.charCodeAt(j);
        if ((d >= 0x30 && d <= 0x39) || d === 0x3b) j++;
        else break;
      }
      if (text[j] !== 'm' || !applySgr(state, text.slice(i + 2, j))) return undefined;
      style = key(state);
      i = j + 1;
      continue;
    }
    if (!((c >= 0x20 && c < 0x7f) || narrow(c))) return undefined;
    width++;
    plainBlankEnd = c === 0x20 && style === '';
    if (cells) {
      chars.push(text[i]!);
      styles.push(style);
      at.push(i);
    }
    i++;
  }
  return { width, chars, styles, at, endStyle: style, plainBlankEnd };
}
