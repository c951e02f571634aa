/**
 * The dashboard's V8 settings take effect at run time, each checked in a child node process (its
 * own heap and compiler) against one without them, which shows the check tells the two apart:
 * the young generation stays at its initial size under allocation, and a hot function is not
 * handed to TurboFan.
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
  function f(a) { let s = 0; for (let i = 0; i < a.length; i++) s += a[i] * 2; return s; }
  const a = Array.from({ length: 1000 }, (_, i) => i);
  let t = 0;
  for (let i = 0; i < 20000; i++) t += f(a);
  process.stdout.write('sum ' + t + '\\n');`;

test('a hot function is not optimised by TurboFan; without the settings it is', () => {
  const capped = child(true, hot, ['--trace-opt']);
  const free = child(false, hot, ['--trace-opt']);
  assert.match(capped, /sum 19980000000/);
  assert.doesNotMatch(capped, /TurboFan/i);
  assert.match(free, /TurboFan/i, 'the check cannot see TurboFan at all');
});
