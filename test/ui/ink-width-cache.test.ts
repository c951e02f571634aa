/** Ink's string-width replaced by a caching one through a resolve hook (src/ui/ink-width-cache.ts). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nodeModule from 'node:module';
import { execFileSync } from 'node:child_process';
import { cacheInkStringWidth } from '../../src/ui/ink-width-cache.js';

test('Ink and widest-line get the caching string-width; widths are the real ones', async () => {
  assert.equal(cacheInkStringWidth(), true);
  assert.equal(cacheInkStringWidth(), true, 'a second install is a no-op');
  // A hook registered later runs first: it sees what the width cache's hook resolved to.
  const seen: { parent: string; url: string }[] = [];
  (nodeModule as unknown as { registerHooks(h: object): unknown }).registerHooks({
    resolve(s: string, c: { parentURL?: string }, next: (s: string, c: object) => { url: string }) {
      const r = next(s, c);
      if (s === 'string-width') seen.push({ parent: c.parentURL ?? '', url: r.url });
      return r;
    },
  });
  const widestLine = (await import('widest-line')).default as (s: string) => number;
  const stringWidth = (await import('string-width')).default as (s: string) => number;
  const fromWidest = seen.find((x) => x.parent.includes('/node_modules/widest-line/'));
  assert.ok(fromWidest?.url.startsWith('data:text/javascript,'), `widest-line got ${fromWidest?.url}`);
  // our own import is not redirected
  assert.ok(seen.some((x) => !x.parent.includes('/node_modules/') && x.url.startsWith('file:')));
  const samples = ['plain', '日本語', '\u001b[31mred\u001b[39m', 'e\u0301', '👍🏽 ok', 'tab\there', '', 'a\nlonger line'];
  for (let round = 0; round < 2; round++) {
    for (const s of samples) {
      const expected = Math.max(...s.split('\n').map((l) => stringWidth(l)));
      assert.equal(widestLine(s), expected, JSON.stringify(s));
    }
  }
  // many distinct strings age out without changing answers
  for (let i = 0; i < 10_000; i++) assert.equal(widestLine(`row ${i} 日`), stringWidth(`row ${i} 日`));
});

test('the real string-width loads on the first string that needs it, not with Ink (wrap-ansi, cli-truncate and slice-ansi included)', () => {
  const patch = new URL('../../src/ui/ink-width-cache.js', import.meta.url).href;
  const child = `
    import { registerHooks } from 'node:module';
    const { cacheInkStringWidth } = await import(${JSON.stringify(patch)});
    cacheInkStringWidth();
    const loads = [];
    registerHooks({ load(url, c, next) { if (/\\/string-width\\/index\\.js$/.test(url)) loads.push(url); return next(url, c); } });
    const widest = (await import(${JSON.stringify(import.meta.resolve('widest-line'))})).default;
    const wrap = (await import(${JSON.stringify(import.meta.resolve('wrap-ansi'))})).default;
    const truncate = (await import(${JSON.stringify(import.meta.resolve('cli-truncate'))})).default;
    const out = [widest('plain\\n│ box ─ ▁▂▃'), wrap('hello world', 5, { hard: true }), truncate('a long line', 6), loads.length];
    out.push(widest('日本'), wrap('日本語 text', 4, { hard: true }), truncate('日本語です', 5), loads.length);
    console.log(JSON.stringify(out));`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', child], { encoding: 'utf8' });
  assert.deepEqual(JSON.parse(out), [11, 'hello\nworld', 'a lon…', 0, 4, '日本\n語\ntext', '日本…', 1]);
});
