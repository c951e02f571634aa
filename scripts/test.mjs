// Builds, then runs the test suite with node's test runner. Arguments narrow it to test files
// whose path contains one of them (e.g. `npm test -- cgroups image`).
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
// Lint and the import rules first: a boundary or cycle fails the run before any test starts.
if (spawnSync(process.execPath, [join(root, 'scripts/lint.mjs')], { stdio: 'inherit' }).status !== 0) {
  console.error('lint failed (see above): fix it, or run `npm run lint` alone');
  process.exit(1);
}
const tsc = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.json')], { stdio: 'inherit' });
// Type errors fail the run, but after the tests ran (tsc still emits), so both are reported.
const typeErrors = tsc.status !== 0;
// bin/berth runs the bundle: make it from this build, or the tests would run older code.
const bundled = spawnSync(process.execPath, [join(root, 'scripts/bundle.mjs')], { stdio: 'inherit' }).status === 0;

function walk(dir) {
  const out = [];
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out.push(...walk(p));
    else if (p.endsWith('.test.js')) out.push(p);
  }
  return out;
}
const filters = process.argv.slice(2);
// Only tests whose source still exists: tsc never deletes the output of a removed file.
const hasSource = (f) => ['.ts', '.tsx'].some((ext) => existsSync(join(root, relative(join(root, 'dist'), f)).replace(/\.test\.js$/, `.test${ext}`)));
const files = walk(join(root, 'dist/test'))
  .filter(hasSource)
  .filter((f) => filters.length === 0 || filters.some((x) => relative(root, f).includes(x)))
  .sort();
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}
// The leak audit compares the host after the suite with a baseline taken now (only the whole
// suite is audited: a filtered run may share the host with other work).
const baseline = join(root, 'dist', '.leak-baseline.json');
const audit = filters.length === 0;
if (audit) spawnSync(process.execPath, [join(root, 'scripts/leak-audit.mjs'), 'baseline', baseline], { stdio: 'inherit' });
const args = ['--disable-warning=ExperimentalWarning', '--test', '--test-concurrency=1', '--test-reporter=spec', ...files];
const run = spawnSync(process.execPath, args, { stdio: 'inherit', env: { ...process.env, BERTH_SRC_ROOT: root } });
let leaked = false;
if (audit) leaked = spawnSync(process.execPath, [join(root, 'scripts/leak-audit.mjs'), 'check', baseline], { stdio: 'inherit' }).status !== 0;
if (typeErrors) console.error('type check failed (see the errors above)');
if (!bundled) console.error('bundling failed (see the errors above)');
process.exit(run.status || (typeErrors || leaked || !bundled ? 1 : 0));
