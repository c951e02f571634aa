/**
 * Wraps Ink's incremental log-update so that a frame which only changes some lines writes only
 * the changed cells (line-diff), and reaches each changed line with one relative cursor move
 * instead of stepping over every unchanged line (3 bytes each, every frame).
 *
 * Only the steady-state case is taken over: same number of lines, same terminal width, no
 * cursor shown (the dashboard never shows one), a frame already on screen. Everything else —
 * the first frame, resizes, a frame growing or shrinking, clear/done/sync — is Ink's own code,
 * which is told of every frame written here (`sync`) so its idea of the screen stays true.
 * Fails closed: if log-update changes shape this installs nothing, and an error of its own
 * while making a frame's bytes hands that frame, and every later one, to Ink.
 */
import { diffLine } from './line-diff.js';

type LineUpdate = (previous: string, next: string, columns: number) => string;

interface LogRender {
  (text: string): boolean;
  clear(): void;
  done(): void;
  reset(): void;
  sync(text: string): void;
  setCursorPosition(p: unknown): void;
  isCursorDirty(): boolean;
  willRender(text: string): boolean;
  getCursorPosition(): unknown;
}

type Create = (stream: NodeJS.WriteStream, opts?: { showCursor?: boolean; incremental?: boolean }) => LogRender;

const ESC = '\u001B[';
const METHODS = ['clear', 'done', 'reset', 'sync', 'setCursorPosition', 'isCursorDirty', 'willRender', 'getCursorPosition'] as const;

/** Frames this writer wrote, and the times it gave up (an error of its own: Ink's update from then on). */
export const lineWriterStats = { frames: 0, errors: 0 };

/** The bytes for a frame of the same height as the last; the cursor is on the last line before and after. */
export function frameUpdate(prev: readonly string[], next: readonly string[], columns: number, fallback: LineUpdate): string {
  let out = '';
  let row = prev.length - 1;
  for (let i = 0; i < next.length; i++) {
    if (next[i] === prev[i]) continue;
    const line = diffLine(prev[i]!, next[i]!, columns) ?? fallback(prev[i]!, next[i]!, columns);
    if (!line) continue;
    if (i < row) out += `${ESC}${row - i}A`;
    else if (i > row) out += `${ESC}${i - row}B`;
    row = i;
    out += line;
  }
  if (row < next.length - 1) out += `${ESC}${next.length - 1 - row}B`;
  return out;
}

export function installLineWriter(logUpdate: { create?: Create; __berthLines?: boolean }, lineUpdate: LineUpdate): boolean {
  const original = logUpdate.create;
  if (typeof original !== 'function' || typeof lineUpdate !== 'function') return false;
  if (logUpdate.__berthLines) return true;
  logUpdate.create = (stream, opts) => {
    const inner = original(stream, opts);
    if (!opts?.incremental || METHODS.some((m) => typeof inner[m] !== 'function')) return inner;
    let lines: string[] = [];
    let text = '';
    let broken = false;
    let columns = stream.columns;
    // Ink sets the cursor position (usually to none) before every frame; only a real one matters.
    let cursor: unknown;
    const remember = (t: string) => {
      text = t;
      lines = t === '' ? [] : t.split('\n');
      columns = stream.columns;
    };
    const render = ((next: string) => {
      const nextLines = next.split('\n');
      const steady =
        text !== '' &&
        next !== text &&
        !next.endsWith('\n') &&
        !text.endsWith('\n') &&
        nextLines.length === lines.length &&
        stream.columns === columns &&
        typeof columns === 'number' &&
        columns > 0 &&
        (cursor === undefined || !inner.isCursorDirty()) &&
        inner.getCursorPosition() === undefined;
      if (!steady || broken) {
        const wrote = inner(next);
        remember(next);
        return wrote;
      }
      let out: string;
      try {
        out = frameUpdate(lines, nextLines, columns, lineUpdate);
      } catch {
        // Nothing written yet, and Ink knows the last frame (sync): its own update from here on.
        broken = true;
        lineWriterStats.errors++;
        const wrote = inner(next);
        remember(next);
        return wrote;
      }
      lineWriterStats.frames++;
      if (out) stream.write(out);
      inner.sync(next);
      remember(next);
      return true;
    }) as LogRender;
    render.clear = () => {
      inner.clear();
      remember('');
    };
    render.done = () => {
      inner.done();
      remember('');
    };
    render.reset = () => {
      inner.reset();
      remember('');
    };
    render.sync = (t: string) => {
      inner.sync(t);
      remember(t);
    };
    render.setCursorPosition = (p: unknown) => {
      cursor = p;
      inner.setCursorPosition(p);
    };
    render.isCursorDirty = () => inner.isCursorDirty();
    render.willRender = (t: string) => inner.willRender(t);
    render.getCursorPosition = () => inner.getCursorPosition();
    return render;
  };
  logUpdate.__berthLines = true;
  return true;
}
