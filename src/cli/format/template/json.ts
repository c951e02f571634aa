/**
 * Go's encoding/json Marshal of template values: struct fields in declaration order with their
 * json names and omitempty, map keys sorted, nil slices and maps as null, json.Marshaler types
 * (docker's list rows, json.Number) as they marshal themselves. `escapeHTML` is encoding/json's
 * default (true); docker's `json` template function turns it off.
 */
import { decodeRune, RUNE_ERROR } from './bytes.js';
import { CallError } from './errors.js';
import { jsonFloat } from './float.js';
import { typeString, type GoMap, type Value } from './types.js';

const HEX = '0123456789abcdef';

/** encoding/json's string encoding (of a byte string; the result is a byte string). */
export function jsonString(b: string, escapeHTML: boolean): string {
  let out = '"';
  let start = 0;
  for (let i = 0; i < b.length;) {
    const c = b.charCodeAt(i);
    if (c < 0x80) {
      const html = c === 0x3c || c === 0x3e || c === 0x26;
      if (c >= 0x20 && c !== 0x22 && c !== 0x5c && !(html && escapeHTML)) {
        i++;
        continue;
      }
      out += b.slice(start, i);
      switch (c) {
        case 0x5c:
        case 0x22:
          out += `\\${String.fromCharCode(c)}`;
          break;
        case 0x08:
          out += '\\b';
          break;
        case 0x0c:
          out += '\\f';
          break;
        case 0x0a:
          out += '\\n';
          break;
        case 0x0d:
          out += '\\r';
          break;
        case 0x09:
          out += '\\t';
          break;
        default:
          out += `\\u00${HEX[c >> 4]}${HEX[c & 0xf]}`;
      }
      i++;
      start = i;
      continue;
    }
    const [r, size] = decodeRune(b, i);
    if (r === RUNE_ERROR && size === 1) {
      out += `${b.slice(start, i)}\\ufffd`;
      i += size;
      start = i;
      continue;
    }
    if (r === 0x2028 || r === 0x2029) {
      out += `${b.slice(start, i)}\\u202${HEX[r & 0xf]}`;
      i += size;
      start = i;
      continue;
    }
    i += size;
  }
  return `${out}${b.slice(start)}"`;
}

/** The JSON text of a number that arrived as a JS number (how Go wrote it into the document). */
export function formatJSONNumber(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return String(n);
  return jsonFloat(n);
}

function isEmpty(v: Value): boolean {
  switch (v.t.kind) {
    case 'bool':
      return v.v === false;
    case 'int':
    case 'uint':
    case 'float':
      return v.v === 0;
    case 'string':
      return v.v === '';
    case 'slice':
    case 'array':
      return !v.v || (v.v as Value[]).length === 0;
    case 'map':
      return !v.v || (v.v as GoMap).entries.size === 0;
    case 'ptr':
    case 'iface':
    case 'func':
      return v.v === null;
    default:
      return false;
  }
}

/** json.Marshal(v); throws CallError with Go's message for unsupported values. */
export function marshal(v: Value, escapeHTML = true): string {
  const t = v.t;
  if (t.marshalJSON && !(t.kind === 'ptr' && v.v === null)) return t.marshalJSON(v);
  switch (t.kind) {
    case 'invalid':
      return 'null';
    case 'bool':
      return v.v ? 'true' : 'false';
    case 'int':
    case 'uint':
      return String(v.v);
    case 'float': {
      const x = v.v as number;
      if (!Number.isFinite(x)) throw new CallError(`json: unsupported value: ${Number.isNaN(x) ? 'NaN' : x > 0 ? '+Inf' : '-Inf'}`);
      return jsonFloat(x);
    }
    case 'complex':
      throw new CallError(`json: unsupported type: ${typeString(t)}`);
    case 'string':
      return jsonString(v.v as string, escapeHTML);
    case 'slice':
      if (v.v === null) return 'null';
      if (t.elem!.kind === 'uint' && t.elem!.bits === 8) return `"${Buffer.from((v.v as Value[]).map((x) => x.v as number)).toString('base64')}"`;
      return `[${(v.v as Value[]).map((x) => marshal(x, escapeHTML)).join(',')}]`;
    case 'array':
      return `[${(v.v as Value[]).map((x) => marshal(x, escapeHTML)).join(',')}]`;
    case 'map': {
      if (v.v === null) return 'null';
      const keyKind = t.key!.kind;
      if (!['string', 'int', 'uint'].includes(keyKind)) throw new CallError(`json: unsupported type: ${typeString(t)}`);
      // Keys are compared as their JSON text (encoding/json sorts the resolved key strings).
      const items = [...(v.v as GoMap).entries.values()].map(({ key, value }) => [String(key.v), value] as const);
      items.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      return `{${items.map(([k, x]) => `${jsonString(k, escapeHTML)}:${marshal(x, escapeHTML)}`).join(',')}}`;
    }
    case 'ptr':
    case 'iface':
      return v.v === null ? 'null' : marshal(v.v as Value, escapeHTML);
    case 'struct':
      return `{${structMembers(v, escapeHTML).join(',')}}`;
    default:
      throw new CallError(`json: unsupported type: ${typeString(t)}`);
  }
}

function structMembers(v: Value, escapeHTML: boolean): string[] {
  const out: string[] = [];
  const obj = v.v as Record<string, Value>;
  for (const f of v.t.fields ?? []) {
    const fv = obj[f.name]!;
    if (f.unexported || f.json === '-') continue;
    if (f.embedded && !f.json) {
      // Embedded structs' fields are inlined (a nil embedded pointer contributes none).
      const inner = fv.t.kind === 'ptr' ? (fv.v as Value | null) : fv;
      if (inner && inner.t.kind === 'struct') out.push(...structMembers(inner, escapeHTML));
      continue;
    }
    if (f.omitempty && isEmpty(fv)) continue;
    out.push(`${jsonString(f.json ?? f.name, escapeHTML)}:${marshal(fv, escapeHTML)}`);
  }
  return out;
}
