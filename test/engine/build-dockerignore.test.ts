/**
 * .dockerignore exceptions below an excluded directory (moby's rule): which directories are
 * walked, and exactly what packSources writes for `COPY . /ctx/` — the re-included files, their
 * parents, nothing else of the excluded directories.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DockerIgnore } from '../../src/engine/build/dockerignore.js';
import { packSources, resolveSources } from '../../src/engine/build/sources.js';

test('mayReincludeBelow: only directories an exception could reach into', () => {
  const ig = new DockerIgnore(['ignored', '!ignored/subdir/excepted-file', 'logs', '!logs/*/keep', 'other']);
  assert.equal(ig.mayReincludeBelow('ignored'), true);
  assert.equal(ig.mayReincludeBelow('ignored/subdir'), true);
  assert.equal(ig.mayReincludeBelow('ignored/deeper'), false);
  assert.equal(ig.mayReincludeBelow('ignored/subdir/excepted-file'), false);
  assert.equal(ig.mayReincludeBelow('logs/a'), true);
  assert.equal(ig.mayReincludeBelow('other'), false);
  assert.equal(new DockerIgnore(['x', '!**/keep']).mayReincludeBelow('x/y/z'), true);
  assert.equal(new DockerIgnore(['x']).mayReincludeBelow('x'), false);
  assert.equal(ig.ignored('ignored/subdir/excepted-file'), false);
  assert.equal(ig.ignored('ignored/subdir/other'), true);
});

test('packSources: COPY . holds the exceptions and their parents, not the rest of an excluded directory', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'berth-dockerignore-'));
  try {
    const ctx = join(dir, 'ctx');
    const files = [
      'keep.txt',
      'ignored/a',
      'ignored/subdir/excepted-file',
      'ignored/subdir/other',
      'ignored/deeper/x',
      'logs/l1/keep',
      'logs/l1/drop',
      'logs/l2/drop',
    ];
    for (const f of files) {
      mkdirSync(join(ctx, f, '..'), { recursive: true });
      writeFileSync(join(ctx, f), f);
    }
    mkdirSync(join(ctx, 'ignored/empty'));
    const ignore = new DockerIgnore(['ignored', '!ignored/subdir/excepted-file', 'logs', '!logs/*/keep']);
    const srcRoot = { root: ctx, ignore, what: 'build context' };
    const tar = join(dir, 'layer.tar');
    const plan = { srcRoot, dest: '/ctx', destIsDir: true, owner: { uid: 0, gid: 0 }, parentStat: () => undefined };
    const hash = await packSources({ ...plan, sources: resolveSources(srcRoot, ['.']) }, tar);
    const names = execFileSync('tar', ['-tf', tar]).toString().trim().split('\n').sort();
    assert.deepEqual(names, [
      'ctx/',
      'ctx/ignored/',
      'ctx/ignored/subdir/',
      'ctx/ignored/subdir/excepted-file',
      'ctx/keep.txt',
      'ctx/logs/',
      'ctx/logs/l1/',
      'ctx/logs/l1/keep',
    ]);
    // an excluded directory named as the source: only what an exception brings back
    await packSources({ ...plan, sources: resolveSources(srcRoot, ['ignored']) }, tar);
    assert.deepEqual(execFileSync('tar', ['-tf', tar]).toString().trim().split('\n').sort(), ['ctx/', 'ctx/subdir/', 'ctx/subdir/excepted-file']);
    // the same context packs to the same hash (the cache key)
    assert.equal(await packSources({ ...plan, sources: resolveSources(srcRoot, ['.']) }, tar), hash);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
