/**
 * Go strings are bytes; `len`, `index`, `slice`, `truncate` and printf widths count them (or
 * the runes they encode) the way Go does. Inside the template engine a Go string is therefore a
 * "byte string": a JS string whose every char code is one byte (0–255). These helpers convert
 * at the edges and decode runes as Go's utf8 package does (an invalid byte is U+FFFD, width 1).
 */

export const RUNE_ERROR = 0xfffd;

/** A JS (UTF-16) string as the byte string of its UTF-8 encoding. */
export function toBytes(s: string): string {
  // Fast path: ASCII is its own encoding.
  if (/^[\x00-\x7f]*$/.test(s)) return s;
  return Buffer.from(s, 'utf8').toString('latin1');
}

/** A byte string decoded as UTF-8 (invalid sequences become U+FFFD, as when printed). */
export function fromBytes(b: string): string {
  if (/^[\x00-\x7f]*$/.test(b)) return b;
  return Buffer.from(b, 'latin1').toString('utf8');
}

/** Go's utf8.DecodeRuneInString at byte offset i: [rune, width]; width 0 at the end. */
export function decodeRune(b: string, i: number): [number, number] {
  const n = b.length - i;
  if (n <= 0) return [RUNE_ERROR, 0];
  const c0 = b.charCodeAt(i);
  if (c0 < 0x80) return [c0, 1];
  const cont = (k: number) => {
    if (k >= b.length) return -1;
    const c = b.charCodeAt(k);
    return c >= 0x80 && c <= 0xbf ? c & 0x3f : -1;
  };
  if (c0 >= 0xc2 && c0 <= 0xdf) {
    const c1 = cont(i + 1);
    return c1 < 0 ? [RUNE_ERROR, 1] : [((c0 & 0x1f) << 6) | c1, 2];
  }
  if (c0 >= 0xe0 && c0 <= 0xef) {
    const b1 = i + 1 < b.length ? b.charCodeAt(i + 1) : -1;
    // Go rejects overlong forms and surrogates by bounding the second byte.
    const lo = c0 === 0xe0 ? 0xa0 : 0x80;
    const hi = c0 === 0xed ? 0x9f : 0xbf;
    if (b1 < lo || b1 > hi) return [RUNE_ERROR, 1];
    const c2 = cont(i + 2);
    if (c2 < 0) return [RUNE_ERROR, 1];
    return [((c0 & 0x0f) << 12) | ((b1 & 0x3f) << 6) | c2, 3];
  }
  if (c0 >= 0xf0 && c0 <= 0xf4) {
    const b1 = i + 1 < b.length ? b.charCodeAt(i + 1) : -1;
    const lo = c0 === 0xf0 ? 0x90 : 0x80;
    const hi = c0 === 0xf4 ? 0x8f : 0xbf;
    if (b1 < lo || b1 > hi) return [RUNE_ERROR, 1];
    const c2 = cont(i + 2);
    const c3 = cont(i + 3);
    if (c2 < 0 || c3 < 0) return [RUNE_ERROR, 1];
    return [((c0 & 0x07) << 18) | ((b1 & 0x3f) << 12) | (c2 << 6) | c3, 4];
  }
  return [RUNE_ERROR, 1];
}

/** Go's utf8.AppendRune: invalid runes (surrogates, > U+10FFFF, negative) encode U+FFFD. */
export function encodeRune(r: number): string {
  if (r < 0 || r > 0x10ffff || (r >= 0xd800 && r <= 0xdfff)) r = RUNE_ERROR;
  if (r < 0x80) return String.fromCharCode(r);
  if (r < 0x800) return String.fromCharCode(0xc0 | (r >> 6), 0x80 | (r & 0x3f));
  if (r < 0x10000) return String.fromCharCode(0xe0 | (r >> 12), 0x80 | ((r >> 6) & 0x3f), 0x80 | (r & 0x3f));
  return String.fromCharCode(0xf0 | (r >> 18), 0x80 | ((r >> 12) & 0x3f), 0x80 | ((r >> 6) & 0x3f), 0x80 | (r & 0x3f));
}

