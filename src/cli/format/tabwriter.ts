/**
 * docker's tabwriter (a fork of Go's text/tabwriter that measures cells in terminal columns):
 * tab-terminated cells are aligned in columns, a column is as wide as its widest cell plus the
 * padding (and at least minwidth), a run of lines sharing a column is one block, and a line
 * without tabs ends the blocks above it. docker's tables use minwidth 10, tabwidth 1, padding 3,
 * padchar ' ', no flags. Text is a byte string (see template/bytes.ts); widths come from the
 * runes it encodes, an invalid byte counting as one column (as U+FFFD does).
 */
import { decodeRune } from './template/bytes.js';

/** Columns a code point occupies on a terminal (go-runewidth, East Asian width not ambiguous). */
function runeWidth(r: number): number {
  if (r >= 0x20 && r < 0x7f) return 1;
  if (r < 0x20 || (r >= 0x7f && r < 0xa0)) return 0;
  // Combining marks and zero-width characters.
  if (/^[\p{Mn}\p{Me}\p{Cf}]$/u.test(String.fromCodePoint(r)) && r !== 0xad) return 0;
  if (
    (r >= 0x1100 && r <= 0x115f) ||
    r === 0x2329 ||
    r === 0x232a ||
    (r >= 0x231a && r <= 0x231b) ||
    (r >= 0x23e9 && r <= 0x23ec) ||
    r === 0x23f0 ||
    r === 0x23f3 ||
    (r >= 0x25fd && r <= 0x25fe) ||
    (r >= 0x2614 && r <= 0x2615) ||
    (r >= 0x2648 && r <= 0x2653) ||
    r === 0x267f ||
    r === 0x2693 ||
    r === 0x26a1 ||
    (r >= 0x26aa && r <= 0x26ab) ||
    (r >= 0x26bd && r <= 0x26be) ||
    (r >= 0x26c4 && r <= 0x26c5) ||
    r === 0x26ce ||
    r === 0x26d4 ||
    r === 0x26ea ||
    (r >= 0x26f2 && r <= 0x26f3) ||
    r === 0x26f5 ||
    r === 0x26fa ||
    r === 0x26fd ||
    r === 0x2705 ||
    (r >= 0x270a && r <= 0x270b) ||
    r === 0x2728 ||
    r === 0x274c ||
    r === 0x274e ||
    (r >= 0x2753 && r <= 0x2755) ||
    r === 0x2757 ||
    (r >= 0x2795 && r <= 0x2797) ||
    r === 0x27b0 ||
    r === 0x27bf ||
    (r >= 0x2b1b && r <= 0x2b1c) ||
    r === 0x2b50 ||
    r === 0x2b55 ||
    (r >= 0x2e80 && r <= 0x303e) ||
    (r >= 0x3041 && r <= 0x33ff) ||
    (r >= 0x3400 && r <= 0x4dbf) ||
    (r >= 0x4e00 && r <= 0x9fff) ||
    (r >= 0xa000 && r <= 0xa4cf) ||
    (r >= 0xa960 && r <= 0xa97f) ||
    (r >= 0xac00 && r <= 0xd7a3) ||
    (r >= 0xf900 && r <= 0xfaff) ||
    (r >= 0xfe10 && r <= 0xfe19) ||
    (r >= 0xfe30 && r <= 0xfe6f) ||
    (r >= 0xff00 && r <= 0xff60) ||
    (r >= 0xffe0 && r <= 0xffe6) ||
    (r >= 0x1f300 && r <= 0x1f64f) ||
    (r >= 0x1f680 && r <= 0x1f6ff) ||
    (r >= 0x1f900 && r <= 0x1f9ff) ||
    (r >= 0x20000 && r <= 0x3fffd)
  )
    return 2;
  return 1;
}

/** Terminal columns of a byte string. */
export function stringWidth(b: string): number {
  // Printable ASCII (nearly every cell) is one column a byte.
  if (/^[\x20-\x7e]*$/.test(b)) return b.length;
  let w = 0;
  for (let i = 0; i < b.length;) {
    const [r, size] = decodeRune(b, i);
    w += runeWidth(r);
    i += size;
  }
  return w;
}

interface Cell {
  text: string;
  width: number;
  /** Terminated by a tab (part of a column) rather than by the end of the line. */
  htab: boolean;
}

export interface TabwriterOptions {
  minwidth: number;
  padding: number;
}

/** docker's table layout: the whole text (lines separated by \n, cells by \t) aligned. */
export function tabwrite(text: string, opts: TabwriterOptions = { minwidth: 10, padding: 3 }): string {
  let out = '';
  let lines: Cell[][] = [[]];
  let cell = '';
  const widths: number[] = [];

  const terminateCell = (htab: boolean): number => {
    const line = lines[lines.length - 1]!;
    line.push({ text: cell, width: stringWidth(cell), htab });
    cell = '';
    return line.length;
  };

  const writeLines = (line0: number, line1: number) => {
    for (let i = line0; i < line1; i++) {
      const line = lines[i]!;
      line.forEach((c, j) => {
        out += c.text;
        if (j < widths.length) out += ' '.repeat(Math.max(0, widths[j]! - c.width));
      });
      if (i + 1 === lines.length) out += cell;
      else out += '\n';
    }
  };

  const format = (line0: number, line1: number) => {
    const column = widths.length;
    for (let t = line0; t < line1; t++) {
      if (column >= lines[t]!.length - 1) continue;
      // Cell in this column exists: a block starts here, lines above it are written.
      writeLines(line0, t);
      line0 = t;
      let width = opts.minwidth;
      for (; t < line1; t++) {
        const line = lines[t]!;
        if (column >= line.length - 1) break;
        const w = line[column]!.width + opts.padding;
        if (w > width) width = w;
      }
      widths.push(width);
      format(line0, t);
      widths.pop();
      line0 = t;
    }
    writeLines(line0, line1);
  };

  const flush = () => {
    if (cell.length > 0) terminateCell(false);
    format(0, lines.length);
    lines = [[]];
    cell = '';
  };

  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x09 && c !== 0x0b && c !== 0x0a && c !== 0x0c) continue;
    cell += text.slice(start, i);
    start = i + 1;
    const ncells = terminateCell(c === 0x09);
    if (c === 0x0a || c === 0x0c) {
      lines.push([]);
      // A line of one cell ends every column block above it.
      if (c === 0x0c || ncells === 1) flush();
    }
  }
  cell += text.slice(start);
  flush();
  return out;
}
