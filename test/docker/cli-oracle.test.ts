/**
 * docker as the oracle for the CLI itself (nerdctl's habit): on one private dockerd, the same
 * commands go through docker's CLI and through `berth -H …`, and must print the same output and
 * errors and exit with the same codes — ps, inspect, logs, rm, usage errors and `system prune`.
 * The prune report is also produced by the embedded engine (a Sandbox) from the same scenario and
 * must read the same once ids are masked: one formatter for every backend.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BERTH, Sandbox, type Result } from '../helpers/berth.js';
import { NEEDS_ROOT } from '../helpers/tools.js';
import { busyboxTarball } from '../fixtures/busybox.js';
import { DockerOracle } from './oracle.js';

const skip = NEEDS_ROOT;
let o: DockerOracle;

const exec = (bin: string, args: string[]): Result => o.run(bin, args);
const docker = (args: string[]): string => o.dockerOk(args);

/**
 * What may differ between docker 20.10's CLI (setup.sh's docker.io) and berth, which follows the
 * current CLI: the program's name, 20.10 leaving out "Error response from daemon: " on some
 * commands, and the wording of an argument-count error (`"docker inspect" requires exactly 1
 * argument.` in 20.10, `'docker inspect' requires 1 argument` today).
 * berth's usage errors read `berth: MESSAGE` + `See 'berth CMD --help'.` (flag-errors.test.ts).
 */
const asBerth = (s: string) =>
  s
    .replace(/^(docker|berth): /gm, '')
    .replace(/^Error response from daemon: /gm, 'Error: ')
    .replace(/^"docker ([^"]+)" requires (.*)\.$/gm, "'docker $1' requires $2")
    .replace(/ requires exactly /g, ' requires ')
    .replace(/\bdocker\b/g, 'berth');
/** Elapsed times move on between the two runs on a loaded machine. */
/** (The padding after an age goes too: "1 second ago" and "2 seconds ago" pad to one width.) */
const ages = (s: string) =>
  s.replace(/\b(\d+|About an?|Less than a) (second|minute|hour)s?( ago)?/g, 'N $2$3').replace(/(N (?:second|minute|hour)(?: ago)?) +/g, '$1 ');

/** The same command through docker and berth: identical output, errors and exit code, but for
 *  the names and ages above. */
const same = (args: string[]): Result => o.same(args, { stderr: asBerth, stdout: ages });

before(async () => {
  if (skip) return;
  o = new DockerOracle('berth-clio');
  await o.start();
  await o.dockerd.importBusybox();
  docker(['run', '-d', '--name', 'web', 'busybox', 'sh', '-c', 'echo one; echo two >&2; echo three; exec sleep 1d']);
  assert.equal(exec(o.docker, ['run', '--name', 'done', 'busybox', 'sh', '-c', 'echo bye; exit 3']).code, 3);
  docker(['create', '--name', 'made', 'busybox', 'true']);
});

after(async () => {
  await o?.stop();
});

test('ps, inspect and logs: the same output on both CLIs', { skip }, () => {
  same(['ps']);
  same(['ps', '-a']);
  same(['ps', '-q']);
  same(['ps', '-aq', '--no-trunc']);
  same(['ps', '-a', '--filter', 'status=exited', '--format', '{{.Names}} {{.Status}}']);
  same(['ps', '-a', '-n', '1', '--format', '{{.Names}}']);
  same(['ps', '-l', '--format', '{{.Names}}']);
  same(['inspect', 'done']);
  same(['inspect', '--type', 'container', '-f', '{{.State.ExitCode}}', 'done', 'made']);
  same(['container', 'inspect', 'nope']);
  same(['inspect', 'web', 'nope']);
  same(['inspect', '--type', 'image', 'web']);
  same(['logs', 'done']);
  same(['logs', '--tail', '1', 'web']);
  same(['logs', '-n', '0', 'web']);
  same(['logs', 'made']);
  same(['logs', 'nope']);
});

test("usage errors: docker's messages and exit codes (125 for bad flags and values)", { skip }, () => {
  for (const args of [
    ['run', '--memory', '12q', 'busybox'],
    ['run', '--cpus', 'abc', 'busybox'],
    ['stop', '-t', 'abc', 'web'],
    ['ps', '-f', 'foo'],
    ['ps', '--bogus'],
    ['ps', '-n'],
    ['inspect'],
    ['rm'],
    ['logs'],
    // (not `logs --tail x`: docker's daemon reads a bad tail as "all"; issue 16 wants 125, as
    // every bad flag value: test/cli/flag-errors.test.ts)
    ['inspect', '--type', 'bogus', 'web'],
  ]) {
    // the message and the "See …" line; 20.10 adds a usage block to argument-count errors
    const want = exec(o.docker, args);
    const got = exec(BERTH, args);
    const head = (s: string) => asBerth(s).split('\n').slice(0, 2).join('\n');
    assert.deepEqual([got.code, head(got.stderr), got.stdout], [want.code, head(want.stderr), want.stdout], args.join(' '));
    assert.notEqual(got.code, 0, args.join(' '));
  }
});

