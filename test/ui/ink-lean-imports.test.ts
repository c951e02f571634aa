import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nodeModule from 'node:module';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';
import { importedNames, leanInkImports, leanSource, reconcilerBuild, requiredDefault } from '../../src/ui/ink-lean-imports.js';

const compatIndex = pathToFileURL(createRequire(import.meta.url).resolve('es-toolkit/compat')).href.replace(/index\.js$/, 'index.mjs');

test('importedNames reads the one simple named import, and nothing else', () => {
  assert.deepEqual(importedNames("import x from 'y';\nimport { throttle } from 'es-toolkit/compat';"), ['throttle']);
  assert.deepEqual(importedNames('import {debounce, throttle as t} from "es-toolkit/compat"'), ['debounce', 'throttle']);
  assert.equal(importedNames("import * as tk from 'es-toolkit/compat'"), undefined);
  assert.equal(importedNames("import { a } from 'es-toolkit/compat'; export { b } from 'es-toolkit/compat'"), undefined);
  assert.equal(importedNames("import { a } from 'elsewhere'"), undefined);
});

test('leanSource points each name at its own file, or gives up', () => {
  const src = leanSource(compatIndex, ['throttle', 'debounce']);
  assert.match(src ?? '', /export \{ throttle \} from "file:.*\/compat\/function\/throttle\.mjs"/);
  assert.match(src ?? '', /debounce\.mjs/);
  assert.equal(leanSource(compatIndex, ['throttle', 'noSuchFunction']), undefined);
});

test("Ink's es-toolkit import resolves to the lean module, and Ink loads and renders with it", async () => {
  assert.equal(leanInkImports(), true);
  const seen: string[] = [];
  (nodeModule as unknown as { registerHooks(h: object): unknown }).registerHooks({
    resolve(s: string, c: { parentURL?: string }, next: (s: string, c: object) => { url: string }) {
      const r = next(s, c);
      if (s === 'es-toolkit/compat' && (c.parentURL ?? '').includes('/node_modules/ink/')) seen.push(r.url);
      return r;
    },
  });
  const ink = await import('ink');
  const { render } = await import('ink-testing-library');
  const React = await import('react');
  assert.ok(seen.length > 0, 'Ink resolved es-toolkit/compat through the hook (each test file runs in its own process)');
  assert.ok(
    seen.every((u) => u.startsWith('data:text/javascript,')),
    seen.join(' '),
  );
  assert.match(decodeURIComponent(seen[0]!), /throttle\.mjs/);
  const r = render(React.createElement(ink.Text, null, 'lean'));
  assert.match(r.lastFrame() ?? '', /lean/);
  r.unmount();
});

test("under NODE_ENV=production, Ink's react-reconciler resolves to the production build only", () => {
  const index = pathToFileURL(createRequire(import.meta.url).resolve('react-reconciler')).href;
  const saved = process.env['NODE_ENV'];
  try {
    process.env['NODE_ENV'] = 'production';
    assert.match(reconcilerBuild(index) ?? '', /\/react-reconciler\/cjs\/react-reconciler\.production\.js$/);
    assert.equal(reconcilerBuild(index.replace('react-reconciler/index.js', 'other/index.js')), undefined);
    process.env['NODE_ENV'] = 'development';
    assert.equal(reconcilerBuild(index), undefined, 'the development build is what the index picks then');
  } finally {
    if (saved === undefined) delete process.env['NODE_ENV'];
    else process.env['NODE_ENV'] = saved;
  }
});

test('the reconciler build is loaded by require: the module Ink imports has its module.exports as default', async () => {
  const req = createRequire(import.meta.url);
  const file = join(dirname(req.resolve('react-reconciler')), 'cjs', 'react-reconciler.production.js');
  const url = requiredDefault(pathToFileURL(file).href);
  assert.match(url, /^data:text\/javascript,/);
  const m = (await import(url)) as { default: unknown };
  assert.equal(typeof m.default, 'function');
  assert.equal(m.default, req(file), 'the same module.exports object require gives');
});
