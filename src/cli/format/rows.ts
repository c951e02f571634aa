/**
 * List rows as docker's formatter contexts present them to templates: a pointer to a struct
 * (`*formatter.ContainerContext`, …) whose values are methods (`{{.ID}}`, `{{.Label "k"}}`),
 * which embeds HeaderContext (`{{.Header}}`), has unexported fields (`{{.trunc}}` is an error,
 * not empty output) and marshals to JSON as an object of its no-argument methods, keys sorted.
 * Column headers come from a SubHeaderContext map (with its Label method).
 */
import { toBytes } from './template/bytes.js';
import { stringMap } from './template/convert.js';
import { marshal } from './template/json.js';
import { box, mapOf, mk, newMap, ptrTo, structType, T, zero, type Field, type GoType, type Method, type Value } from './template/types.js';

/** What a method returns: a string, a Go value, or null for a nil *Platform (docker's ps). */
export type RowMethod<R> = (row: R) => string | boolean | Value;

export interface RowKind<R> {
  /** Go's name of the row struct, e.g. 'formatter.ContainerContext'. */
  goType: string;
  /** docker's SubHeaderContext: field → column header. */
  header: Record<string, string>;
  /** The no-argument methods, by name. */
  methods: Record<string, RowMethod<R>>;
  /** Methods that answer differently inside MarshalJSON (docker's search rows: OFFICIAL true/false). */
  json?: Partial<Record<string, RowMethod<R>>>;
  /** `Label NAME` (containers, networks, volumes). */
  label?: (row: R, name: string) => string;
  /** Unexported fields of the Go struct (only for Go's error message when a template names one). */
  hidden?: string[];
  /** Exported fields besides the embedded HeaderContext (always their zero value here). */
  fields?: Field[];
  /** The row is an `error` (docker's context rows): fmt prints this text for `{{.}}`. */
  errorText?: (row: R) => string;
  /** docker's default table (`table …`) when no --format or `--format table` is given. */
  defaultFormat: string;
  /** docker's `raw` format, for the commands that have one. */
  rawFormat?: string;
}

const HEADER_CONTEXT = structType('formatter.HeaderContext', [{ name: 'Header', type: T.any }]);

/** SubHeaderContext's Label: the last dotted part, '-' and '_' as spaces. */
function labelHeader(name: string): string {
  const parts = name.split('.');
  return parts[parts.length - 1]!.replace(/[-_]/g, ' ');
}

const SUB_HEADER: GoType = mapOf(T.string, T.string, 'formatter.SubHeaderContext');
SUB_HEADER.methods = {
  Label: { params: [T.string], variadic: false, result: T.string, hasError: false, call: (_r, a) => mk(T.string, labelHeader(a[0]!.v as string)) },
};

export function headerValue(header: Record<string, string>): Value {
  return stringMap(SUB_HEADER, header);
}

const toValue = (x: string | boolean | Value): Value => (typeof x === 'string' ? mk(T.string, toBytes(x)) : typeof x === 'boolean' ? mk(T.bool, x) : x);

const types = new WeakMap<RowKind<never>, GoType>();
const rowsOf = new WeakMap<object, unknown>();

/** The Go type of a kind's rows (a pointer to the struct), built once. */
export function rowType<R>(kind: RowKind<R>): GoType {
  const cached = types.get(kind as RowKind<never>);
  if (cached) return cached;
  const rowOf = (recv: Value) => rowsOf.get(recv.v as object) as R;
  const methods: Record<string, Method> = {
    FullHeader: { params: [], variadic: false, result: T.any, hasError: false, call: (recv) => (recv.v as Record<string, Value>).HeaderContext!.v.Header },
  };
  for (const [name, f] of Object.entries(kind.methods)) {
    methods[name] = { params: [], variadic: false, result: T.string, hasError: false, call: (recv) => toValue(f(rowOf(recv))) };
  }
  if (kind.label) {
    const label = kind.label;
    methods.Label = {
      params: [T.string],
      variadic: false,
      result: T.string,
      hasError: false,
      call: (recv, a) => mk(T.string, toBytes(label(rowOf(recv), Buffer.from(a[0]!.v as string, 'latin1').toString('utf8')))),
    };
  }
  const fields: Field[] = [
    { name: 'HeaderContext', type: HEADER_CONTEXT, embedded: true },
    ...(kind.hidden ?? []).map((name) => ({ name, type: T.any, unexported: true })),
    ...(kind.fields ?? []),
  ];
  const struct = structType(kind.goType, fields, { methods });
  if (kind.errorText) {
    const text = kind.errorText;
    struct.stringer = (v) => toBytes(text(rowOf(v)));
  }
  // formatter.MarshalJSON: every exported no-argument method, as a JSON object (keys sorted).
  struct.marshalJSON = (v) => {
    const row = rowOf(v);
    const pairs: [Value, Value][] = Object.entries(kind.methods).map(([name, f]) => [mk(T.string, name), box(toValue((kind.json?.[name] ?? f)(row)))]);
    return marshal(newMap(mapOf(T.string, T.any), pairs), true);
  };
  const t = ptrTo(struct);
  types.set(kind as RowKind<never>, t);
  return t;
}

/** One row as the Go value a template sees (a non-nil pointer to the row struct). */
export function rowValue<R>(kind: RowKind<R>, row: R): Value {
  const t = rowType(kind);
  const fields: Record<string, Value> = { HeaderContext: mk(HEADER_CONTEXT, { Header: mk(T.any, null) }) };
  for (const h of kind.hidden ?? []) fields[h] = mk(T.any, null);
  for (const f of kind.fields ?? []) fields[f.name] = zero(f.type);
  rowsOf.set(fields, row);
  return mk(t, mk(t.elem!, fields));
}
