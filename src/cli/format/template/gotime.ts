/**
 * Go standard types that appear in docker's inspect documents and print through their String
 * methods: time.Time ("2024-05-01 10:00:00.123 +0000 UTC"), time.Duration ("1m30s") and
 * os.FileMode ("-rw-r--r--").
 */
import { toBytes } from './bytes.js';
import { jsonString } from './json.js';
import { mk, named, structType, T, type GoType, type Value } from './types.js';

// ---------------------------------------------------------------- time.Time

interface Instant {
  /** The RFC 3339 text it was decoded from (JSON marshals it back unchanged). */
  text: string;
  date: string; // YYYY-MM-DD
  clock: string; // hh:mm:ss
  frac: string; // digits, trailing zeros removed ('' for none)
  /** Offset from UTC in minutes; undefined for 'Z'. */
  offset?: number;
}

const instants = new WeakMap<object, Instant>();

function parseRFC3339(s: string): Instant | undefined {
  const m = /^(\d{4}-\d\d-\d\d)T(\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/.exec(s);
  if (!m) return undefined;
  const frac = (m[3] ?? '').replace(/0+$/, '');
  if (m[4] === 'Z') return { text: s, date: m[1]!, clock: m[2]!, frac };
  const sign = m[4]![0] === '-' ? -1 : 1;
  const offset = sign * (Number(m[4]!.slice(1, 3)) * 60 + Number(m[4]!.slice(4, 6)));
  return { text: s, date: m[1]!, clock: m[2]!, frac, offset };
}

/** Time.String(): "2006-01-02 15:04:05.999999999 -0700 MST". */
function timeString(t: Instant): string {
  const off = t.offset ?? 0;
  const a = Math.abs(off);
  const num = `${off < 0 ? '-' : '+'}${String(Math.floor(a / 60)).padStart(2, '0')}${String(a % 60).padStart(2, '0')}`;
  // A parsed numeric offset has no zone name: Go prints the offset again in its place.
  const zone = t.offset === undefined ? 'UTC' : num;
  return `${t.date} ${t.clock}${t.frac ? `.${t.frac}` : ''} ${num} ${zone}`;
}

const ZERO: Instant = { text: '0001-01-01T00:00:00Z', date: '0001-01-01', clock: '00:00:00', frac: '' };

const instantOf = (v: Value): Instant => instants.get(v.v as object) ?? ZERO;

export const TIME: GoType = structType(
  'time.Time',
  [
    { name: 'wall', type: T.uint64, unexported: true },
    { name: 'ext', type: T.int64, unexported: true },
    { name: 'loc', type: T.any, unexported: true },
  ],
  {
    stringer: (v) => timeString(instantOf(v)),
    marshalJSON: (v) => jsonString(toBytes(instantOf(v).text), false),
    decode: (raw) => timeValue(raw),
  },
);
TIME.methods = {
  String: { params: [], variadic: false, result: T.string, hasError: false, call: (r) => mk(T.string, timeString(instantOf(r))) },
  IsZero: { params: [], variadic: false, result: T.bool, hasError: false, call: (r) => mk(T.bool, instantOf(r) === ZERO) },
};

/** Go's Time.String() of an RFC 3339 time (JS string in and out); other text is returned as it is. */
export function goTimeString(rfc3339: string): string {
  const t = parseRFC3339(rfc3339);
  return t ? timeString(t) : rfc3339;
}

/** A time.Time decoded from its JSON text (an unparseable text decodes as the zero time). */
export function timeValue(raw: unknown): Value {
  const fields = { wall: mk(T.uint64, 0), ext: mk(T.int64, 0), loc: mk(T.any, null) };
  const t = typeof raw === 'string' ? parseRFC3339(raw) : undefined;
  if (t && t.text !== ZERO.text) instants.set(fields, t);
  return mk(TIME, fields);
}

// ---------------------------------------------------------------- time.Duration

/** Duration.String(). */
export function durationString(ns: number): string {
  if (ns === 0) return '0s';
  const neg = ns < 0;
  let u = BigInt(Math.abs(Math.trunc(ns)));
  const frac = (v: bigint, prec: number): [string, bigint] => {
    let s = '';
    let print = false;
    for (let i = 0; i < prec; i++) {
      const digit = v % 10n;
      print ||= digit !== 0n;
      if (print) s = digit.toString() + s;
      v /= 10n;
    }
    return [print ? `.${s}` : '', v];
  };
  let out: string;
  if (u < 1_000_000_000n) {
    let unit: string;
    let prec: number;
    if (u < 1000n) [unit, prec] = ['ns', 0];
    else if (u < 1_000_000n) [unit, prec] = ['µs', 3];
    else [unit, prec] = ['ms', 6];
    const [f, whole] = frac(u, prec);
    out = `${whole}${f}${unit}`;
  } else {
    const [f, secs] = frac(u, 9);
    u = secs;
    out = `${u % 60n}${f}s`;
    u /= 60n;
    if (u > 0n) {
      out = `${u % 60n}m${out}`;
      u /= 60n;
      if (u > 0n) out = `${u}h${out}`;
    }
  }
  return toBytes(neg ? `-${out}` : out);
}

export const DURATION: GoType = named(T.int64, 'time.Duration', { stringer: (v) => durationString(v.v as number) });

// ---------------------------------------------------------------- os.FileMode

/** FileMode.String(): type letters then rwxrwxrwx. */
function fileModeString(m: number): string {
  const letters = 'dalTLDpSugct?';
  let s = '';
  for (let i = 0; i < letters.length; i++) if (m & (2 ** (31 - i))) s += letters[i];
  if (s === '') s = '-';
  const rwx = 'rwxrwxrwx';
  for (let i = 0; i < 9; i++) s += m & (1 << (8 - i)) ? rwx[i] : '-';
  return s;
}

export const FILE_MODE: GoType = named(T.uint32, 'fs.FileMode', { stringer: (v) => fileModeString(v.v as number) });
