/**
 * JS data (parsed JSON, berth's documents and rows) as Go values: typed by a GoType the way
 * encoding/json would have decoded it into that type, or dynamically (interface{}) the way
 * docker's raw fallback decodes inspect JSON (objects → map[string]interface{}, numbers →
 * json.Number).
 */
import { toBytes } from './bytes.js';
import { T, mk, named, newMap, sliceOf, mapOf, zero, INVALID, type GoType, type Value, type GoMap } from './types.js';
import { formatJSONNumber } from './json.js';

/** encoding/json's Number: a string kind whose String() is itself. */
export const jsonNumber: GoType = named(T.string, 'json.Number', { stringer: (v) => v.v as string, marshalJSON: (v) => (v.v as string) || '0' });

export const anySlice = sliceOf(T.any);
export const anyMap = mapOf(T.string, T.any);

/**
 * How numbers inside interface{} values decode: float64 (json's default), json.Number
 * (UseNumber), or 'native' for documents berth builds itself: whole numbers as int.
 */
export type NumberMode = 'float64' | 'number' | 'native';

/** A JSON-like JS value as Go's interface{} content (the dynamic value; INVALID for null). */
export function fromAny(raw: unknown, mode: NumberMode = 'float64'): Value {
  if (raw === null || raw === undefined) return INVALID;
  switch (typeof raw) {
    case 'string':
      return mk(T.string, toBytes(raw));
    case 'boolean':
      return mk(T.bool, raw);
    case 'number':
      if (mode === 'number') return mk(jsonNumber, formatJSONNumber(raw));
      return mode === 'native' && Number.isSafeInteger(raw) ? mk(T.int, raw) : mk(T.float64, raw);
    case 'bigint':
      return mode === 'number' ? mk(jsonNumber, raw.toString()) : mk(T.float64, Number(raw));
    case 'object': {
      if (Array.isArray(raw))
        return mk(
          anySlice,
          raw.map((x) => boxed(fromAny(x, mode))),
        );
      const pairs: [Value, Value][] = Object.entries(raw as Record<string, unknown>).map(([k, x]) => [mk(T.string, toBytes(k)), boxed(fromAny(x, mode))]);
      return newMap(anyMap, pairs);
    }
    default:
      return INVALID;
  }
}

const boxed = (v: Value): Value => mk(T.any, v.t.kind === 'invalid' ? null : v);

/**
 * Decodes `raw` into a value of type `t` as encoding/json would (absent or mismatched fields are
 * zero values; JSON keys are matched case-insensitively, as json.Unmarshal does).
 */
export function fromJS(t: GoType, raw: unknown, mode: NumberMode = 'float64'): Value {
  if (t.decode) return t.decode(raw);
  switch (t.kind) {
    case 'bool':
      return mk(t, typeof raw === 'boolean' ? raw : false);
    case 'int':
    case 'uint':
      return mk(t, typeof raw === 'number' && Number.isFinite(raw) ? Math.trunc(raw) : typeof raw === 'bigint' ? Number(raw) : 0);
    case 'float':
      return mk(t, typeof raw === 'number' ? raw : 0);
    case 'string':
      return mk(t, typeof raw === 'string' ? toBytes(raw) : '');
    case 'slice':
      return Array.isArray(raw)
        ? mk(
            t,
            raw.map((x) => fromJS(t.elem!, x, mode)),
          )
        : mk(t, null);
    case 'array': {
      const items = Array.isArray(raw) ? raw : [];
      return mk(
        t,
        Array.from({ length: t.len ?? 0 }, (_, i) => fromJS(t.elem!, items[i], mode)),
      );
    }
    case 'map': {
      if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return mk(t, null);
      return newMap(
        t,
        Object.entries(raw as Record<string, unknown>).map(([k, x]) => [fromJS(t.key!, k, mode), fromJS(t.elem!, x, mode)]),
      );
    }
    case 'ptr':
      return raw === null || raw === undefined ? mk(t, null) : mk(t, fromJS(t.elem!, raw, mode));
    case 'iface': {
      const v = fromAny(raw, mode);
      return mk(t, v.t.kind === 'invalid' ? null : v);
    }
    case 'struct': {
      const obj = raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : undefined;
      const out: Record<string, Value> = {};
      for (const f of t.fields ?? []) {
        if (f.embedded) {
          // JSON flattens embedded structs: their fields come from the same object.
          const inner = f.type.kind === 'ptr' ? f.type.elem! : f.type;
          if (f.type.kind === 'ptr') out[f.name] = obj ? mk(f.type, fromJS(inner, obj, mode)) : mk(f.type, null);
          else out[f.name] = fromJS(inner, obj, mode);
          continue;
        }
        if (f.json === '-' || f.unexported) {
          out[f.name] = zero(f.type);
          continue;
        }
        out[f.name] = fromJS(f.type, obj ? lookupKey(obj, f.json ?? f.name) : undefined, mode);
      }
      return mk(t, out);
    }
    default:
      return zero(t);
  }
}

function lookupKey(obj: Record<string, unknown>, key: string): unknown {
  if (key in obj) return obj[key];
  const lower = key.toLowerCase();
  for (const k of Object.keys(obj)) if (k.toLowerCase() === lower) return obj[k];
  return undefined;
}

/** A Go map[string]string from a JS record (labels, header maps). */
export function stringMap(t: GoType, rec: Record<string, string> | null | undefined): Value {
  if (!rec) return mk(t, null);
  return newMap(
    t,
    Object.entries(rec).map(([k, v]) => [mk(t.key!, toBytes(k)), mk(t.elem!, toBytes(v))]),
  );
}

export type { GoMap };
