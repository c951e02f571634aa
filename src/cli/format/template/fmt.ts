/**
 * Go's fmt printing (Sprint, Sprintln, Sprintf) of template values: the verbs, flags, widths and
 * precisions docker users put in `printf` (%s %d %v %+v %#v %q %x %X %o %b %c %U %t %e %f %g %T
 * %5s %-10s %.2f %[2]d %*d …), Go's rendering of composite values (`map[a:b]`, `[a b]`, `{a b}`,
 * `&{…}`, `<nil>`) and its error annotations (`%!d(string=x)`, `%!v(MISSING)`, `%!(EXTRA …)`).
 * Works on byte strings (widths count runes, %x counts bytes).
 *
 * One difference from Go: a non-nil pointer nested inside a printed value prints as `&` and its
 * target, where Go prints a memory address (0xc000…), which means nothing outside that process.
 */
import { decodeRune, encodeRune, isPrint, runeCount } from './bytes.js';
import { CallError } from './errors.js';
import { formatFloat } from './float.js';
import { canBackquote, quote, quoteRune, quoteToASCII } from './quote.js';
import { sortedEntries } from './reflect.js';
import { INVALID, typeString, type GoType, type Value } from './types.js';

const LDIGITS = '0123456789abcdefx';
const UDIGITS = '0123456789ABCDEFX';

interface Flags {
  plus: boolean;
  minus: boolean;
  sharp: boolean;
  space: boolean;
  zero: boolean;
  plusV: boolean;
  sharpV: boolean;
  wid: number;
  widPresent: boolean;
  prec: number;
  precPresent: boolean;
}

const clearFlags = (): Flags => ({
  plus: false,
  minus: false,
  sharp: false,
  space: false,
  zero: false,
  plusV: false,
  sharpV: false,
  wid: 0,
  widPresent: false,
  prec: 0,
  precPresent: false,
});

/** A Stringer's text, or undefined when the type has none. A nil pointer receiver prints <nil>. */
function stringerOf(v: Value): string | undefined {
  const t = v.t;
  if (t.stringer) return t.stringer(v);
  if (t.kind === 'ptr' && t.elem?.stringer) return v.v === null ? '<nil>' : t.elem.stringer(v.v as Value);
  return undefined;
}

class Printer {
  buf = '';
  f: Flags = clearFlags();
  private erroring = false;

  // ------------------------------------------------------------ padding

  private writePadding(n: number): void {
    if (n <= 0) return;
    this.buf += (this.f.zero && !this.f.minus ? '0' : ' ').repeat(n);
  }

  /** Pads a byte string to the width, counting runes. */
  private pad(s: string): void {
    if (!this.f.widPresent || this.f.wid === 0) {
      this.buf += s;
      return;
    }
    const width = this.f.wid - runeCount(s);
    if (!this.f.minus) {
      this.writePadding(width);
      this.buf += s;
    } else {
      this.buf += s;
      this.writePadding(width);
    }
  }

  private truncate(s: string): string {
    if (!this.f.precPresent) return s;
    let n = this.f.prec;
    for (let i = 0; i < s.length;) {
      n--;
      if (n < 0) return s.slice(0, i);
      i += decodeRune(s, i)[1];
    }
    return s;
  }

  // ------------------------------------------------------------ leaves

  private fmtBool(b: boolean, verb: string, v: Value): void {
    if (verb === 't' || verb === 'v') this.pad(b ? 'true' : 'false');
    else this.badVerb(verb, v);
  }

