// `npm run lint` (and the first step of `npm test`): eslint (typescript-eslint and berth's import
// boundaries, eslint.config.js) with a cache under dist/, then the import-cycle check, then
// prettier's check of the whole tree (`npm run format` fixes it). Exits 1 on the first failure.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
mkdirSync(join(root, 'dist'), { recursive: true });
const eslint = join(root, 'node_modules/eslint/bin/eslint.js');
const lint = spawnSync(
  process.execPath,
  [eslint, '--cache', '--cache-location', join(root, 'dist/.eslintcache'), 'src', 'test', 'scripts', 'bench', 'eslint.config.js'],
  { cwd: root, stdio: 'inherit' },
);
if (lint.status !== 0) process.exit(1);
const cycles = spawnSync(process.execPath, [join(root, 'scripts/import-cycles.mjs')], { cwd: root, stdio: 'inherit' });
if (cycles.status !== 0) process.exit(1);
const prettier = join(root, 'node_modules/prettier/bin/prettier.cjs');
const style = spawnSync(process.execPath, [prettier, '--check', '--log-level', 'warn', '.'], { cwd: root, stdio: 'inherit' });
process.exit(style.status === 0 ? 0 : 1);
