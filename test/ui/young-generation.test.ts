/**
 * The dashboard's young-generation setting takes effect at run time: in a child node process
 * (its own heap), allocating many short-lived and some surviving objects leaves the young
 * generation at its initial size after keepYoungGenerationSmall(), and grows it without (which
 * shows the check can tell the two apart).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

const module = new URL('../../src/ui/young-generation.js', import.meta.url).href;
const child = (keepSmall: boolean): number => {
  const script = `
    const { getHeapSpaceStatistics } = await import('node:v8');
    if (${keepSmall}) (await import(${JSON.stringify(module)})).keepYoungGenerationSmall();
    const keep = [];
    for (let i = 0; i < 400000; i++) { const o = { i, s: 'x' + i, a: [i, i] }; if (i % 8 === 0) keep.push(o); }
    const ns = getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
    process.stdout.write(String(ns.space_size) + ' ' + keep.length);`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, r.stderr);
  return Number(r.stdout.split(' ')[0]) / 1024 / 1024;
};

test('keepYoungGenerationSmall keeps the young generation at its initial size; without it V8 grows it', () => {
  const small = child(true);
  const grown = child(false);
  assert.ok(small <= 2, `young generation ${small} MB with the setting`);
  assert.ok(grown > small * 2, `young generation ${grown} MB without it vs ${small} MB with it`);
});