test('rm: a running container, a missing one, then -f', { skip }, () => {
  docker(['run', '-d', '--name', 'busy1', 'busybox', 'sleep', '1d']);
  docker(['run', '-d', '--name', 'busy2', 'busybox', 'sleep', '1d']);
  same(['rm', 'busy1']);
  same(['rm', 'nope']);
  same(['rm', 'nope', 'nope2']);
  // each removes one of two equal containers: same output, exit code
  const want = exec(o.docker, ['rm', '-f', 'busy1']);
  const got = exec(BERTH, ['rm', '-f', 'busy2']);
  assert.deepEqual([got.code, got.stdout, asBerth(got.stderr)], [want.code, want.stdout.replace('busy1', 'busy2'), asBerth(want.stderr)]);
});

/** The prune scenario: two exited containers (one wrote 12 bytes), an unused network, an unused
 *  anonymous volume, a dangling image (a tag moved to a newer commit). */
function pruneScenario(cli: (args: string[]) => unknown): void {
  cli(['run', '--name', 'p1', 'busybox', 'sh', '-c', 'echo hello world > /f']);
  cli(['create', '--name', 'p2', 'busybox', 'true']);
  cli(['network', 'create', 'prunenet']);
  cli(['create', '--name', 'holder', '-v', '/anon', 'busybox', 'true']);
  cli(['commit', 'p1', 'pruned:1']);
  cli(['commit', 'p2', 'pruned:1']); // the first commit is now dangling
  cli(['rm', 'holder']); // its anonymous volume stays, unused
}

/** Ids differ between runs; everything else must not. */
const mask = (s: string) => s.replace(/sha256:[0-9a-f]{64}/g, 'sha256:<id>').replace(/\b[0-9a-f]{64}\b/g, '<id>');

test("system prune: one report, docker's layout, on docker, berth -H and the embedded engine", { skip }, () => {
  docker(['rm', '-f', 'web', 'done', 'made']);
  pruneScenario(docker);
  const want = exec(o.docker, ['system', 'prune', '-f', '--volumes']);
  assert.equal(want.code, 0, want.stderr);
  assert.match(want.stdout, /^Deleted Containers:\n/);
  assert.match(want.stdout, /Deleted Networks:\nprunenet\n/);
  docker(['rmi', 'pruned:1']); // or the second scenario would leave the first one's image dangling
  pruneScenario(docker);
  const got = exec(BERTH, ['system', 'prune', '-f', '--volumes']);
  assert.deepEqual([got.code, mask(got.stdout), got.stderr], [want.code, mask(want.stdout), want.stderr]);
  // nothing left: both print only the total
  const again = same(['system', 'prune', '-f']);
  assert.equal(again.stdout, 'Total reclaimed space: 0B\n');

  // The embedded engine: the same sections, in the same order, for the same scenario.
  const sb = new Sandbox('berth-clio');
  try {
    sb.ok(['import', '-c', 'CMD ["sh"]', busyboxTarball(), 'busybox']);
    pruneScenario((args) => sb.ok(args[0] === 'run' || args[0] === 'create' ? [args[0], '--net', 'none', ...args.slice(1)] : args));
    const emb = sb.run(['system', 'prune', '-f', '--volumes']);
    assert.equal(emb.code, 0, emb.stderr);
    const sections = (s: string) =>
      s.split('\n').filter((l) => l.endsWith(':') || l.startsWith('Total') || l.startsWith('untagged') || l.startsWith('deleted'));
    // docker deletes a dangling image's layers one by one: compare the headings and the totals' shape
    const heads = (s: string) =>
      sections(s)
        .filter((l) => !l.startsWith('deleted') && !l.startsWith('untagged'))
        .map((l) => l.replace(/space: .*/, 'space: N'));
    assert.deepEqual(heads(emb.stdout), heads(want.stdout), emb.stdout);
    assert.match(emb.stdout, /Deleted Networks:\nprunenet\n\n/);
    assert.match(emb.stdout, /Total reclaimed space: [1-9][0-9.]*[kMG]?B\n/);
    assert.equal(sb.ok(['system', 'prune', '-f']), 'Total reclaimed space: 0B\n');
  } finally {
    sb.dispose();
  }
});

