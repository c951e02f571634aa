/**
 * Ink measures every text node's width on every frame (render-node-to-output → widest-line →
 * string-width), and string-width walks the text grapheme by grapheme with Unicode regexes:
 * ~1.5 ms of each 1 Hz tick with 50 rows at 120×40. Ink exports nothing to hook it, so a module
 * resolve hook hands Ink and the packages it draws with (widest-line, wrap-ansi, cli-truncate, slice-ansi) a
 * string-width that remembers recent answers and measures the lines the dashboard draws in one
 * loop (fast-width). The cache keeps two generations, so a steady screen's strings stay while
 * old ones age out.
 * The real string-width is loaded on its first use, not with Ink: its module makes an
 * Intl.Segmenter and Unicode-set regexes (~30 ms of the first frame here), which a screen of
 * ASCII, box drawing and sparklines never needs.
 * Must be installed before Ink is loaded; without `module.registerHooks` (Node < 22.15) Ink
 * simply keeps its own.
 */
import * as nodeModule from 'node:module';
import { fileURLToPath } from 'node:url';
import { fastWidth } from './fast-width.js';

/**
 * How the generated module finds fastWidth: it is a data: URL and cannot import berth's files by
 * path (inside the bundle they do not exist as files).
 */
const FAST_WIDTH_KEY = 'berth.fastWidth';

type Resolve = (
  specifier: string,
  context: { parentURL?: string },
  next: (s: string, c: { parentURL?: string }) => { url: string },
) => { url: string; shortCircuit?: boolean };
type RegisterHooks = (hooks: { resolve: Resolve }) => unknown;

const GENERATION = 4096;
let installed = false;

/** The packages whose `import stringWidth from 'string-width'` gets the cached, lazy one. */
const CALLERS = /\/node_modules\/(ink|widest-line|wrap-ansi|cli-truncate|slice-ansi)\//;

/**
 * The cached module. It loads the real string-width by require (an ES module without top-level
 * await: Node ≥ 22.12 requires it synchronously) when a string needs it: options asked for on
 * anything but printable ASCII, or a character fast-width does not know.
 */
function cachedSource(realUrl: string): string {
  return `import { createRequire } from 'node:module';
let real;
const width = (text, options) => (real ??= createRequire(${JSON.stringify(realUrl)})(${JSON.stringify(fileURLToPath(realUrl))}).default)(text, options);
let current = new Map();
let previous = new Map();
const fastWidth = globalThis[Symbol.for(${JSON.stringify(FAST_WIDTH_KEY)})] ?? (() => -1);
export default function cachedStringWidth(text, options) {
  if (typeof text !== 'string') return width(text, options);
  // string-width's own fast path: printable ASCII is as wide as it is long, whatever the options
  if (options !== undefined) return /^[\\x20-\\x7e]*$/.test(text) ? text.length : width(text, options);
  let w = current.get(text);
  if (w !== undefined) return w;
  w = previous.get(text);
  if (w === undefined) w = fastWidth(text);
  if (w < 0) w = width(text);
  if (current.size >= ${GENERATION}) { previous = current; current = new Map(); }
  current.set(text, w);
  return w;
}
`;
}

export function cacheInkStringWidth(): boolean {
  if (installed) return true;
  const register = (nodeModule as unknown as { registerHooks?: RegisterHooks }).registerHooks;
  if (typeof register !== 'function') return false;
  (globalThis as Record<symbol, unknown>)[Symbol.for(FAST_WIDTH_KEY)] = fastWidth;
  const urls = new Map<string, string>();
  register({
    resolve(specifier, context, next) {
      const parent = context.parentURL ?? '';
      if (specifier !== 'string-width' || !CALLERS.test(parent)) return next(specifier, context);
      const real = next(specifier, context).url;
      let url = urls.get(real);
      if (!url) {
        url = `data:text/javascript,${encodeURIComponent(cachedSource(real))}`;
        urls.set(real, url);
      }
      return { url, shortCircuit: true };
    },
  });
  installed = true;
  return true;
}
