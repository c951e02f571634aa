/**
 * The screen lines of one Ink frame built by concatenation, for the rows where that gives what
 * Ink's Output would: every write on the row is one line of text we can measure (sgr-scan), that
 * leaves the style as it found it, lies wholly inside its clip and the frame, and does not overlap
 * another write. Such a row is its writes, in column order, with the gaps as spaces.
 *
 * Why: Ink's Output turns every character of every write into a styled-cell object (tokenizing
 * the ANSI text), places them in a grid, and turns each grid row back into a string — every
 * frame, for every line on screen, changed or not. On a 120x40 dashboard that was ~40 % of a
 * tick's CPU. Rows this cannot vouch for come back undefined and go through Ink's own code.
 */
import { trimPlainBlanks } from './sgr-scan.js';

export interface Clip {
  x1?: number;
  x2?: number;
  y1?: number;
  y2?: number;
}

export type Operation =
  | { type: 'write'; x: number; y: number; text: string; transformers: readonly ((line: string, index: number) => string)[] }
  | { type: 'clip'; clip: Clip }
  | { type: 'unclip' };

/** What the fast path needs of a text: its width, and whether it ends in the default style. */
export interface TextInfo {
  width: number;
  clean: boolean;
  /** Its last visible cell is a default-style space (at a row's end Ink trims those). */
  blankEnd?: boolean;
}

const bound = (a: number | undefined, b: number | undefined, pick: (x: number, y: number) => number) =>
  a === undefined ? b : b === undefined ? a : pick(a, b);

/** Nested clips intersect (as in Ink). */
export function intersect(outer: Clip | undefined, inner: Clip): Clip {
  if (!outer) return inner;
  return {
    x1: bound(outer.x1, inner.x1, Math.max),
    x2: bound(outer.x2, inner.x2, Math.min),
    y1: bound(outer.y1, inner.y1, Math.max),
    y2: bound(outer.y2, inner.y2, Math.min),
  };
}

interface Placed {
  x: number;
  width: number;
  text: string;
  blankEnd?: boolean;
}

/**
 * Per row of the frame: its line (trailing blanks trimmed, as Ink does), or undefined when the
 * row needs Ink's own rendering. `info` returns undefined for a text it cannot measure.
 */
export function fastRows(ops: readonly Operation[], width: number, height: number, info: (text: string) => TextInfo | undefined): (string | undefined)[] {
  const placed: (Placed[] | null)[] = Array.from({ length: height }, () => []);
  const clips: Clip[] = [];
  for (const op of ops) {
    if (op.type === 'clip') {
      clips.push(intersect(clips.at(-1), op.clip));
      continue;
    }
    if (op.type === 'unclip') {
      clips.pop();
      continue;
    }
    // Ink's Output writes each line of a text on its own row (tokenized apart, so no style runs
    // from one line into the next) and hands transformers the line's index: the same here.
    const lines = op.text.includes('\n') ? op.text.split('\n') : [op.text];
    const clip = clips.at(-1);
    for (let i = 0; i < lines.length; i++) {
      const y = op.y + i;
      if (y < 0 || y >= height) continue; // Ink has no row there either
      const p = placeLine(op.x, y, lines[i]!, i, op.transformers, clip, width, info);
      if (p === null) placed[y] = null;
      else if (p) placed[y]?.push(p);
    }
  }
  return placed.map((list) => (list ? join(list) : undefined));
}

/**
 * One line of a write: where it goes, undefined when it draws nothing (clipped away, empty), or
 * null when only Ink can tell what it draws.
 */
function placeLine(
  x: number,
  y: number,
  line: string,
  index: number,
  transformers: readonly ((line: string, index: number) => string)[],
  clip: Clip | undefined,
  width: number,
  info: (text: string) => TextInfo | undefined,
): Placed | null | undefined {
  if (clip) {
    if (clip.x1 !== undefined && clip.x2 !== undefined && clip.x1 >= clip.x2) return undefined;
    if (clip.y1 !== undefined && clip.y2 !== undefined && (clip.y1 >= clip.y2 || y < clip.y1 || y >= clip.y2)) return undefined;
  }
  const t = info(line);
  if (!t) return null;
  if (t.width === 0) return undefined; // nothing to draw
  if (clip && clip.x1 !== undefined && clip.x2 !== undefined) {
    if (x >= clip.x2 || x + t.width <= clip.x1) return undefined; // clipped away
    if (x < clip.x1 || x + t.width > clip.x2) return null;
  }
  // Every <Text> has a transformer (its colour props, usually none): applied as Ink does, to
  // the (here unclipped) line with its index in the write.
  let text = line;
  for (const f of transformers) text = f(text, index);
  // Ink hands transformers the line re-encoded from its cells (a reset inside becomes the
  // specific closing codes), so a transformer that styles a text with codes of its own
  // would see different input here: such writes go to Ink.
  if (text !== line && line.includes('\u001B')) return null;
  const u = text === line ? t : info(text);
  if (!u || !u.clean || u.width !== t.width || x < 0 || x + u.width > width) return null;
  return { x, width: u.width, text, blankEnd: !!u.blankEnd };
}

/** A row's writes as one line; undefined when two overlap (the later would overwrite the earlier). */
function join(list: Placed[]): string | undefined {
  if (list.length === 0) return '';
  if (list.length > 1) list.sort((a, b) => a.x - b.x);
  let line = '';
  let col = 0;
  for (const p of list) {
    if (p.x < col) return undefined;
    if (p.x > col) line += ' '.repeat(p.x - col);
    line += p.text;
    col = p.x + p.width;
  }
  // Ink drops the row's trailing blank cells; here they may sit before escape sequences.
  return list.at(-1)!.blankEnd ? trimPlainBlanks(line).trimEnd() : line.trimEnd();
}
