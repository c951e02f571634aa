/**
 * The width of a line made only of printable ASCII, SGR sequences and characters known to take
 * one cell (sgr-scan's set: sparkline blocks, box drawing, arrows, dots), counted in one loop;
 * -1 for anything else, which the caller measures with string-width. Why: each line whose
 * figures changed is new to Ink's width cache, and string-width walks graphemes with Unicode
 * regexes (~10x slower) as soon as a line holds one non-ASCII character, such as a sparkline.
 */
import { narrow } from './sgr-scan.js';

const ESC = 0x1b;
const BRACKET = 0x5b;
const M = 0x6d;
const SEMI = 0x3b;

export function fastWidth(s: string): number {
  let w = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === ESC) {
      // Only SGR: ESC [ digits/semicolons m (zero width). Other sequences go to string-width.
      if (s.charCodeAt(i + 1) !== BRACKET) return -1;
      let j = i + 2;
      for (; j < s.length; j++) {
        const d = s.charCodeAt(j);
        if (d === M) break;
        if ((d < 0x30 || d > 0x39) && d !== SEMI) return -1;
      }
      if (j >= s.length) return -1;
      i = j;
    } else if ((c >= 0x20 && c <= 0x7e) || narrow(c)) w++;
    else return -1;
  }
  return w;
}
