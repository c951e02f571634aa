/**
 * Go's strconv.FormatFloat for float64: %e %f %g (shortest or with a precision, correctly
 * rounded half to even on the exact binary value, as Go does), %x (hexadecimal mantissa) and
 * %b. JS's toFixed rounds ties away from zero and its toString switches to exponents at other
 * thresholds, so digits come from an exact decimal expansion (BigInt) or, for the shortest
 * form, from toExponential() (the same shortest round-trip digits Go picks).
 */

interface Digits {
  /** Significant decimal digits, no leading or trailing zeros ('' for zero). */
  d: string;
  /** Position of the decimal point: value = 0.d × 10^dp. */
  dp: number;
}

const F64 = new Float64Array(1);
const U64 = new BigUint64Array(F64.buffer);

function bitsOf(x: number): bigint {
  F64[0] = x;
  return U64[0]!;
}

/** The exact decimal expansion of |x| (finite). */
function exactDigits(x: number): Digits {
  x = Math.abs(x);
  if (x === 0) return { d: '', dp: 0 };
  const bits = bitsOf(x);
  let exp = Number((bits >> 52n) & 0x7ffn);
  let mant = bits & ((1n << 52n) - 1n);
  if (exp === 0) exp = 1;
  else mant |= 1n << 52n;
  exp -= 1075; // value = mant × 2^exp
  let s: string;
  let dp: number;
  if (exp >= 0) {
    s = (mant << BigInt(exp)).toString();
    dp = s.length;
  } else {
    const k = -exp;
    s = (mant * 5n ** BigInt(k)).toString();
    dp = s.length - k;
  }
  const lead = s.length - s.replace(/^0+/, '').length;
  s = s.slice(lead).replace(/0+$/, '');
  return { d: s, dp };
}

/** The shortest digits that read back as x. */
function shortestDigits(x: number): Digits {
  x = Math.abs(x);
  if (x === 0) return { d: '', dp: 0 };
  const [m, e] = x.toExponential().split('e') as [string, string];
  const d = m.replace('.', '').replace(/0+$/, '');
  return { d, dp: Number(e) + 1 };
}

/** Rounds to nd significant digits, half to even (Go's decimal.Round on exact digits). */
function roundTo(g: Digits, nd: number): Digits {
  if (nd < 0 || nd >= g.d.length) {
    if (nd < 0) return { d: '', dp: g.dp };
    return g;
  }
  const next = g.d.charCodeAt(nd) - 48;
  let up: boolean;
  if (next === 5 && nd + 1 === g.d.length) up = nd > 0 && (g.d.charCodeAt(nd - 1) - 48) % 2 === 1;
  else up = next >= 5;
  if (!up) {
    const d = g.d.slice(0, nd).replace(/0+$/, '');
    return { d, dp: d === '' ? 0 : g.dp };
  }
  // Round up: increment the prefix, carrying.
  const digits = g.d.slice(0, nd).split('').map(Number);
  let i = digits.length - 1;
  while (i >= 0 && digits[i] === 9) {
    digits[i] = 0;
    i--;
  }
  if (i < 0) return { d: '1', dp: g.dp + 1 };
  digits[i]!++;
  return { d: digits.slice(0, i + 1).join(''), dp: g.dp };
}

function fmtE(neg: boolean, g: Digits, prec: number, e: string): string {
  let out = neg ? '-' : '';
  out += g.d.length ? g.d[0] : '0';
  if (prec > 0) {
    out += '.';
    const m = Math.min(g.d.length, prec + 1);
    out += g.d.slice(1, m);
    for (let i = Math.max(m, 1); i <= prec; i++) out += '0';
  }
  let exp = g.d.length === 0 ? 0 : g.dp - 1;
  const sign = exp < 0 ? '-' : '+';
  exp = Math.abs(exp);
  return `${out}${e}${sign}${exp < 10 ? `0${exp}` : exp}`;
}

function fmtF(neg: boolean, g: Digits, prec: number): string {
  let out = neg ? '-' : '';
  if (g.dp > 0) {
    const m = Math.min(g.d.length, g.dp);
    out += g.d.slice(0, m) + '0'.repeat(g.dp - m);
  } else out += '0';
  if (prec > 0) {
    out += '.';
    for (let i = 1; i <= prec; i++) {
      const j = g.dp + i - 1;
      out += j >= 0 && j < g.d.length ? g.d[j] : '0';
    }
  }
  return out;
}

