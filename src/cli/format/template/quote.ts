/** Go's strconv quoting and unquoting, over byte strings (see bytes.ts). */
import { decodeRune, encodeRune, isGraphic, isPrint, RUNE_ERROR } from './bytes.js';

const HEX = '0123456789abcdef';

function escapedRune(r: number, quote: number, asciiOnly: boolean, graphicOnly: boolean): string {
  if (r === quote || r === 0x5c) return `\\${encodeRune(r)}`;
  if (asciiOnly) {
    if (r < 0x80 && isPrint(r)) return String.fromCharCode(r);
  } else if (isPrint(r) || (graphicOnly && isGraphic(r))) return encodeRune(r);
  switch (r) {
    case 0x07:
      return '\\a';
    case 0x08:
      return '\\b';
    case 0x0c:
      return '\\f';
    case 0x0a:
      return '\\n';
    case 0x0d:
      return '\\r';
    case 0x09:
      return '\\t';
    case 0x0b:
      return '\\v';
  }
  if (r < 0x20 || r === 0x7f) return `\\x${HEX[(r >> 4) & 0xf]}${HEX[r & 0xf]}`;
  if (r > 0x10ffff || (r >= 0xd800 && r <= 0xdfff) || r < 0) r = RUNE_ERROR;
  if (r < 0x10000) return `\\u${r.toString(16).padStart(4, '0')}`;
  return `\\U${r.toString(16).padStart(8, '0')}`;
}

function quoteWith(b: string, quote: number, asciiOnly: boolean, graphicOnly: boolean): string {
  let out = String.fromCharCode(quote);
  for (let i = 0; i < b.length;) {
    const [r, w] = decodeRune(b, i);
    if (w === 1 && r === RUNE_ERROR) {
      const c = b.charCodeAt(i);
      out += `\\x${HEX[c >> 4]}${HEX[c & 0xf]}`;
      i++;
      continue;
    }
    out += escapedRune(r, quote, asciiOnly, graphicOnly);
    i += w;
  }
  return out + String.fromCharCode(quote);
}

export const quote = (b: string): string => quoteWith(b, 0x22, false, false);
export const quoteToASCII = (b: string): string => quoteWith(b, 0x22, true, false);
export const quoteToGraphic = (b: string): string => quoteWith(b, 0x22, false, true);

export function quoteRune(r: number, asciiOnly = false): string {
  if (r > 0x10ffff || r < 0 || (r >= 0xd800 && r <= 0xdfff)) r = RUNE_ERROR;
  return `'${escapedRune(r, 0x27, asciiOnly, false)}'`;
}

export function canBackquote(b: string): boolean {
  for (let i = 0; i < b.length;) {
    const [r, w] = decodeRune(b, i);
    i += w;
    if (w > 1) {
      if (r === 0xfeff) return false;
      continue;
    }
    if (r === RUNE_ERROR) return false;
    if ((r < 0x20 && r !== 0x09) || r === 0x60 || r === 0x7f) return false;
  }
  return true;
}

export class SyntaxError_ extends Error {
  constructor() {
    super('invalid syntax');
  }
}

const unhex = (c: number): number => (c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1);

/** strconv.UnquoteChar: [value, multibyte, tail]; throws SyntaxError_ ("invalid syntax"). */
export function unquoteChar(s: string, q: number): [number, boolean, string] {
  if (s.length === 0) throw new SyntaxError_();
  const c = s.charCodeAt(0);
  if (c === q && (q === 0x27 || q === 0x22)) throw new SyntaxError_();
  if (c >= 0x80) {
    const [r, w] = decodeRune(s, 0);
    return [r, true, s.slice(w)];
  }
  if (c !== 0x5c) return [c, false, s.slice(1)];
  if (s.length <= 1) throw new SyntaxError_();
  const e = s[1]!;
  s = s.slice(2);
  switch (e) {
    case 'a':
      return [7, false, s];
    case 'b':
      return [8, false, s];
    case 'f':
      return [12, false, s];
    case 'n':
      return [10, false, s];
    case 'r':
      return [13, false, s];
    case 't':
      return [9, false, s];
    case 'v':
      return [11, false, s];
    case 'x':
    case 'u':
    case 'U': {
      const n = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      if (s.length < n) throw new SyntaxError_();
      let v = 0;
      for (let j = 0; j < n; j++) {
        const x = unhex(s.charCodeAt(j));
        if (x < 0) throw new SyntaxError_();
        v = v * 16 + x;
      }
      s = s.slice(n);
      if (e === 'x') return [v, false, s];
      if (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) throw new SyntaxError_();
      return [v, true, s];
    }
    case '0':
    case '1':
    case '2':
    case '3':
    case '4':
    case '5':
    case '6':
    case '7': {
      let v = e.charCodeAt(0) - 48;
      if (s.length < 2) throw new SyntaxError_();
      for (let j = 0; j < 2; j++) {
        const x = s.charCodeAt(j) - 48;
        if (x < 0 || x > 7) throw new SyntaxError_();
        v = v * 8 + x;
      }
      s = s.slice(2);
      if (v > 255) throw new SyntaxError_();
      return [v, false, s];
    }
    case '\\':
      return [0x5c, false, s];
    case "'":
    case '"':
      if (e.charCodeAt(0) !== q) throw new SyntaxError_();
      return [e.charCodeAt(0), false, s];
    default:
      throw new SyntaxError_();
  }
}

/** strconv.Unquote of a double-quoted or back-quoted literal (byte strings in and out). */
export function unquote(s: string): string {
  const n = s.length;
  if (n < 2) throw new SyntaxError_();
  const q = s.charCodeAt(0);
  if (q !== s.charCodeAt(n - 1)) throw new SyntaxError_();
  const body = s.slice(1, n - 1);
  if (q === 0x60) {
    if (body.includes('`')) throw new SyntaxError_();
    return body.replace(/\r/g, '');
  }
  if (q !== 0x22) throw new SyntaxError_();
  let out = '';
  let rest = body;
  while (rest.length > 0) {
    if (rest[0] === '\n') throw new SyntaxError_();
    const [r, multibyte, tail] = unquoteChar(rest, q);
    rest = tail;
    out += r < 0x80 || !multibyte ? String.fromCharCode(r) : encodeRune(r);
  }
  return out;
}
