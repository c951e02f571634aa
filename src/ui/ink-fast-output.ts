/**
 * Replaces Ink's Output#get (the frame as text) with fast-rows where it can vouch for a row, and
 * Ink's own code for the rest: Ink then sees only the writes that touch those rows, so a frame
 * with one odd line (a dialog border, a wide character) costs that line, not the whole screen.
 * Feature-detected: if Ink's Output changes shape this installs nothing.
 */
import { fastRows, type Operation, type TextInfo } from './fast-rows.js';
import { generational } from './generational.js';
import { scanLine } from './sgr-scan.js';

interface OutputLike {
  operations: Operation[];
  width: number;
  height: number;
}
type Get = (this: OutputLike) => { output: string; height: number };
type OutputProto = { get?: Get; __berthFastRows?: boolean };

/** Texts on screen repeat from frame to frame; ~2 screens' worth of writes are remembered. */
const info = generational<TextInfo | undefined>(1024, (text) => {
  const s = scanLine(text, false);
  return s ? { width: s.width, clean: s.endStyle === '', blankEnd: s.plainBlankEnd } : undefined;
});

function touches(op: Operation, rows: ReadonlySet<number>): boolean {
  if (op.type !== 'write') return true; // clips keep their nesting
  const n = op.text.split('\n').length;
  for (let y = op.y; y < op.y + n; y++) if (rows.has(y)) return true;
  return false;
}

export function installFastRows(Output: { prototype: object }): boolean {
  const proto = Output.prototype as OutputProto;
  const original = proto.get;
  if (typeof original !== 'function') return false;
  if (proto.__berthFastRows) return true;
  proto.get = function get(this: OutputLike) {
    const ops = this.operations;
    if (!Array.isArray(ops) || typeof this.width !== 'number' || typeof this.height !== 'number') return original.call(this);
    const rows = fastRows(ops, this.width, this.height, info);
    const slow = new Set<number>();
    rows.forEach((r, y) => r === undefined && slow.add(y));
    if (slow.size) {
      const all = this.operations;
      this.operations = all.filter((op) => touches(op, slow));
      let lines: string[];
      try {
        lines = original.call(this).output.split('\n');
      } finally {
        this.operations = all;
      }
      for (const y of slow) rows[y] = lines[y] ?? '';
    }
    return { output: rows.join('\n'), height: this.height };
  };
  proto.__berthFastRows = true;
  return true;
}
