/**
 * text/template's predefined functions (Go 1.24): and, or, not, len, index, slice, call, print,
 * printf, println, html, js, urlquery and the comparisons eq (with several arguments), ne, lt,
 * le, gt, ge, with Go's argument rules and error texts.
 */
import { CallError } from './errors.js';
import { htmlEscape, jsEscape, urlQueryEscape } from './escape.js';
import { sprint, sprintf, sprintln } from './fmt.js';
import { indirect, indirectInterface, truth } from './reflect.js';
import {
  assignable,
  bool,
  INVALID,
  int,
  lengthOf,
  mk,
  sliceOf,
  T,
  typeString,
  zero,
  type GoFunc,
  type GoMap,
  type GoType,
  type Param,
  type Value,
} from './types.js';

const fn = (params: Param[], variadic: boolean, result: GoType | 'value', hasError: boolean, call: (args: Value[]) => Value): GoFunc => ({
  params,
  variadic,
  result,
  hasError,
  call,
});

/** An interface{} argument as fmt sees it: its concrete value, or INVALID for nil. */
export const unboxed = (v: Value): Value => (v.t.kind === 'iface' ? ((v.v as Value | null) ?? INVALID) : v);

/** The printable form of an argument (text/template's printableValue + evalArgs). */
function evalArgs(args: Value[]): string {
  if (args.length === 1 && args[0]!.t === T.string) return args[0]!.v as string;
  const printable = args.map((a) => {
    let v = unboxed(a);
    if (v.t.kind === 'ptr') v = indirect(v)[0];
    return v.t.kind === 'invalid' ? mk(T.string, '<no value>') : v;
  });
  return sprint(printable);
}

// ---------------------------------------------------------------- indexing

const intLike = (t: GoType) => t.kind === 'int' || t.kind === 'uint';

/** prepareArg: an argument for a parameter of type t (nil → zero value, int kinds convert). */
export function prepareArg(value: Value, t: GoType): Value {
  if (value.t.kind === 'invalid') {
    if (!['func', 'iface', 'map', 'ptr', 'slice'].includes(t.kind)) throw new CallError(`value is nil; should be of type ${typeString(t)}`);
    return zero(t);
  }
  if (assignable(value.t, t)) return value;
  if (intLike(value.t) && intLike(t)) return mk(t, value.v);
  throw new CallError(`value has type ${typeString(value.t)}; should be ${typeString(t)}`);
}

function indexArg(index: Value, cap: number): number {
  let x: number;
  switch (index.t.kind) {
    case 'int':
    case 'uint':
      x = index.v as number;
      break;
    case 'invalid':
      throw new CallError('cannot index slice/array with nil');
    default:
      throw new CallError(`cannot index slice/array with type ${typeString(index.t)}`);
  }
  if (x < 0 || x > cap) throw new CallError(`index out of range: ${x}`);
  return x;
}

function index(args: Value[]): Value {
  let item = indirectInterface(args[0]!);
  if (item.t.kind === 'invalid') throw new CallError('index of untyped nil');
  for (const raw of args.slice(1)) {
    const idx = indirectInterface(raw);
    const [it, isNil] = indirect(item);
    if (isNil) throw new CallError('index of nil pointer');
    item = it;
    switch (item.t.kind) {
      case 'array':
      case 'slice':
      case 'string': {
        const len = lengthOf(item);
        const x = indexArg(idx, len);
        // x == len passes indexArg; reflect's Index then panics.
        if (x >= len) throw new CallError(`reflect: ${item.t.kind} index out of range`);
        item = item.t.kind === 'string' ? mk(T.uint8, (item.v as string).charCodeAt(x)) : (item.v as Value[])[x]!;
        break;
      }
      case 'map': {
        const key = prepareArg(idx, item.t.key!);
        const hit = item.v ? (item.v as GoMap).entries.get(key.v) : undefined;
        item = hit ? hit.value : zero(item.t.elem!);
        break;
      }
      default:
        throw new CallError(`can't index item of type ${typeString(item.t)}`);
    }
  }
  return item;
}