test('build -H: the daemon builds the context berth sends (.dockerignore, -f outside, args, labels, -q)', { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'berth-clio-build-'));
  try {
    const ctxDir = join(dir, 'ctx');
    mkdirSync(join(ctxDir, 'sub'), { recursive: true });
    writeFileSync(join(ctxDir, 'hello.txt'), 'hello from the context\n');
    writeFileSync(join(ctxDir, 'sub', 'secret.key'), 'never sent\n');
    writeFileSync(join(ctxDir, '.dockerignore'), '**/*.key\n');
    writeFileSync(
      join(dir, 'Other.dockerfile'),
      'FROM busybox\nARG GREETING=none\nCOPY . /app/\nRUN echo "$GREETING" > /app/greeting && ls -R /app > /app/listing\nLABEL built=by-berth\n',
    );
    const out = exec(BERTH, ['build', '-t', 'built:1', '-f', join(dir, 'Other.dockerfile'), '--build-arg', 'GREETING=hi', '--label', 'extra=yes', ctxDir]);
    assert.equal(out.code, 0, out.stderr);
    assert.match(out.stdout, /Step 1\/6 : FROM busybox\n/); // the daemon adds --label as a step
    assert.match(out.stdout, /Successfully tagged built:1/);
    const r = exec(o.docker, ['run', '--rm', 'built:1', 'sh', '-c', 'cat /app/hello.txt /app/greeting; cat /app/listing']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^hello from the context\nhi\n/);
    assert.doesNotMatch(r.stdout, /secret\.key/);
    assert.match(r.stdout, /\bsub\b/);
    assert.equal(docker(['image', 'inspect', '-f', '{{.Config.Labels.built}} {{.Config.Labels.extra}}', 'built:1']), 'by-berth yes\n');
    // -q: the id alone, as docker prints it
    const q = exec(BERTH, ['build', '-q', '-f', join(dir, 'Other.dockerfile'), ctxDir]);
    assert.equal(q.code, 0, q.stderr);
    assert.match(q.stdout, /^sha256:[0-9a-f]{64}\n$/);
    // a failing RUN: docker's message, exit 1
    writeFileSync(join(ctxDir, 'Dockerfile'), 'FROM busybox\nRUN exit 7\n');
    const want = exec(o.docker, ['build', ctxDir]);
    const got = exec(BERTH, ['build', ctxDir]);
    assert.equal(got.code, want.code);
    assert.equal(asBerth(got.stderr), asBerth(want.stderr));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('build -H: the stream as docker prints it (stderr in red, the last lines), .dockerignore exceptions sent, --cache-from passed', { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'berth-clio-build2-'));
  try {
    writeFileSync(join(dir, 'Dockerfile'), 'FROM busybox\nCOPY . /ctx/\nRUN echo err >&2\nRUN find /ctx | sort\n');
    writeFileSync(join(dir, '.dockerignore'), 'ignored\n!ignored/subdir/excepted-file\n');
    for (const f of ['ignored/a', 'ignored/subdir/excepted-file', 'ignored/subdir/other', 'ignored/deeper/x']) {
      mkdirSync(join(dir, f, '..'), { recursive: true });
      writeFileSync(join(dir, f), f);
    }
    const ids = (s: string) => s.replace(/\b[0-9a-f]{12}\b/g, '<id>');
    const want = exec(o.docker, ['build', '--no-cache', '-t', 'clio-built:2', dir]);
    const got = exec(BERTH, ['build', '--no-cache', '-t', 'clio-built:2', dir]);
    assert.equal(got.code, 0, got.stderr);
    // berth sends the context without docker's "Sending build context" progress line
    assert.equal(ids(got.stdout), ids(want.stdout.replace(/^Sending build context[^\n]*\n/, '')));
    assert.ok(got.stdout.includes('\u001b[91merr\n\u001b[0m'), got.stdout);
    assert.match(got.stdout, /^\/ctx\/ignored\/subdir\/excepted-file$/m);
    assert.doesNotMatch(got.stdout, /\/ctx\/ignored\/(a|subdir\/other|deeper)/);
    assert.match(got.stdout, /Successfully built <?[0-9a-f]{12}\nSuccessfully tagged clio-built:2\n$/);
    // --cache-from reaches dockerd: naming no existing image, no step comes from the cache
    assert.match(exec(BERTH, ['build', dir]).stdout, /Using cache/);
    assert.doesNotMatch(exec(BERTH, ['build', '--cache-from', 'nosuchtag', dir]).stdout, /Using cache/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
