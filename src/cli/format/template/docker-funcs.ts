/**
 * The functions docker adds to every template (docker/cli templates/templates.go, v28): json,
 * split, join, title, lower, upper, pad, truncate — and the header variants a table's header
 * row is rendered with (each returns its first argument, so `{{upper .Name}}` heads its column
 * NAME, not an upper-cased header).
 */
import { encodeRune, isDigit, isLetter, isSpace, mapRunes, runes, toLowerRune, toTitleRune, toUpperRune } from './bytes.js';
import { CallError } from './errors.js';
import { marshal } from './json.js';
import { mk, sliceOf, T, type GoFunc, type Param, type Value } from './types.js';

const fn = (params: Param[], call: (a: Value[]) => Value, variadic = false): GoFunc => ({ params, variadic, result: T.string, hasError: false, call });
const s = (v: Value) => v.v as string;
const text = (b: string) => mk(T.string, b);
const stringSlice = sliceOf(T.string);

/** strings.Split: every separated piece; an empty separator splits into UTF-8 sequences. */
function split(str: string, sep: string): string[] {
  if (sep === '') return [...runes(str)].map(([i, , w]) => str.slice(i, i + w));
  return str.split(sep);
}

/** strings.Title's word boundary test. */
function isSeparator(r: number): boolean {
  if (r <= 0x7f) {
    if ((r >= 0x30 && r <= 0x39) || (r >= 0x61 && r <= 0x7a) || (r >= 0x41 && r <= 0x5a) || r === 0x5f) return false;
    return true;
  }
  if (isLetter(r) || isDigit(r)) return false;
  return isSpace(r);
}

function title(b: string): string {
  let prev = 0x20;
  let out = '';
  for (const [, r] of runes(b)) {
    out += encodeRune(isSeparator(prev) ? toTitleRune(r) : r);
    prev = r;
  }
  return out;
}

function repeatSpaces(n: number): string {
  if (n < 0) throw new CallError('strings: negative Repeat count');
  return ' '.repeat(n);
}

export const DOCKER_FUNCS: Record<string, GoFunc> = {
  // Go's json.Encoder with SetEscapeHTML(false); a marshalling error is a panic, reported as an error.
  json: fn([T.any], (a) => text(marshal(a[0]!, false))),
  split: {
    params: [T.string, T.string],
    variadic: false,
    result: stringSlice,
    hasError: false,
    call: (a) => mk(stringSlice, split(s(a[0]!), s(a[1]!)).map(text)),
  },
  join: fn([stringSlice, T.string], (a) => text(((a[0]!.v as Value[] | null) ?? []).map(s).join(s(a[1]!)))),
  title: fn([T.string], (a) => text(title(s(a[0]!)))),
  lower: fn([T.string], (a) => text(mapRunes(s(a[0]!), toLowerRune))),
  upper: fn([T.string], (a) => text(mapRunes(s(a[0]!), toUpperRune))),
  pad: fn([T.string, T.int, T.int], (a) => {
    const src = s(a[0]!);
    if (src === '') return text(src);
    return text(repeatSpaces(a[1]!.v as number) + src + repeatSpaces(a[2]!.v as number));
  }),
  truncate: fn([T.string, T.int], (a) => {
    const src = s(a[0]!);
    const n = a[1]!.v as number;
    if (src.length < n) return text(src);
    if (n < 0) throw new CallError(`runtime error: slice bounds out of range [:${n}]`);
    return text(src.slice(0, n));
  }),
};

const same = (params: Param[]) => fn(params, (a) => a[0]!);

/** docker's HeaderFunctions: replace the above while the header row is rendered. */
export const HEADER_FUNCS: Record<string, GoFunc> = {
  ...DOCKER_FUNCS,
  json: same([T.string]),
  split: same([T.string, T.string]),
  join: same([T.string, T.string]),
  title: same([T.string]),
  lower: same([T.string]),
  upper: same([T.string]),
  truncate: same([T.string, T.int]),
};