/** The runes of a byte string with their byte offsets and widths (Go's `for i, r := range s`). */
export function* runes(b: string): Generator<[number, number, number]> {
  for (let i = 0; i < b.length;) {
    const [r, w] = decodeRune(b, i);
    yield [i, r, w];
    i += w;
  }
}

export function runeCount(b: string): number {
  let n = 0;
  for (let i = 0; i < b.length; n++) i += decodeRune(b, i)[1];
  return n;
}

/** Maps each rune (Go's strings.Map with a total mapping); invalid bytes come out as U+FFFD. */
export function mapRunes(b: string, f: (r: number) => number): string {
  let out = '';
  for (const [, r] of runes(b)) out += encodeRune(f(r));
  return out;
}

// ---------------------------------------------------------------- Unicode classes (Go's unicode package)

const LETTER = /^\p{L}$/u;
const DIGIT = /^\p{Nd}$/u;
const PRINT = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;
const GRAPHIC_SPACE = /^\p{Zs}$/u;

const ch = (r: number) => String.fromCodePoint(r);
const valid = (r: number) => r >= 0 && r <= 0x10ffff && !(r >= 0xd800 && r <= 0xdfff);

export function isLetter(r: number): boolean {
  if (r < 0x80) return (r >= 0x41 && r <= 0x5a) || (r >= 0x61 && r <= 0x7a);
  return valid(r) && LETTER.test(ch(r));
}

export function isDigit(r: number): boolean {
  if (r < 0x80) return r >= 0x30 && r <= 0x39;
  return valid(r) && DIGIT.test(ch(r));
}

/** unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
export function isPrint(r: number): boolean {
  if (r < 0x80) return r >= 0x20 && r < 0x7f;
  return valid(r) && PRINT.test(ch(r));
}

/** unicode.IsGraphic: IsPrint plus the other Zs spaces. */
export function isGraphic(r: number): boolean {
  return isPrint(r) || (valid(r) && GRAPHIC_SPACE.test(ch(r)));
}

/** unicode.IsSpace. */
export function isSpace(r: number): boolean {
  switch (r) {
    case 0x09:
    case 0x0a:
    case 0x0b:
    case 0x0c:
    case 0x0d:
    case 0x20:
    case 0x85:
    case 0xa0:
      return true;
  }
  if (r < 0x100) return false;
  return r === 0x1680 || (r >= 0x2000 && r <= 0x200a) || r === 0x2028 || r === 0x2029 || r === 0x202f || r === 0x205f || r === 0x3000;
}

/** unicode.ToUpper / ToLower: simple (one-to-one) case mapping; runes without one are kept. */
export function toUpperRune(r: number): number {
  if (r < 0x80) return r >= 0x61 && r <= 0x7a ? r - 32 : r;
  if (!valid(r)) return r;
  const u = ch(r).toUpperCase();
  const cp = u.codePointAt(0)!;
  return u.length === ch(cp).length ? cp : r;
}

export function toLowerRune(r: number): number {
  if (r < 0x80) return r >= 0x41 && r <= 0x5a ? r + 32 : r;
  if (!valid(r)) return r;
  // U+0130 lowercases to "i̇" (two runes) in JS; Go's simple mapping gives 'i'.
  if (r === 0x130) return 0x69;
  const l = ch(r).toLowerCase();
  const cp = l.codePointAt(0)!;
  return l.length === ch(cp).length ? cp : r;
}

/** The four digraphs whose title case differs from their upper case. */
const TITLE: Record<number, number> = {
  0x1c4: 0x1c5,
  0x1c5: 0x1c5,
  0x1c6: 0x1c5,
  0x1c7: 0x1c8,
  0x1c8: 0x1c8,
  0x1c9: 0x1c8,
  0x1ca: 0x1cb,
  0x1cb: 0x1cb,
  0x1cc: 0x1cb,
  0x1f1: 0x1f2,
  0x1f2: 0x1f2,
  0x1f3: 0x1f2,
};

export function toTitleRune(r: number): number {
  return TITLE[r] ?? toUpperRune(r);
}