function slice(args: Value[]): Value {
  // Go 1.24 slices what it is given (no pointer indirection, unlike index).
  const item = indirectInterface(args[0]!);
  if (item.t.kind === 'invalid') throw new CallError('slice of untyped nil');
  const indexes = args.slice(1);
  if (indexes.length > 3) throw new CallError(`too many slice indexes: ${indexes.length}`);
  let cap: number;
  switch (item.t.kind) {
    case 'string':
      if (indexes.length === 3) throw new CallError('cannot 3-index slice a string');
      cap = lengthOf(item);
      break;
    case 'array':
    case 'slice':
      cap = lengthOf(item);
      break;
    default:
      throw new CallError(`can't slice item of type ${typeString(item.t)}`);
  }
  const idx = [0, lengthOf(item), 0];
  indexes.forEach((x, i) => (idx[i] = indexArg(indirectInterface(x), cap)));
  if (idx[0]! > idx[1]!) throw new CallError(`invalid slice index: ${idx[0]} > ${idx[1]}`);
  if (indexes.length === 3 && idx[1]! > idx[2]!) throw new CallError(`invalid slice index: ${idx[1]} > ${idx[2]}`);
  if (item.t.kind === 'string') return mk(item.t, (item.v as string).slice(idx[0], idx[1]));
  const elems = ((item.v as Value[] | null) ?? []).slice(idx[0], idx[1]);
  return mk(item.t.kind === 'array' ? sliceOf(item.t.elem!) : item.t, item.v === null && elems.length === 0 ? null : elems);
}

function length(args: Value[]): Value {
  const [item, isNil] = indirect(args[0]!);
  if (isNil) throw new CallError('len of nil pointer');
  switch (item.t.kind) {
    case 'array':
    case 'map':
    case 'slice':
    case 'string':
      return int(lengthOf(item));
    case 'invalid':
      throw new CallError('reflect: call of reflect.Value.Type on zero Value');
    default:
      throw new CallError(`len of type ${typeString(item.t)}`);
  }
}

// ---------------------------------------------------------------- comparisons

type BasicKind = 'invalid' | 'bool' | 'complex' | 'int' | 'float' | 'string' | 'uint';

function basicKind(v: Value): BasicKind {
  const k = v.t.kind;
  return k === 'bool' || k === 'complex' || k === 'int' || k === 'float' || k === 'string' || k === 'uint' ? k : 'invalid';
}

const BAD_TYPE = 'invalid type for comparison';
const INCOMPATIBLE = 'incompatible types for comparison';

const isNilValue = (v: Value) => v.t.kind === 'invalid' || (['func', 'iface', 'map', 'ptr', 'slice'].includes(v.t.kind) && v.v === null);

/** Go's == on comparable values of the same type. */
function goEqual(a: Value, b: Value): boolean {
  if (a.t.kind !== b.t.kind) return false;
  switch (a.t.kind) {
    case 'ptr':
      return a.v === b.v;
    case 'struct':
    case 'array': {
      const xs = Object.values(a.v as Record<string, Value>);
      const ys = Object.values(b.v as Record<string, Value>);
      return xs.length === ys.length && xs.every((x, i) => goEqual(x, ys[i]!));
    }
    case 'iface':
      return a.v === null || b.v === null ? a.v === b.v : goEqual(a.v as Value, b.v as Value);
    case 'complex':
      return a.v.re === b.v.re && a.v.im === b.v.im;
    default:
      return a.v === b.v;
  }
}

function comparable(t: GoType): boolean {
  switch (t.kind) {
    case 'slice':
    case 'map':
    case 'func':
      return false;
    case 'array':
      return comparable(t.elem!);
    case 'struct':
      return (t.fields ?? []).every((f) => comparable(f.type));
    default:
      return true;
  }
}

function eq(args: Value[]): Value {
  const a1 = indirectInterface(args[0]!);
  const rest = args.slice(1);
  if (rest.length === 0) throw new CallError('missing argument for comparison');
  const k1 = basicKind(a1);
  for (const raw of rest) {
    const a = indirectInterface(raw);
    const k2 = basicKind(a);
    let t = false;
    if (k1 !== k2) {
      if (k1 === 'int' && k2 === 'uint') t = (a1.v as number) >= 0 && a1.v === a.v;
      else if (k1 === 'uint' && k2 === 'int') t = (a.v as number) >= 0 && a1.v === a.v;
      else if (a1.t.kind !== 'invalid' && a.t.kind !== 'invalid') throw new CallError(INCOMPATIBLE);
    } else if (k1 === 'complex') t = a1.v.re === a.v.re && a1.v.im === a.v.im;
    else if (k1 !== 'invalid') t = a1.v === a.v;
    else {
      if (a1.t.kind !== a.t.kind && a1.t.kind !== 'invalid' && a.t.kind !== 'invalid') {
        throw new CallError(`non-comparable types ${sprintf('%s', [a1])}: ${typeString(a1.t)}, ${typeString(a.t)}: ${sprintf('%v', [a])}`);
      }
      if (isNilValue(a1) || isNilValue(a)) t = isNilValue(a) === isNilValue(a1);
      else {
        if (!comparable(a.t)) throw new CallError(`non-comparable type ${sprintf('%s', [a])}: ${typeString(a.t)}`);
        t = goEqual(a1, a);
      }
    }
    if (t) return bool(true);
  }
  return bool(false);
}

