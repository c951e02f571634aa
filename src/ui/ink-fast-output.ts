/**
 * Replaces Ink's Output#get (the frame as text) with fast-rows where it can vouch for a row, and
 * Ink's own code for the rest: Ink then sees only the writes that touch those rows, so a frame
 * with one odd line (a dialog border, a wide character) costs that line, not the whole screen.
 *
 * Fails closed, since it leans on Ink internals no API promises:
 * - installed only if Ink's Output draws a probe frame exactly as fast-rows does;
 * - a frame with an operation it does not know (a type other than write/clip/unclip, or fields
 *   of other types) is Ink's own, whole;
 * - an error of its own hands that frame to Ink and puts Ink's Output#get back for good.
 */
import { fastRows, type Operation, type TextInfo } from './fast-rows.js';
import { generational } from './generational.js';
import { scanLine } from './sgr-scan.js';

interface OutputLike {
  operations: unknown;
  width: unknown;
  height: unknown;
}
type Get = (this: OutputLike) => { output: string; height: number };
type OutputProto = { get?: Get; __berthFastRows?: boolean };
type OutputClass = { prototype: object } & (new (o: { width: number; height: number }) => object);

/** How frames were built (the tests, and anyone wondering whether the patch is paying off). */
export const fastRowStats = { fast: 0, unknown: 0, errors: 0 };

/** Texts on screen repeat from frame to frame; ~2 screens' worth of writes are remembered. */
const info = generational<TextInfo | undefined>(1024, (text) => {
  const s = scanLine(text, false);
  return s ? { width: s.width, clean: s.endStyle === '', blankEnd: s.plainBlankEnd } : undefined;
});

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Whether every operation is one this module knows, in the shape it knows. */
export function knownOperations(ops: unknown): ops is Operation[] {
  if (!Array.isArray(ops)) return false;
  for (const op of ops as { type?: unknown; [k: string]: unknown }[]) {
    if (typeof op !== 'object' || op === null) return false;
    if (op.type === 'write') {
      if (!isNum(op.x) || !isNum(op.y) || typeof op.text !== 'string' || !Array.isArray(op.transformers)) return false;
      if (!(op.transformers as unknown[]).every((f) => typeof f === 'function')) return false;
    } else if (op.type === 'clip') {
      const c = op.clip as Record<string, unknown> | null;
      if (typeof c !== 'object' || c === null || !['x1', 'x2', 'y1', 'y2'].every((k) => c[k] === undefined || isNum(c[k]))) return false;
    } else if (op.type !== 'unclip') return false;
  }
  return true;
}

function touches(op: Operation, rows: ReadonlySet<number>): boolean {
  if (op.type !== 'write') return true; // clips keep their nesting
  const n = op.text.split('\n').length;
  for (let y = op.y; y < op.y + n; y++) if (rows.has(y)) return true;
  return false;
}

/** The frame: fast rows, and Ink's own rendering of the rows they cannot vouch for. */
function frame(self: OutputLike & { operations: Operation[]; width: number; height: number }, original: Get): { output: string; height: number } {
  const ops = self.operations;
  const rows = fastRows(ops, self.width, self.height, info);
  const slow = new Set<number>();
  rows.forEach((r, y) => r === undefined && slow.add(y));
  if (slow.size) {
    self.operations = ops.filter((op) => touches(op, slow));
    let lines: string[];
    try {
      lines = original.call(self).output.split('\n');
    } finally {
      self.operations = ops;
    }
    for (const y of slow) rows[y] = lines[y] ?? '';
  }
  return { output: rows.join('\n'), height: self.height };
}

/** A frame with every kind of write fast-rows takes: probes that Ink still draws them alike. */
function probeAgrees(Output: OutputClass, original: Get): boolean {
  try {
    const o = new Output({ width: 12, height: 3 }) as OutputLike & { write?: unknown; clip?: unknown; unclip?: unknown };
    if (typeof o.write !== 'function' || typeof o.clip !== 'function' || typeof o.unclip !== 'function') return false;
    const out = o as unknown as {
      write(x: number, y: number, t: string, opts: { transformers: ((s: string, i: number) => string)[] }): void;
      clip(c: object): void;
      unclip(): void;
    };
    out.write(0, 0, 'ab \u001B[32mcd\u001B[39m', { transformers: [] });
    out.write(7, 0, 'x', { transformers: [(s) => s.toUpperCase()] });
    out.clip({ x1: 0, x2: 12, y1: 1, y2: 3 });
    out.write(1, 1, '▁▂\n\u001B[7mz\u001B[27m  ', { transformers: [] });
    out.unclip();
    if (!knownOperations(o.operations) || !isNum(o.width) || !isNum(o.height)) return false;
    const ink = original.call(o);
    return (
      typeof ink?.output === 'string' && ink.output === frame(o as OutputLike & { operations: Operation[]; width: number; height: number }, original).output
    );
  } catch {
    return false;
  }
}

export function installFastRows(Output: OutputClass): boolean {
  const proto = Output.prototype as OutputProto;
  if (Object.hasOwn(proto, '__berthFastRows')) return true; // own: a subclass is patched apart
  const original = proto.get;
  if (typeof original !== 'function' || !probeAgrees(Output, original)) return false;
  proto.get = function get(this: OutputLike) {
    if (!knownOperations(this.operations) || !isNum(this.width) || !isNum(this.height)) {
      fastRowStats.unknown++;
      return original.call(this);
    }
    try {
      const f = frame(this as OutputLike & { operations: Operation[]; width: number; height: number }, original);
      fastRowStats.fast++;
      return f;
    } catch {
      // A bug of ours (or an Ink that draws these operations differently): Ink from now on.
      // (__berthFastRows stays set: this Output is not patched again.)
      fastRowStats.errors++;
      proto.get = original;
      return original.call(this);
    }
  };
  proto.__berthFastRows = true;
  return true;
}
