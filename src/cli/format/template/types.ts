/**
 * A small model of Go's reflection: the types and values a template walks. Docker executes
 * templates on typed Go values (structs with fields and methods, typed maps and slices, pointers,
 * interfaces), and what a template prints or whether it fails depends on those types: a missing
 * struct field is an error while a missing map key prints `<no value>`, a nil slice prints `[]`
 * and a nil pointer `<nil>`, `index` of a missing key gives the element type's zero value.
 *
 * A Value pairs a GoType with its representation:
 *   bool → boolean; int/uint/float → number; complex → {re, im}; string → byte string (bytes.ts);
 *   slice → Value[] | null (nil); array → Value[]; map → GoMap | null (nil);
 *   struct → Record<field name, Value>; ptr → Value | null (nil); iface → Value | null (nil);
 *   func → GoFunc. The invalid Value (reflect's zero Value) has kind 'invalid'.
 */

export type Kind = 'invalid' | 'bool' | 'int' | 'uint' | 'float' | 'complex' | 'string' | 'slice' | 'array' | 'map' | 'struct' | 'ptr' | 'iface' | 'func';

export interface Field {
  name: string;
  type: GoType;
  /** JSON key when it differs from the name (`json:"Id"`); '-' to skip. */
  json?: string;
  omitempty?: boolean;
  /** An embedded field: its fields (or its pointee's) are promoted. */
  embedded?: boolean;
  /** Lower-case Go fields exist but cannot be read by templates. */
  unexported?: boolean;
}

/** A parameter type, or 'value' for builtins that take any reflect.Value. */
export type Param = GoType | 'value';

export interface GoFunc {
  params: Param[];
  variadic: boolean;
  /** Result type; 'value' for builtins returning a reflect.Value. */
  result: GoType | 'value';
  /** True when Go's signature has a second, error result. */
  hasError: boolean;
  /** Throws CallError for a returned error or a panic. */
  call(args: Value[]): Value;
}

export interface Method extends Omit<GoFunc, 'call'> {
  call(recv: Value, args: Value[]): Value;
}

export interface GoType {
  kind: Kind;
  /** Named types: 'string', 'int64', 'nat.Port', '*formatter.ContainerContext' (as reflect prints it). */
  name?: string;
  /** Bit size of numeric kinds (for %T and overflow); 64 unless said. */
  bits?: number;
  elem?: GoType;
  key?: GoType;
  len?: number;
  fields?: Field[];
  methods?: Record<string, Method>;
  /** fmt's Stringer (String() string): how %v/%s print it. */
  stringer?: (v: Value) => string;
  /** json.Marshaler: the JSON text of a value of this type. */
  marshalJSON?: (v: Value) => string;
  /** func types: the signature shown by %T. */
  sig?: string;
  /** How encoding/json decodes JSON data into this type, when it is not by its kind (time.Time). */
  decode?: (raw: unknown) => Value;
}

export interface GoMap {
  /** Keyed by the key's representation (byte string, number, boolean). */
  entries: Map<unknown, { key: Value; value: Value }>;
}

export interface Value {
  t: GoType;
  v: any;
}

// ---------------------------------------------------------------- basic types

const basic = (kind: Kind, name: string, bits = 64): GoType => ({ kind, name, bits });

export const T = {
  invalid: { kind: 'invalid' } as GoType,
  bool: basic('bool', 'bool'),
  int: basic('int', 'int'),
  int8: basic('int', 'int8', 8),
  int16: basic('int', 'int16', 16),
  int32: basic('int', 'int32', 32),
  int64: basic('int', 'int64'),
  uint: basic('uint', 'uint'),
  uint8: basic('uint', 'uint8', 8),
  uint16: basic('uint', 'uint16', 16),
  uint32: basic('uint', 'uint32', 32),
  uint64: basic('uint', 'uint64'),
  float64: basic('float', 'float64'),
  float32: basic('float', 'float32', 32),
  complex128: basic('complex', 'complex128', 128),
  string: basic('string', 'string'),
  any: { kind: 'iface' } as GoType,
  error: { kind: 'iface', name: 'error' } as GoType,
};

export const INVALID: Value = { t: T.invalid, v: undefined };

export const sliceOf = (elem: GoType, name?: string): GoType => ({ kind: 'slice', elem, ...(name ? { name } : {}) });
export const arrayOf = (elem: GoType, len: number): GoType => ({ kind: 'array', elem, len });
export const mapOf = (key: GoType, elem: GoType, name?: string): GoType => ({ kind: 'map', key, elem, ...(name ? { name } : {}) });
export const ptrTo = (elem: GoType): GoType => ({ kind: 'ptr', elem });
export const structType = (name: string, fields: Field[], extra: Partial<GoType> = {}): GoType => ({ kind: 'struct', name, fields, ...extra });

/** A named type over a basic kind, e.g. `nat.Port` (string) or `json.Number`. */
export const named = (base: GoType, name: string, extra: Partial<GoType> = {}): GoType => ({
  ...base,
  name,
  methods: undefined,
  stringer: undefined,
  ...extra,
});