  private fmtInteger(n: number, signed: boolean, base: number, verb: string, digits: string): void {
    const f = this.f;
    const negative = signed && n < 0;
    let u = BigInt(Math.trunc(Math.abs(n)));
    let prec = 0;
    if (f.precPresent) {
      prec = f.prec;
      if (prec === 0 && u === 0n) {
        const oldZero = f.zero;
        f.zero = false;
        this.writePadding(f.wid);
        f.zero = oldZero;
        return;
      }
    } else if (f.zero && !f.minus && f.widPresent) {
      prec = f.wid;
      if (negative || f.plus || f.space) prec--;
    }
    let s = u.toString(base);
    if (digits === UDIGITS) s = s.toUpperCase();
    if (s.length < prec) s = '0'.repeat(prec - s.length) + s;
    if (f.sharp) {
      if (base === 2) s = `0b${s}`;
      else if (base === 8) {
        if (s[0] !== '0') s = `0${s}`;
      } else if (base === 16) s = `0${digits[16]}${s}`;
    }
    if (verb === 'O') s = `0o${s}`;
    if (negative) s = `-${s}`;
    else if (f.plus) s = `+${s}`;
    else if (f.space) s = ` ${s}`;
    const oldZero = f.zero;
    f.zero = false;
    this.pad(s);
    f.zero = oldZero;
    u = 0n;
  }

  private fmtUnicode(n: number): void {
    const f = this.f;
    let prec = 4;
    if (f.precPresent && f.prec > 4) prec = f.prec;
    // Negative values are their two's complement (Go converts to uint64 first).
    let s = BigInt.asUintN(64, BigInt(Math.trunc(n)))
      .toString(16)
      .toUpperCase();
    if (s.length < prec) s = '0'.repeat(prec - s.length) + s;
    s = `U+${s}`;
    if (f.sharp && n >= 0 && n <= 0x10ffff && isPrint(n)) s += ` '${encodeRune(n)}'`;
    const oldZero = f.zero;
    f.zero = false;
    this.pad(s);
    f.zero = oldZero;
  }

  private fmtIntegerVerb(n: number, signed: boolean, verb: string, v: Value): void {
    switch (verb) {
      case 'v':
        if (this.f.sharpV && !signed) {
          const sharp = this.f.sharp;
          this.f.sharp = true;
          this.fmtInteger(n, false, 16, 'v', LDIGITS);
          this.f.sharp = sharp;
        } else this.fmtInteger(n, signed, 10, verb, LDIGITS);
        return;
      case 'd':
        return this.fmtInteger(n, signed, 10, verb, LDIGITS);
      case 'b':
        return this.fmtInteger(n, signed, 2, verb, LDIGITS);
      case 'o':
      case 'O':
        return this.fmtInteger(n, signed, 8, verb, LDIGITS);
      case 'x':
        return this.fmtInteger(n, signed, 16, verb, LDIGITS);
      case 'X':
        return this.fmtInteger(n, signed, 16, verb, UDIGITS);
      case 'c':
        return this.pad(encodeRune(n > 0x10ffff || n < 0 ? 0xfffd : n));
      case 'q':
        return this.pad(quoteRune(n > 0x10ffff || n < 0 ? 0xfffd : n, this.f.plus));
      case 'U':
        return this.fmtUnicode(n);
      default:
        return this.badVerb(verb, v);
    }
  }

  private fmtFloatRaw(x: number, verb: string, prec: number): void {
    const f = this.f;
    if (f.precPresent) prec = f.prec;
    let num = formatFloat(x, verb, prec);
    if (num[0] !== '-' && num[0] !== '+') num = `+${num}`;
    if (f.space && num[0] === '+' && !f.plus) num = ` ${num.slice(1)}`;
    if (num[1] === 'I' || num[1] === 'N') {
      const oldZero = f.zero;
      f.zero = false;
      if (num[1] === 'N' && !f.space && !f.plus) num = num.slice(1);
      this.pad(num);
      f.zero = oldZero;
      return;
    }
    if (f.sharp && verb !== 'b') {
      let digits = 0;
      if (verb === 'v' || verb === 'g' || verb === 'G' || verb === 'x') {
        digits = prec;
        if (digits === -1) digits = 6;
      }
      let tail = '';
      let hasDot = false;
      let sawNonzero = false;
      for (let i = 1; i < num.length; i++) {
        const c = num[i]!;
        if (c === '.') hasDot = true;
        else if (c === 'p' || c === 'P' || ((c === 'e' || c === 'E') && verb !== 'x' && verb !== 'X')) {
          tail = num.slice(i);
          num = num.slice(0, i);
          break;
        } else {
          if (c !== '0') sawNonzero = true;
          if (sawNonzero) digits--;
        }
      }
      if (!hasDot) {
        if (num.length === 2 && num[1] === '0') digits--;
        num += '.';
      }
      while (digits > 0) {
        num += '0';
        digits--;
      }
      num += tail;
    }
    if (f.plus || num[0] !== '+') {
      if (f.zero && !f.minus && f.widPresent && f.wid > num.length) {
        this.buf += num[0];
        this.writePadding(f.wid - num.length);
        this.buf += num.slice(1);
        return;
      }
      this.pad(num);
      return;
    }
    this.pad(num.slice(1));
  }

