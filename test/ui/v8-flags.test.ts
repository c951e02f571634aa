/**
 * The dashboard's V8 settings take effect at run time, each checked in a child node process (its
 * own heap and compiler) against one without them, which shows the check tells the two apart:
 * the young generation stays at its initial size under allocation, and TurboFan does not inline
 * a hot function's callee.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

const module = new URL('../../src/ui/v8-flags.js', import.meta.url).href;
const child = (apply: boolean, body: string, nodeArgs: string[] = []): string => {
  const script = `
    if (${apply}) (await import(${JSON.stringify(module)})).applyDashboardV8Flags();
    ${body}`;
  const r = spawnSync(process.execPath, [...nodeArgs, '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
};

const allocate = `
  const { getHeapSpaceStatistics } = await import('node:v8');
  const keep = [];
  for (let i = 0; i < 400000; i++) { const o = { i, s: 'x' + i, a: [i, i] }; if (i % 8 === 0) keep.push(o); }
  process.stdout.write(String(getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size / 1048576));`;

test('the young generation stays at its initial size; without the settings V8 grows it', () => {
  const small = Number(child(true, allocate));
  const grown = Number(child(false, allocate));
  assert.ok(small <= 2, `young generation ${small} MB with the settings`);
  assert.ok(grown > small * 2, `young generation ${grown} MB without them vs ${small} MB with them`);
});

const hot = `
  function g(x) { return x * 2 + 1; }
  function f(a) { let s = 0; for (let i = 0; i < a.length; i++) s += g(a[i]); return s; }
  const a = Array.from({ length: 1000 }, (_, i) => i);
  let t = 0;
  for (let i = 0; i < 20000; i++) t += f(a);
  process.stdout.write('sum ' + t + '\\n');`;

test('TurboFan does not inline a hot callee; without the settings it does', () => {
  const capped = child(true, hot, ['--trace-turbo-inlining']);
  const free = child(false, hot, ['--trace-turbo-inlining']);
  assert.match(capped, /sum 20000000000/);
  assert.doesNotMatch(capped, /Inlining/);
  assert.match(free, /Inlining .*SharedFunctionInfo g/, 'the check cannot see inlining at all');
});