function lessThan(x: Value, y: Value): boolean {
  const a1 = indirectInterface(x);
  const a2 = indirectInterface(y);
  const k1 = basicKind(a1);
  const k2 = basicKind(a2);
  if (k1 === 'invalid' || k2 === 'invalid') throw new CallError(BAD_TYPE);
  if (k1 !== k2) {
    if (k1 === 'int' && k2 === 'uint') return (a1.v as number) < 0 || (a1.v as number) < (a2.v as number);
    if (k1 === 'uint' && k2 === 'int') return (a2.v as number) >= 0 && (a1.v as number) < (a2.v as number);
    throw new CallError(INCOMPATIBLE);
  }
  if (k1 === 'bool' || k1 === 'complex') throw new CallError(BAD_TYPE);
  return a1.v < a2.v;
}

const lt = (args: Value[]) => bool(lessThan(args[0]!, args[1]!));
const le = (args: Value[]) => bool(lessThan(args[0]!, args[1]!) || eq(args).v === true);
const gt = (args: Value[]) => bool(!(lessThan(args[0]!, args[1]!) || eq(args).v === true));
const ge = (args: Value[]) => bool(!lessThan(args[0]!, args[1]!));
const ne = (args: Value[]) => bool(!(eq(args).v as boolean));

// ---------------------------------------------------------------- call

function call(args: Value[]): Value {
  const [nameV, fnV, ...rest] = args as [Value, Value, ...Value[]];
  const name = nameV.v as string;
  const f = indirectInterface(fnV);
  if (f.t.kind === 'invalid') throw new CallError('call of nil');
  if (f.t.kind !== 'func') throw new CallError(`non-function ${name} of type ${typeString(f.t)}`);
  if (f.v === null) throw new CallError('runtime error: invalid memory address or nil pointer dereference');
  const g = f.v as GoFunc;
  const numIn = g.params.length;
  if (g.variadic) {
    if (rest.length < numIn - 1) throw new CallError(`wrong number of args for ${name}: got ${rest.length} want at least ${numIn - 1}`);
  } else if (rest.length !== numIn) throw new CallError(`wrong number of args for ${name}: got ${rest.length} want ${numIn}`);
  const argv = rest.map((a, i) => {
    const pt = g.params[Math.min(i, numIn - 1)]!;
    if (pt === 'value') return a;
    try {
      return prepareArg(indirectInterface(a), pt);
    } catch (e) {
      if (e instanceof CallError) throw new CallError(`arg ${i}: ${e.message}`);
      throw e;
    }
  });
  return g.call(argv);
}

// ---------------------------------------------------------------- the table

const V = 'value' as const;

export const BUILTINS: Record<string, GoFunc> = {
  and: fn([V, V], true, V, false, () => INVALID), // evaluated by the executor (short-circuit)
  or: fn([V, V], true, V, false, () => INVALID),
  call: fn([V, V], true, V, true, call),
  html: fn([T.any], true, T.string, false, (a) => mk(T.string, htmlEscape(evalArgs(a)))),
  index: fn([V, V], true, V, true, index),
  slice: fn([V, V], true, V, true, slice),
  js: fn([T.any], true, T.string, false, (a) => mk(T.string, jsEscape(evalArgs(a)))),
  len: fn([V], false, T.int, true, length),
  not: fn([V], false, T.bool, false, (a) => bool(!truth(a[0]!))),
  print: fn([T.any], true, T.string, false, (a) => mk(T.string, sprint(a.map(unboxed)))),
  printf: fn([T.string, T.any], true, T.string, false, (a) => mk(T.string, sprintf(a[0]!.v as string, a.slice(1).map(unboxed)))),
  println: fn([T.any], true, T.string, false, (a) => mk(T.string, sprintln(a.map(unboxed)))),
  urlquery: fn([T.any], true, T.string, false, (a) => mk(T.string, urlQueryEscape(evalArgs(a)))),
  eq: fn([V, V], true, T.bool, true, eq),
  ge: fn([V, V], false, T.bool, true, ge),
  gt: fn([V, V], false, T.bool, true, gt),
  le: fn([V, V], false, T.bool, true, le),
  lt: fn([V, V], false, T.bool, true, lt),
  ne: fn([V, V], false, T.bool, true, ne),
};