  private fmtFloat(x: number, verb: string, v: Value): void {
    switch (verb) {
      case 'v':
        return this.fmtFloatRaw(x, 'g', -1);
      case 'b':
      case 'g':
      case 'G':
      case 'x':
      case 'X':
        return this.fmtFloatRaw(x, verb, -1);
      case 'f':
      case 'e':
      case 'E':
        return this.fmtFloatRaw(x, verb, 6);
      case 'F':
        return this.fmtFloatRaw(x, 'f', 6);
      default:
        return this.badVerb(verb, v);
    }
  }

  private fmtComplex(c: { re: number; im: number }, verb: string, v: Value): void {
    if (!'vbgGxXfFeE'.includes(verb)) return this.badVerb(verb, v);
    const oldPlus = this.f.plus;
    this.buf += '(';
    this.fmtFloat(c.re, verb, v);
    this.f.plus = true;
    this.fmtFloat(c.im, verb, v);
    this.buf += 'i)';
    this.f.plus = oldPlus;
  }

  private fmtQ(s: string): void {
    s = this.truncate(s);
    if (this.f.sharp && canBackquote(s)) {
      this.pad(`\`${s}\``);
      return;
    }
    this.pad(this.f.plus ? quoteToASCII(s) : quote(s));
  }

  private fmtSx(s: string, digits: string): void {
    const f = this.f;
    let length = s.length;
    if (f.precPresent && f.prec < length) length = f.prec;
    let width = 2 * length;
    if (width > 0) {
      if (f.space) {
        if (f.sharp) width *= 2;
        width += length - 1;
      } else if (f.sharp) width += 2;
    } else {
      if (f.widPresent) this.writePadding(f.wid);
      return;
    }
    if (f.widPresent && f.wid > width && !f.minus) this.writePadding(f.wid - width);
    let out = f.sharp ? `0${digits[16]}` : '';
    for (let i = 0; i < length; i++) {
      if (f.space && i > 0) {
        out += ' ';
        if (f.sharp) out += `0${digits[16]}`;
      }
      const c = s.charCodeAt(i);
      out += digits[c >> 4]! + digits[c & 0xf]!;
    }
    this.buf += out;
    if (f.widPresent && f.wid > width && f.minus) this.writePadding(f.wid - width);
  }

  private fmtString(s: string, verb: string, v: Value): void {
    switch (verb) {
      case 'v':
        if (this.f.sharpV) this.fmtQ(s);
        else this.pad(this.truncate(s));
        return;
      case 's':
        return this.pad(this.truncate(s));
      case 'x':
        return this.fmtSx(s, LDIGITS);
      case 'X':
        return this.fmtSx(s, UDIGITS);
      case 'q':
        return this.fmtQ(s);
      default:
        return this.badVerb(verb, v);
    }
  }

  private badVerb(verb: string, v: Value): void {
    this.erroring = true;
    this.buf += `%!${verb}(`;
    if (v.t.kind === 'invalid') this.buf += '<nil>';
    else {
      this.buf += `${typeString(v.t)}=`;
      this.printArg(v, 'v');
    }
    this.buf += ')';
    this.erroring = false;
  }

