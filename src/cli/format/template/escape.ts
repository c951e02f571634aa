/** text/template's html, js and urlquery escapers (Go 1.24), over byte strings. */
import { decodeRune, isPrint, RUNE_ERROR } from './bytes.js';

export function htmlEscape(b: string): string {
  let out = '';
  for (let i = 0; i < b.length; i++) {
    const c = b[i]!;
    switch (c) {
      case '\0':
        out += '\xef\xbf\xbd'; // U+FFFD, UTF-8 encoded
        break;
      case '"':
        out += '&#34;';
        break;
      case "'":
        out += '&#39;';
        break;
      case '&':
        out += '&amp;';
        break;
      case '<':
        out += '&lt;';
        break;
      case '>':
        out += '&gt;';
        break;
      default:
        out += c;
    }
  }
  return out;
}

const HEX = '0123456789ABCDEF';

export function jsEscape(b: string): string {
  let out = '';
  for (let i = 0; i < b.length; i++) {
    const c = b.charCodeAt(i);
    if (c < 0x80) {
      switch (c) {
        case 0x5c:
          out += '\\\\';
          continue;
        case 0x27:
          out += "\\'";
          continue;
        case 0x22:
          out += '\\"';
          continue;
        case 0x3c:
          out += '\\u003C';
          continue;
        case 0x3e:
          out += '\\u003E';
          continue;
        case 0x26:
          out += '\\u0026';
          continue;
        case 0x3d:
          out += '\\u003D';
          continue;
      }
      if (c < 0x20) out += `\\u00${HEX[c >> 4]}${HEX[c & 0xf]}`;
      else out += b[i];
      continue;
    }
    const [r, size] = decodeRune(b, i);
    if (isPrint(r) || (r === RUNE_ERROR && size === 1)) out += b.slice(i, i + size);
    else out += `\\u${r.toString(16).toUpperCase().padStart(4, '0')}`;
    i += size - 1;
  }
  return out;
}

/** url.QueryEscape: unreserved bytes kept, space as '+', the rest %XX. */
export function urlQueryEscape(b: string): string {
  let out = '';
  for (let i = 0; i < b.length; i++) {
    const c = b.charCodeAt(i);
    if ((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x2d || c === 0x5f || c === 0x2e || c === 0x7e) out += b[i];
    else if (c === 0x20) out += '+';
    else out += `%${HEX[c >> 4]}${HEX[c & 0xf]}`;
  }
  return out;
}
