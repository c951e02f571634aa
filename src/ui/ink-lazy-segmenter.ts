/**
 * Ink's line-update.js makes an Intl.Segmenter when it loads, and a process's first Segmenter
 * loads ICU's break rules: ~20 ms of the dashboard's first frame here, for an object that is
 * used only when a changed line holds a non-ASCII character. A module load hook hands Node that
 * file with the Segmenter made on first use. Nothing is guessed: the statement is replaced only
 * where it is exactly the one this Ink has and the file uses the Segmenter by `.segment(` alone;
 * any other source is loaded as it is. Must be installed before Ink loads; without
 * `module.registerHooks` (Node < 22.15) Ink keeps its own.
 */
import * as nodeModule from 'node:module';

type Load = (
  url: string,
  context: object,
  next: (u: string, c: object) => { source?: string | ArrayBuffer | Uint8Array; format?: string },
) => { source?: string | ArrayBuffer | Uint8Array; format?: string; shortCircuit?: boolean };
type RegisterHooks = (hooks: { load: Load }) => unknown;

const FILE = /\/node_modules\/ink\/build\/line-update\.js$/;
const EAGER = "const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });";
const LAZY =
  "let eagerSegmenter; const segmenter = { segment: (text) => (eagerSegmenter ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' })).segment(text) };";

let installed = false;

/** The source with the Segmenter made on first use, or undefined when it is not the known shape. */
export function lazySegmenterSource(source: string): string | undefined {
  if (source.split(EAGER).length !== 2) return undefined;
  const rest = source.replace(EAGER, '');
  const uses = rest.match(/\bsegmenter\b/g)?.length ?? 0;
  const segmentCalls = rest.match(/\bsegmenter\.segment\(/g)?.length ?? 0;
  return uses > 0 && uses === segmentCalls ? source.replace(EAGER, LAZY) : undefined;
}

export function lazyInkSegmenter(): boolean {
  if (installed) return true;
  const register = (nodeModule as unknown as { registerHooks?: RegisterHooks }).registerHooks;
  if (typeof register !== 'function') return false;
  register({
    load(url, context, next) {
      const loaded = next(url, context);
      if (!FILE.test(url) || loaded.source === undefined) return loaded;
      const text = typeof loaded.source === 'string' ? loaded.source : Buffer.from(loaded.source as Uint8Array).toString('utf8');
      const lazy = lazySegmenterSource(text);
      return lazy === undefined ? loaded : { ...loaded, source: lazy, shortCircuit: true };
    },
  });
  installed = true;
  return true;
}