  // ------------------------------------------------------------ values

  /** fmt's printArg: one operand (INVALID stands for a nil interface). */
  printArg(v: Value, verb: string): void {
    if (v.t.kind === 'invalid') {
      if (verb === 'T' || verb === 'v') this.pad('<nil>');
      else this.badVerb(verb, v);
      return;
    }
    if (verb === 'T') {
      this.pad(typeString(v.t));
      return;
    }
    if (verb === 'p') {
      // Addresses of berth's values mean nothing; Go's %p prints one.
      throw new CallError(`%p is not supported: values have no address here`);
    }
    if (this.handleMethods(v, verb)) return;
    this.printValue(v, verb, 0);
  }

  private handleMethods(v: Value, verb: string): boolean {
    if (this.erroring || this.f.sharpV) return false;
    if (!'vsxXq'.includes(verb)) return false;
    const s = stringerOf(v);
    if (s === undefined) return false;
    this.fmtString(s, verb, v);
    return true;
  }

  printValue(v: Value, verb: string, depth: number): void {
    if (depth > 0 && v.t.kind !== 'invalid' && this.handleMethods(v, verb)) return;
    const f = this.f;
    const t = v.t;
    switch (t.kind) {
      case 'invalid':
        if (depth === 0) this.buf += '<invalid reflect.Value>';
        else if (verb === 'v') this.buf += '<nil>';
        else this.badVerb(verb, v);
        return;
      case 'bool':
        return this.fmtBool(v.v as boolean, verb, v);
      case 'int':
        return this.fmtIntegerVerb(v.v as number, true, verb, v);
      case 'uint':
        return this.fmtIntegerVerb(v.v as number, false, verb, v);
      case 'float':
        return this.fmtFloat(v.v as number, verb, v);
      case 'complex':
        return this.fmtComplex(v.v as { re: number; im: number }, verb, v);
      case 'string':
        return this.fmtString(v.v as string, verb, v);
      case 'map': {
        if (f.sharpV) {
          this.buf += typeString(t);
          if (v.v === null) {
            this.buf += '(nil)';
            return;
          }
          this.buf += '{';
        } else this.buf += 'map[';
        sortedEntries(v).forEach(({ key, value }, i) => {
          if (i > 0) this.buf += f.sharpV ? ', ' : ' ';
          this.printValue(key, verb, depth + 1);
          this.buf += ':';
          this.printValue(value, verb, depth + 1);
        });
        this.buf += f.sharpV ? '}' : ']';
        return;
      }
      case 'struct': {
        if (f.sharpV) this.buf += typeString(t);
        this.buf += '{';
        const obj = v.v as Record<string, Value>;
        (t.fields ?? []).forEach((field, i) => {
          if (i > 0) this.buf += f.sharpV ? ', ' : ' ';
          if (f.plusV || f.sharpV) this.buf += `${field.name}:`;
          this.printValue(obj[field.name] ?? INVALID, verb, depth + 1);
        });
        this.buf += '}';
        return;
      }
      case 'iface': {
        if (v.v === null) {
          this.buf += f.sharpV ? `${typeString(t)}(nil)` : '<nil>';
          return;
        }
        return this.printValue(v.v as Value, verb, depth + 1);
      }
      case 'slice':
      case 'array': {
        const items = (v.v as Value[] | null) ?? [];
        if (f.sharpV) {
          this.buf += typeString(t);
          if (t.kind === 'slice' && v.v === null) {
            this.buf += '(nil)';
            return;
          }
          this.buf += '{';
          items.forEach((x, i) => {
            if (i > 0) this.buf += ', ';
            this.printValue(x, verb, depth + 1);
          });
          this.buf += '}';
          return;
        }
        this.buf += '[';
        items.forEach((x, i) => {
          if (i > 0) this.buf += ' ';
          this.printValue(x, verb, depth + 1);
        });
        this.buf += ']';
        return;
      }
      case 'ptr': {
        if (v.v === null) {
          if (verb !== 'v') return this.badVerb(verb, v);
          if (f.sharpV) this.buf += `(${typeString(t)})(nil)`;
          else this.pad('<nil>');
          return;
        }
        const target = v.v as Value;
        if (verb !== 'v' && !(depth === 0 && ['array', 'slice', 'struct', 'map'].includes(target.t.kind))) return this.badVerb(verb, v);
        this.buf += '&';
        return this.printValue(target, verb, depth + 1);
      }
      case 'func':
        if (v.v === null) this.pad('<nil>');
        else throw new CallError(`can't print a function value`);
        return;
    }
  }

