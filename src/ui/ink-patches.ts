/**
 * Ink's internals the dashboard speeds up (see each module): the width cache, the frame builder
 * (fast rows) and the incremental line writer (line diff). Ink exports none of these classes, so
 * they are reached by file next to Ink's entry point; each patch is feature-detected and a no-op
 * when Ink's shape differs. Installed once per process, before the first frame.
 */
import { shareWidthCache } from './ink-output-cache.js';
import { installFastRows } from './ink-fast-output.js';
import { installLineWriter } from './ink-line-writer.js';

export interface InkPatches {
  widths: boolean;
  rows: boolean;
  lines: boolean;
}

let installed: Promise<InkPatches> | undefined;

async function load<T>(entry: string, file: string): Promise<T | undefined> {
  try {
    return ((await import(new URL(file, entry).href)) as { default?: T }).default;
  } catch {
    return undefined;
  }
}

export function patchInk(): Promise<InkPatches> {
  installed ??= (async () => {
    const none: InkPatches = { widths: false, rows: false, lines: false };
    let entry: string;
    try {
      entry = import.meta.resolve('ink');
    } catch {
      return none;
    }
    const [Output, logUpdate, lineUpdate] = await Promise.all([
      load<new (o: { width: number; height: number }) => { caches?: object }>(entry, './output.js'),
      load<Parameters<typeof installLineWriter>[0]>(entry, './log-update.js'),
      load<Parameters<typeof installLineWriter>[1]>(entry, './line-update.js'),
    ]);
    const hasOutput = typeof Output === 'function';
    return {
      widths: hasOutput && shareWidthCache(Output),
      rows: hasOutput && installFastRows(Output),
      lines: !!logUpdate && !!lineUpdate && installLineWriter(logUpdate, lineUpdate),
    };
  })();
  return installed;
}