/** %x / %X: -0x1.yyyyp±dd, Go's layout (rounded to prec hex digits when prec ≥ 0). */
function fmtX(x: number, prec: number, upper: boolean): string {
  const bits = bitsOf(x);
  const neg = bits >> 63n === 1n;
  let exp = Number((bits >> 52n) & 0x7ffn);
  let mant = bits & ((1n << 52n) - 1n);
  if (exp === 0) exp = 1;
  else mant |= 1n << 52n;
  exp -= 1023;
  if (mant === 0n) exp = 0;
  mant <<= 60n - 52n;
  while (mant !== 0n && (mant & (1n << 60n)) === 0n) {
    mant <<= 1n;
    exp--;
  }
  const MASK60 = (1n << 60n) - 1n;
  if (prec >= 0 && prec < 15) {
    const shift = BigInt(prec * 4);
    const extra = (mant << shift) & MASK60;
    mant >>= 60n - shift;
    if ((extra | (mant & 1n)) > 1n << 59n) mant++;
    mant <<= 60n - shift;
    if ((mant & (1n << 61n)) !== 0n) {
      mant >>= 1n;
      exp++;
    }
  }
  const hex = upper ? '0123456789ABCDEF' : '0123456789abcdef';
  let out = `${neg ? '-' : ''}0${upper ? 'X' : 'x'}${Number((mant >> 60n) & 1n)}`;
  mant = (mant << 4n) & ((1n << 64n) - 1n);
  const digit = () => {
    const h = hex[Number((mant >> 60n) & 15n)]!;
    mant = (mant << 4n) & ((1n << 64n) - 1n);
    return h;
  };
  if (prec < 0 && mant !== 0n) {
    out += '.';
    while (mant !== 0n) out += digit();
  } else if (prec > 0) {
    out += '.';
    for (let i = 0; i < prec; i++) out += digit();
  }
  const sign = exp < 0 ? '-' : '+';
  exp = Math.abs(exp);
  return `${out}${upper ? 'P' : 'p'}${sign}${exp < 10 ? `0${exp}` : exp}`;
}

/** %b: decimalless scientific notation with a power-of-two exponent (mantissa p exponent). */
function fmtB(x: number): string {
  const bits = bitsOf(x);
  const neg = bits >> 63n === 1n;
  let exp = Number((bits >> 52n) & 0x7ffn);
  let mant = bits & ((1n << 52n) - 1n);
  if (exp === 0) exp = 1;
  else mant |= 1n << 52n;
  exp -= 1075;
  return `${neg ? '-' : ''}${mant}p${exp >= 0 ? '+' : ''}${exp}`;
}

/** strconv.FormatFloat(x, fmt, prec, 64). */
export function formatFloat(x: number, fmt: string, prec: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return '+Inf';
  if (x === -Infinity) return '-Inf';
  if (fmt === 'x' || fmt === 'X') return fmtX(x, prec, fmt === 'X');
  if (fmt === 'b') return fmtB(x);
  const neg = x < 0 || Object.is(x, -0);
  const shortest = prec < 0;
  let g: Digits;
  if (shortest) {
    g = shortestDigits(x);
    if (fmt === 'e' || fmt === 'E') prec = Math.max(g.d.length - 1, 0);
    else if (fmt === 'f') prec = Math.max(g.d.length - g.dp, 0);
    else prec = g.d.length;
  } else {
    const exact = exactDigits(x);
    if (fmt === 'e' || fmt === 'E') g = roundTo(exact, prec + 1);
    else if (fmt === 'f') g = roundTo(exact, exact.dp + prec);
    else {
      if (prec === 0) prec = 1;
      g = roundTo(exact, prec);
    }
  }
  switch (fmt) {
    case 'e':
    case 'E':
      return fmtE(neg, g, prec, fmt);
    case 'f':
      return fmtF(neg, g, prec);
    default: {
      // %g / %G
      let eprec = prec;
      if (eprec > g.d.length && g.d.length >= g.dp) eprec = g.d.length;
      if (shortest) eprec = 6;
      const exp = g.dp - 1;
      if (exp < -4 || exp >= eprec) {
        if (prec > g.d.length) prec = g.d.length;
        return fmtE(neg, g, prec - 1, fmt === 'G' ? 'E' : 'e');
      }
      if (prec > g.dp) prec = g.d.length;
      return fmtF(neg, g, Math.max(prec - g.dp, 0));
    }
  }
}

/** encoding/json's float64 text: 'f' in [1e-6, 1e21), else 'e' without a padded exponent. */
export function jsonFloat(x: number): string {
  const abs = Math.abs(x);
  const e = abs !== 0 && (abs < 1e-6 || abs >= 1e21);
  let s = formatFloat(x, e ? 'e' : 'f', -1);
  if (e) s = s.replace(/e([+-])0(\d)$/, 'e$1$2');
  return s;
}