  // ------------------------------------------------------------ entry points

  doPrint(args: Value[]): void {
    let prevString = false;
    args.forEach((a, i) => {
      const isString = a.t.kind === 'string';
      if (i > 0 && !isString && !prevString) this.buf += ' ';
      this.printArg(a, 'v');
      prevString = isString;
    });
  }

  doPrintln(args: Value[]): void {
    args.forEach((a, i) => {
      if (i > 0) this.buf += ' ';
      this.printArg(a, 'v');
    });
    this.buf += '\n';
  }

  doPrintf(format: string, args: Value[]): void {
    const end = format.length;
    let argNum = 0;
    let afterIndex = false;
    let reordered = false;
    let goodArgNum = true;

    const parsenum = (start: number, stop: number): [number, boolean, number] => {
      if (start >= stop) return [0, false, stop];
      let num = 0;
      let isnum = false;
      let i = start;
      for (; i < stop && format.charCodeAt(i) >= 48 && format.charCodeAt(i) <= 57; i++) {
        if (num > 1e6) return [0, false, stop];
        num = num * 10 + format.charCodeAt(i) - 48;
        isnum = true;
      }
      return [num, isnum, i];
    };
    const argNumber = (i: number): [number, number, boolean] => {
      if (end <= i || format[i] !== '[') return [argNum, i, false];
      reordered = true;
      // parseArgNumber on format[i:]
      const rest = format.slice(i);
      let index = 0;
      let wid = 1;
      let ok = false;
      if (rest.length >= 3) {
        for (let j = 1; j < rest.length; j++) {
          if (rest[j] === ']') {
            const sub = format.slice(i, i + j);
            const [n, isnum, newi] = (() => {
              let num = 0;
              let isn = false;
              let k = 1;
              for (; k < j && sub.charCodeAt(k) >= 48 && sub.charCodeAt(k) <= 57; k++) {
                if (num > 1e6) return [0, false, j] as const;
                num = num * 10 + sub.charCodeAt(k) - 48;
                isn = true;
              }
              return [num, isn, k] as const;
            })();
            if (!isnum || newi !== j) {
              index = 0;
              wid = j + 1;
              ok = false;
            } else {
              index = n - 1;
              wid = j + 1;
              ok = true;
            }
            break;
          }
        }
      }
      if (ok && index >= 0 && index < args.length) return [index, i + wid, true];
      goodArgNum = false;
      return [argNum, i + wid, ok];
    };
    const intFromArg = (): [number, boolean] => {
      let num = 0;
      let isInt = false;
      if (argNum < args.length) {
        const a = args[argNum]!;
        if ((a.t.kind === 'int' || a.t.kind === 'uint') && Number.isSafeInteger(a.v)) {
          num = a.v as number;
          isInt = true;
        }
        argNum++;
        if (num > 1e6 || num < -1e6) {
          num = 0;
          isInt = false;
        }
      }
      return [num, isInt];
    };

    let i = 0;
    formatLoop: while (i < end) {
      goodArgNum = true;
      const lasti = i;
      while (i < end && format[i] !== '%') i++;
      if (i > lasti) this.buf += format.slice(lasti, i);
      if (i >= end) break;
      i++;
      this.f = clearFlags();
      const f = this.f;
      simple: for (; i < end; i++) {
        const c = format[i]!;
        switch (c) {
          case '#':
            f.sharp = true;
            break;
          case '0':
            f.zero = !f.minus;
            break;
          case '+':
            f.plus = true;
            break;
          case '-':
            f.minus = true;
            f.zero = false;
            break;
          case ' ':
            f.space = true;
            break;
          default:
            if (c >= 'a' && c <= 'z' && argNum < args.length) {
              if (c === 'v') {
                f.sharpV = f.sharp;
                f.sharp = false;
                f.plusV = f.plus;
                f.plus = false;
              }
              this.printArg(args[argNum]!, c);
              argNum++;
              i++;
              continue formatLoop;
            }
            break simple;
        }
      }
      [argNum, i, afterIndex] = argNumber(i);
      if (i < end && format[i] === '*') {
        i++;
        [f.wid, f.widPresent] = intFromArg();
        if (!f.widPresent) this.buf += '%!(BADWIDTH)';
        if (f.wid < 0) {
          f.wid = -f.wid;
          f.minus = true;
          f.zero = false;
        }
        afterIndex = false;
      } else {
        [f.wid, f.widPresent, i] = parsenum(i, end);
        if (afterIndex && f.widPresent) goodArgNum = false;
      }
      if (i + 1 < end && format[i] === '.') {
        i++;
        if (afterIndex) goodArgNum = false;
        [argNum, i, afterIndex] = argNumber(i);
        if (i < end && format[i] === '*') {
          i++;
          [f.prec, f.precPresent] = intFromArg();
          if (f.prec < 0) {
            f.prec = 0;
            f.precPresent = false;
          }
          if (!f.precPresent) this.buf += '%!(BADPREC)';
          afterIndex = false;
        } else {
          [f.prec, f.precPresent, i] = parsenum(i, end);
          if (!f.precPresent) {
            f.prec = 0;
            f.precPresent = true;
          }
        }
      }
      if (!afterIndex) [argNum, i, afterIndex] = argNumber(i);
      if (i >= end) {
        this.buf += '%!(NOVERB)';
        break;
      }
      let verb = format[i]!;
      let size = 1;
      if (verb.charCodeAt(0) >= 0x80) {
        const [r, w] = decodeRune(format, i);
        verb = encodeRune(r);
        size = w;
      }
      i += size;
      if (verb === '%') this.buf += '%';
      else if (!goodArgNum) this.buf += `%!${verb}(BADINDEX)`;
      else if (argNum >= args.length) this.buf += `%!${verb}(MISSING)`;
      else {
        if (verb === 'v') {
          f.sharpV = f.sharp;
          f.sharp = false;
          f.plusV = f.plus;
          f.plus = false;
        }
        this.printArg(args[argNum]!, verb);
        argNum++;
      }
    }
    if (!reordered && argNum < args.length) {
      this.f = clearFlags();
      this.buf += '%!(EXTRA ';
      args.slice(argNum).forEach((a, k) => {
        if (k > 0) this.buf += ', ';
        if (a.t.kind === 'invalid') this.buf += '<nil>';
        else {
          this.buf += `${typeString(a.t)}=`;
          this.printArg(a, 'v');
        }
      });
      this.buf += ')';
    }
  }
}

export function sprint(args: Value[]): string {
  const p = new Printer();
  p.doPrint(args);
  return p.buf;
}

export function sprintln(args: Value[]): string {
  const p = new Printer();
  p.doPrintln(args);
  return p.buf;
}

export function sprintf(format: string, args: Value[]): string {
  const p = new Printer();
  p.doPrintf(format, args);
  return p.buf;
}

/** fmt.Sprintf("%#U", r): used by the lexer's error messages. */
export function unicodeName(r: number): string {
  const p = new Printer();
  p.f.sharp = true;
  p.printArg({ t: { kind: 'int', name: 'int32', bits: 32 } as GoType, v: r }, 'U');
  return p.buf;
}

/** fmt.Sprintf("%q", s) of a byte string. */
export const quoted = (s: string): string => quote(s);
