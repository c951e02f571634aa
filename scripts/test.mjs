// Builds, then runs the test suite with node's test runner. Arguments narrow it to test files
// whose path contains one of them (e.g. `npm test -- cgroups image`).
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, existsSync, openSync, readdirSync, readFileSync, statSync } from 'node:fs';
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
const args = ['--disable-warning=ExperimentalWarning', '--test', '--test-concurrency=1', '--test-reporter=spec'];
const env = { ...process.env, BERTH_SRC_ROOT: root };
// Two lanes. The emulated VM (one core busy for minutes), the cases against a private dockerd
// of their own (busy in dockerd and docker's CLI) and the Docker-API cases (docker's CLI, compose
// and docker-py against berth's socket, each with its own sandbox, socket, registry and sshd) run
// beside the rest: each keeps to its own state root, bridge, daemon, ports and cgroup parent, and
// no test of the other lane looks at theirs. Within a lane, one file at a time. In one lane the
// whole suite took 27 of CI's 30 minutes on 2 cores, one of them mostly idle.
const SIDE = ['/cgroups/live-v2-vm.test.js', '/docker/run-options-docker.test.js', '/docker/container-surface-docker.test.js', '/api/'];
const side = files.filter((f) => SIDE.some((x) => (x.endsWith('/') ? f.includes(`/test${x}`) : f.endsWith(x))));
const lane = side.length > 0 && side.length < files.length ? files.filter((f) => !side.includes(f)) : files;
let sideDone;
const sideLog = join(root, 'dist', '.side-lane.log');
if (lane !== files) {
  const fd = openSync(sideLog, 'w');
  const child = spawn(process.execPath, [...args, ...side], { stdio: ['ignore', fd, fd], env });
  closeSync(fd);
  sideDone = once(child, 'exit').then(([code, signal]) => code ?? (signal ? 1 : 0));
}
const main = spawnSync(process.execPath, [...args, ...lane], { stdio: 'inherit', env });
let status = main.status ?? 1;
if (sideDone) {
  const code = await sideDone;
  process.stdout.write(`\n# the side lane (${side.map((f) => relative(join(root, 'dist'), f)).join(', ')})\n${readFileSync(sideLog, 'utf8')}`);
  status ||= code;
}
const run = { status };
let leaked = false;
if (audit) leaked = spawnSync(process.execPath, [join(root, 'scripts/leak-audit.mjs'), 'check', baseline], { stdio: 'inherit' }).status !== 0;
if (typeErrors) console.error('type check failed (see the errors above)');
if (!bundled) console.error('bundling failed (see the errors above)');
process.exit(run.status || (typeErrors || leaked || !bundled ? 1 : 0));
