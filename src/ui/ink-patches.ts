/**
 * Every patch of Ink the dashboard makes, installed from here, once per process, before Ink
 * loads (the first three are module hooks and must see Ink's imports):
 *
 * - widths: Ink's string-width remembers recent answers across frames (ink-width-cache; the
 *   one width cache);
 * - imports: Ink's es-toolkit import links one module instead of ~415 (ink-lean-imports);
 * - segmenter: line-update's Intl.Segmenter is made on its first use (ink-lazy-segmenter);
 * - rows: the frame is built from fast rows where they can vouch for a row (ink-fast-output);
 * - lines: a steady frame writes only its changed cells (ink-line-writer).
 *
 * Also the dashboard's V8 settings, due before Ink loads too (v8-flags.ts).
 *
 * Together ≈3× less CPU per frame, but they lean on Ink internals no API promises. So they
 * fail closed: on another Ink version than the one they are tested against (TESTED_INK, which
 * package.json pins exactly) none is installed; each is feature-detected and self-checked; and
 * each hands a frame it does not recognise to Ink's own code.
 */
import { readFileSync } from 'node:fs';
import { cacheInkStringWidth } from './ink-width-cache.js';
import { leanInkImports } from './ink-lean-imports.js';
import { lazyInkSegmenter } from './ink-lazy-segmenter.js';
import { installFastRows } from './ink-fast-output.js';
import { installLineWriter } from './ink-line-writer.js';
import { applyDashboardV8Flags } from './v8-flags.js';

/** The Ink the patches are tested against (test/ui/ink-patches.test.ts checks package.json pins it). */
export const TESTED_INK = '8.0.0';

export interface InkPatches {
  /** The Ink found, and why nothing was patched when nothing was. */
  ink?: string;
  skipped?: string;
  widths: boolean;
  imports: boolean;
  segmenter: boolean;
  rows: boolean;
  lines: boolean;
}

const NONE = { widths: false, imports: false, segmenter: false, rows: false, lines: false };

let installed: Promise<InkPatches> | undefined;

async function load<T>(entry: string, file: string): Promise<T | undefined> {
  try {
    return ((await import(new URL(file, entry).href)) as { default?: T }).default;
  } catch {
    return undefined;
  }
}

/** Ink's version, read from its package.json next to the entry point (without loading Ink). */
export function inkVersion(entry: string): string | undefined {
  try {
    const v = (JSON.parse(readFileSync(new URL('../package.json', entry), 'utf8')) as { version?: unknown }).version;
    return typeof v === 'string' ? v : undefined;
  } catch {
    return undefined;
  }
}

/** Why an Ink of this version is left alone (undefined: it is the tested one). */
export function untested(ink: string | undefined, tested = TESTED_INK): string | undefined {
  return ink === tested ? undefined : `Ink ${ink ?? '(unknown version)'} is not the tested ${tested}`;
}

/**
 * Installs what this Ink allows. The resolve hooks are registered before this returns (call it
 * before importing Ink); the promise settles once Output and log-update are patched.
 */
export function installInkPatches(): Promise<InkPatches> {
  if (installed) return installed;
  // Not an Ink patch, but due at the same moment (before Ink loads) in the same two callers.
  applyDashboardV8Flags();
  let entry: string;
  try {
    entry = import.meta.resolve('ink');
  } catch {
    return (installed = Promise.resolve({ ...NONE, skipped: 'Ink not found' }));
  }
  const ink = inkVersion(entry);
  const skipped = untested(ink);
  if (skipped) return (installed = Promise.resolve({ ...NONE, ...(ink ? { ink } : {}), skipped }));
  const widths = cacheInkStringWidth();
  const imports = leanInkImports();
  const segmenter = lazyInkSegmenter();
  installed = (async () => {
    const [Output, logUpdate, lineUpdate] = await Promise.all([
      load<Parameters<typeof installFastRows>[0]>(entry, './output.js'),
      load<Parameters<typeof installLineWriter>[0]>(entry, './log-update.js'),
      load<Parameters<typeof installLineWriter>[1]>(entry, './line-update.js'),
    ]);
    return {
      ink,
      widths,
      imports,
      segmenter,
      rows: typeof Output === 'function' && installFastRows(Output),
      lines: !!logUpdate && !!lineUpdate && installLineWriter(logUpdate, lineUpdate),
    };
  })();
  return installed;
}