export const mk = (t: GoType, v: unknown): Value => ({ t, v });
export const str = (s: string): Value => mk(T.string, s);
export const int = (n: number): Value => mk(T.int, n);
export const bool = (b: boolean): Value => mk(T.bool, b);
export const float = (n: number): Value => mk(T.float64, n);

export const isInvalid = (v: Value): boolean => v.t.kind === 'invalid';

/** reflect.Type.String(). */
export function typeString(t: GoType): string {
  if (t.name) return t.name;
  switch (t.kind) {
    case 'invalid':
      return '<nil>';
    case 'slice':
      return `[]${typeString(t.elem!)}`;
    case 'array':
      return `[${t.len}]${typeString(t.elem!)}`;
    case 'map':
      return `map[${typeString(t.key!)}]${typeString(t.elem!)}`;
    case 'ptr':
      return `*${typeString(t.elem!)}`;
    case 'iface':
      return 'interface {}';
    case 'func':
      return t.sig ?? 'func()';
    case 'struct':
      return `struct { ${(t.fields ?? []).map((f) => `${f.name} ${typeString(f.type)}`).join('; ')} }`;
    default:
      return t.kind;
  }
}

/** Type identity: named types by name, unnamed ones by structure. */
export function sameType(a: GoType, b: GoType): boolean {
  if (a === b) return true;
  if (a.kind !== b.kind) return false;
  if (a.name || b.name) return a.name === b.name && (a.kind !== 'ptr' || sameType(a.elem!, b.elem!));
  switch (a.kind) {
    case 'slice':
    case 'ptr':
      return sameType(a.elem!, b.elem!);
    case 'array':
      return a.len === b.len && sameType(a.elem!, b.elem!);
    case 'map':
      return sameType(a.key!, b.key!) && sameType(a.elem!, b.elem!);
    case 'iface':
      return true;
    case 'func':
      return a.sig === b.sig;
    default:
      return typeString(a) === typeString(b);
  }
}

/** The type without its name: what Go calls the underlying type (for assignability). */
function underlying(t: GoType): GoType {
  return t.name ? { ...t, name: undefined, methods: undefined, stringer: undefined } : t;
}

const isPredeclared = (t: GoType): boolean => ['bool', 'int', 'uint', 'float', 'complex', 'string'].includes(t.kind);

/** Go's assignability (reflect.Type.AssignableTo), for the cases templates meet. */
export function assignable(v: GoType, to: GoType): boolean {
  if (sameType(v, to)) return true;
  if (to.kind === 'iface') {
    // interface{} takes anything; a named interface (error, Stringer) only what implements it.
    if (!to.name) return true;
    if (to.name === 'error') return v.kind === 'iface' && v.name === 'error';
    return false;
  }
  // Identical underlying types and at least one side unnamed (basic types are named in Go).
  const vNamed = !!v.name || isPredeclared(v);
  const tNamed = !!to.name || isPredeclared(to);
  if (vNamed && tNamed) return false;
  return sameType(underlying(v), underlying(to));
}

// ---------------------------------------------------------------- zero values and construction

/** reflect.Zero. */
export function zero(t: GoType): Value {
  switch (t.kind) {
    case 'invalid':
      return INVALID;
    case 'bool':
      return mk(t, false);
    case 'int':
    case 'uint':
    case 'float':
      return mk(t, 0);
    case 'complex':
      return mk(t, { re: 0, im: 0 });
    case 'string':
      return mk(t, '');
    case 'array':
      return mk(
        t,
        Array.from({ length: t.len ?? 0 }, () => zero(t.elem!)),
      );
    case 'struct': {
      const o: Record<string, Value> = {};
      for (const f of t.fields ?? []) o[f.name] = zero(f.type);
      return mk(t, o);
    }
    default:
      // slice, map, ptr, iface, func: nil
      return mk(t, null);
  }
}

export function newMap(t: GoType, pairs: [Value, Value][]): Value {
  const entries = new Map<unknown, { key: Value; value: Value }>();
  for (const [key, value] of pairs) entries.set(key.v, { key, value });
  return mk(t, { entries } satisfies GoMap);
}

/** Interface boxing: a Value of static type `iface` holding `v` (or nil). */
export function box(v: Value, iface: GoType = T.any): Value {
  if (v.t.kind === 'iface') return mk(iface, v.v);
  return mk(iface, isInvalid(v) ? null : v);
}

/** reflect.Value.Len for the kinds that have one. */
export function lengthOf(v: Value): number {
  switch (v.t.kind) {
    case 'string':
      return (v.v as string).length;
    case 'slice':
    case 'array':
      return v.v ? (v.v as Value[]).length : 0;
    case 'map':
      return v.v ? (v.v as GoMap).entries.size : 0;
    default:
      throw new Error(`len of ${v.t.kind}`);
  }
}
