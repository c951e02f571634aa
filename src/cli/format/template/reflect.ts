/** The reflect operations text/template relies on, over the Value model of types.ts. */
import { INVALID, lengthOf, mk, type Field, type GoMap, type GoType, type Method, type Value } from './types.js';

/** Follows pointers and interfaces; stops at a nil one (returned, with isNil). */
export function indirect(v: Value): [Value, boolean] {
  while (v.t.kind === 'ptr' || v.t.kind === 'iface') {
    if (v.v === null) return [v, true];
    v = v.v as Value;
  }
  return [v, false];
}

/** The concrete value inside an interface value, or INVALID for a nil interface. */
export function indirectInterface(v: Value): Value {
  if (v.t.kind !== 'iface') return v;
  return v.v === null ? INVALID : (v.v as Value);
}

/** text/template's truth: non-zero; [truth, ok] where !ok means no truth value (func, …). */
export function isTrue(v: Value): [boolean, boolean] {
  switch (v.t.kind) {
    case 'invalid':
      return [false, true];
    case 'array':
    case 'map':
    case 'slice':
    case 'string':
      return [lengthOf(v) > 0, true];
    case 'bool':
      return [v.v === true, true];
    case 'complex':
      return [v.v.re !== 0 || v.v.im !== 0, true];
    case 'ptr':
    case 'iface':
    case 'func':
      return [v.v !== null, true];
    case 'int':
    case 'uint':
    case 'float':
      return [v.v !== 0, true];
    case 'struct':
      return [true, true];
    default:
      return [false, false];
  }
}

export function truth(v: Value): boolean {
  return isTrue(indirectInterface(v))[0];
}

// ---------------------------------------------------------------- map ordering (internal/fmtsort)

function compareKeys(a: Value, b: Value): number {
  if (a.t.kind !== b.t.kind) return a.t.kind < b.t.kind ? -1 : 1;
  switch (a.t.kind) {
    case 'int':
    case 'uint':
    case 'float': {
      const x = a.v as number;
      const y = b.v as number;
      if (Number.isNaN(x) || Number.isNaN(y)) return Number.isNaN(x) ? (Number.isNaN(y) ? 0 : -1) : 1;
      return x < y ? -1 : x > y ? 1 : 0;
    }
    case 'string':
      return a.v < b.v ? -1 : a.v > b.v ? 1 : 0;
    case 'bool':
      return a.v === b.v ? 0 : a.v ? 1 : -1;
    case 'complex': {
      const c = compareKeys(mk(a.t, a.v.re), mk(b.t, b.v.re));
      return c !== 0 ? c : compareKeys(mk(a.t, a.v.im), mk(b.t, b.v.im));
    }
    case 'iface': {
      if (a.v === null || b.v === null) return a.v === null ? (b.v === null ? 0 : -1) : 1;
      return compareKeys(a.v as Value, b.v as Value);
    }
    case 'array':
    case 'struct': {
      const xs = Object.values(a.v as Record<string, Value>);
      const ys = Object.values(b.v as Record<string, Value>);
      for (let i = 0; i < Math.min(xs.length, ys.length); i++) {
        const c = compareKeys(xs[i]!, ys[i]!);
        if (c !== 0) return c;
      }
      return 0;
    }
    default:
      return 0;
  }
}

/** A map's entries in the order fmt prints them and range visits them. */
export function sortedEntries(m: Value): { key: Value; value: Value }[] {
  if (!m.v) return [];
  return [...(m.v as GoMap).entries.values()].sort((x, y) => compareKeys(x.key, y.key));
}

// ---------------------------------------------------------------- fields and methods

/**
 * reflect's FieldByName: a field of the struct or, breadth first, of its embedded structs
 * (through embedded pointers too). Returns the path of field names, or undefined.
 */
export function fieldPath(t: GoType, name: string): Field[] | undefined {
  let level: { type: GoType; path: Field[] }[] = [{ type: t, path: [] }];
  const seen = new Set<GoType>();
  while (level.length) {
    const next: typeof level = [];
    const found: Field[][] = [];
    for (const { type, path } of level) {
      if (seen.has(type)) continue;
      seen.add(type);
      for (const f of type.fields ?? []) {
        if (f.name === name) found.push([...path, f]);
        if (f.embedded) {
          const inner = f.type.kind === 'ptr' ? f.type.elem! : f.type;
          if (inner.kind === 'struct') next.push({ type: inner, path: [...path, f] });
        }
      }
    }
    // Two at the same depth are ambiguous: Go reports no such field.
    if (found.length === 1) return found[0];
    if (found.length > 1) return undefined;
    level = next;
  }
  return undefined;
}

/**
 * Reads a field along a path from fieldPath; an embedded nil pointer on the way is Go's
 * "indirection through nil pointer to embedded struct field X" error (returned as a string).
 */
export function fieldByPath(v: Value, path: Field[]): Value | string {
  let cur = v;
  for (let i = 0; i < path.length; i++) {
    const f = path[i]!;
    cur = (cur.v as Record<string, Value>)[f.name]!;
    if (i < path.length - 1 && cur.t.kind === 'ptr') {
      if (cur.v === null) return `reflect: indirection through nil pointer to embedded struct field ${f.type.elem?.name?.replace(/^.*\./, '') ?? f.name}`;
      cur = cur.v as Value;
    }
  }
  return cur;
}

/** Methods visible on a value (its own type's, or its pointee's through a pointer). */
export function methodByName(v: Value, name: string): Method | undefined {
  const own = v.t.methods?.[name];
  if (own) return own;
  if (v.t.kind === 'ptr') return v.t.elem?.methods?.[name];
  return undefined;
}
