/** Ink's line-update.js with its Intl.Segmenter made on first use (src/ui/ink-lazy-segmenter.ts). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { lazySegmenterSource } from '../../src/ui/ink-lazy-segmenter.js';

const lineUpdateUrl = new URL('./line-update.js', import.meta.resolve('ink')).href;

test("the pinned Ink's line-update.js has the known shape, and other shapes are left as they are", () => {
  const source = readFileSync(fileURLToPath(lineUpdateUrl), 'utf8');
  const lazy = lazySegmenterSource(source);
  assert.ok(lazy, 'the Ink this project pins is patched');
  assert.doesNotMatch(lazy, /^const segmenter = new Intl\.Segmenter/m);
  // a use other than .segment( (or a second statement) keeps the file as Ink wrote it
  assert.equal(lazySegmenterSource(`${source}\nexport const s = segmenter;`), undefined);
  assert.equal(lazySegmenterSource(source.replace("{ granularity: 'grapheme' }", "{ granularity: 'word' }")), undefined);
});

test('with the hooks, loading Ink makes no Segmenter; a wide line diffed by lineUpdate still makes one and is right', () => {
  const patch = new URL('../../src/ui/ink-lazy-segmenter.js', import.meta.url).href;
  // as the dashboard runs it: string-width (which line-update imports) is lazy too
  const widths = new URL('../../src/ui/ink-width-cache.js', import.meta.url).href;
  const child = `
    const made = [];
    const Real = Intl.Segmenter;
    Intl.Segmenter = class extends Real { constructor(...a) { super(...a); made.push(a); } };
    const { lazyInkSegmenter } = await import(${JSON.stringify(patch)});
    lazyInkSegmenter();
    (await import(${JSON.stringify(widths)})).cacheInkStringWidth();
    const lineUpdate = (await import(${JSON.stringify(lineUpdateUrl)})).default;
    const before = made.length;
    const ascii = lineUpdate('abc def', 'abc xyz', 80);
    const wide = lineUpdate('日本語 abc', '日本語 xyz', 80);
    console.log(JSON.stringify({ before, grapheme: made.filter((a) => a[1]?.granularity === 'grapheme').length, ascii, wide }));`;
  const out = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', child], { encoding: 'utf8' })) as Record<string, unknown>;
  assert.equal(out['before'], 0);
  assert.equal(out['grapheme'], 1, "line-update's own, made for the wide line");
  // the same bytes Ink's own module writes
  const plain = `
    const lineUpdate = (await import(${JSON.stringify(lineUpdateUrl)})).default;
    console.log(JSON.stringify({ ascii: lineUpdate('abc def', 'abc xyz', 80), wide: lineUpdate('日本語 abc', '日本語 xyz', 80) }));`;
  const ink = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', plain], { encoding: 'utf8' })) as Record<string, unknown>;
  assert.deepEqual({ ascii: out['ascii'], wide: out['wide'] }, ink);
});
