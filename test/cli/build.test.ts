/** `berth build`: multi-stage Dockerfiles run in real containers, the layer cache, .dockerignore and bad input. */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { Sandbox } from '../helpers/berth.js';
import { busyboxTarball } from '../fixtures/busybox.js';
import { RUN_SETTINGS, checkRunSettings } from '../fixtures/build-run-settings.js';

let sb: Sandbox;
before(() => {
  sb = new Sandbox('berth-build');
  sb.ok(['import', '-c', 'CMD ["sh"]', busyboxTarball(), 'busybox']);
});
after(() => sb.dispose());

function context(name: string, files: Record<string, string>): string {
  const dir = sb.path('ctx', name);
  for (const [f, text] of Object.entries(files)) {
    mkdirSync(join(dir, f, '..'), { recursive: true });
    writeFileSync(join(dir, f), text);
  }
  return dir;
}

const MULTI = `# two stages: the second copies what the first made
FROM busybox AS b1
ARG GREETING=hello
RUN echo "$GREETING from b1" > /made.txt \\
 && mkdir -p /out && cp /made.txt /out/
FROM busybox
COPY --from=b1 /out/made.txt /app/made.txt
COPY . /ctx/
COPY sub/ /app/sub/
ENV APP_HOME=/app MODE="two words"
WORKDIR $APP_HOME
LABEL org.example.kind=test
EXPOSE 8080/tcp
CMD ["sh", "-c", "cat /app/made.txt /app/sub/n.txt; echo $MODE; pwd; ls /ctx"]
`;

test('a multi-stage build runs and its image shows its files', () => {
  const dir = context('multi', {
    Dockerfile: MULTI,
    'hello.txt': 'hi\n',
    'secret.env': 'TOKEN=x\n',
    'sub/n.txt': 'nested\n',
    'logs/a.log': 'log\n',
    '.dockerignore': '# not for the image\nsecret.env\n*.log\nlogs\n',
  });
  const out = sb.ok(['build', '-t', 'multi:1', '--build-arg', 'GREETING=howdy', dir], { timeout: 120_000 });
  assert.match(out, /Step 1\/12 : FROM busybox AS b1/);
  assert.match(out, /Running in [a-f0-9]{12}/);
  assert.match(out, /Successfully built [a-f0-9]{12}/);
  assert.match(out, /Successfully tagged multi:1/);
  const run = sb.ok(['run', '--rm', '--net', 'none', 'multi:1']);
  const lines = run.trim().split('\n');
  assert.deepEqual(lines.slice(0, 4), ['howdy from b1', 'nested', 'two words', '/app']);
  const listed = lines.slice(4);
  // .dockerignore: the secret, the logs directory and *.log stay out; the rest is there
  assert.ok(listed.includes('hello.txt') && listed.includes('Dockerfile') && listed.includes('sub'), run);
  assert.ok(!listed.includes('secret.env') && !listed.includes('logs'), run);
  const doc = JSON.parse(sb.ok(['inspect', 'multi:1']))[0];
  assert.deepEqual(doc.Config.Cmd, ['sh', '-c', 'cat /app/made.txt /app/sub/n.txt; echo $MODE; pwd; ls /ctx']);
  assert.equal(doc.Config.WorkingDir, '/app');
  assert.ok(doc.Config.Env.includes('APP_HOME=/app') && doc.Config.Env.includes('MODE=two words'));
  assert.equal(doc.Config.Labels['org.example.kind'], 'test');
  assert.deepEqual(Object.keys(doc.Config.ExposedPorts), ['8080/tcp']);
  // history as BuildKit writes it: one entry per instruction, metadata ones empty
  const hist = sb.ok(['history', '--no-trunc', '--format', '{{.CreatedBy}}|{{.Size}}', 'multi:1']).trim().split('\n');
  assert.match(hist[0]!, /^CMD \["sh","-c",/);
  assert.ok(
    hist.some((h) => /^COPY --from=b1 \/out\/made.txt \/app\/made.txt # buildkit\|/.test(h)),
    hist.join('\n'),
  );
  assert.ok(
    hist.some((h) => h.startsWith('ENV APP_HOME=/app MODE="two words"|0B')),
    hist.join('\n'),
  );
  // the intermediate images are gone; only the bases and the result remain
  assert.deepEqual(sb.ok(['images', '--format', '{{.Repository}}']).trim().split('\n').sort(), ['busybox', 'multi']);
  assert.equal(sb.ok(['ps', '-a', '-q']).trim(), '');
});

test('an unchanged rebuild hits the cache: no RUN runs, same image; a changed file re-runs from its COPY', () => {
  const dir = sb.path('ctx', 'multi');
  const first = JSON.parse(sb.ok(['inspect', 'multi:1']))[0].Id;
  const out = sb.ok(['build', '-t', 'multi:1', '--build-arg', 'GREETING=howdy', dir]);
  assert.match(out, /Using cache/);
  assert.doesNotMatch(out, /Running in/);
  assert.equal(JSON.parse(sb.ok(['inspect', 'multi:1']))[0].Id, first);
  // (no timing assertion: a loaded machine makes any bound flaky; a hit is seen in the output)
  writeFileSync(join(dir, 'hello.txt'), 'changed\n');
  const again = sb.ok(['build', '-t', 'multi:2', '--build-arg', 'GREETING=howdy', dir]);
  assert.doesNotMatch(again, /Running in/); // the RUN before it stays cached
  assert.notEqual(JSON.parse(sb.ok(['inspect', 'multi:2']))[0].Id, first);
  // --no-cache runs everything again
  const fresh = sb.ok(['build', '--no-cache', '-t', 'multi:3', '--build-arg', 'GREETING=howdy', dir], { timeout: 120_000 });
  assert.match(fresh, /Running in/);
  assert.doesNotMatch(fresh, /Using cache/);
});

test('builder prune: dangling entries by default (their layers left with the image), every entry with -a', () => {
  const dir = context('prunable', { Dockerfile: 'FROM busybox\nRUN echo one > /one\nRUN echo two > /two\n' });
  const build = () => sb.ok(['build', '-t', 'prunable:1', dir], { timeout: 120_000 });
  assert.equal((build().match(/Running in/g) ?? []).length, 2);
  // every entry's layer is in the store: nothing dangling
  assert.equal(sb.ok(['builder', 'prune', '-f']), 'Total reclaimed space: 0B\n');
  assert.doesNotMatch(build(), /Running in/);
  // the image and its layers go: its two entries are dangling, and only they are removed
  sb.ok(['rmi', 'prunable:1']);
  const pruned = sb.ok(['builder', 'prune', '-f']);
  assert.match(pruned, /^Deleted build cache objects:\n([0-9a-f]{64}\n){2,}\nTotal reclaimed space: \d+B\n$/);
  assert.equal((build().match(/Running in/g) ?? []).length, 2);
  // a filter the cache does not know is refused before anything goes
  const bad = sb.run(['builder', 'prune', '-f', '--filter', 'colour=red']);
  assert.deepEqual([bad.code, bad.stderr], [1, "Error response from daemon: Invalid filter 'colour'\n"]);
  assert.doesNotMatch(build(), /Running in/);
  // -a removes every entry, so the next build runs each step again; system prune -a prunes the cache too
  assert.match(sb.ok(['builder', 'prune', '-a', '-f']), /^Deleted build cache objects:\n([0-9a-f]{64}\n)+\nTotal/);
  assert.equal((build().match(/Running in/g) ?? []).length, 2);
  sb.ok(['rmi', 'prunable:1']);
  assert.match(sb.ok(['system', 'prune', '-f']), /Deleted build cache objects:\n([0-9a-f]{64}\n){2,}\nTotal reclaimed space/);
});

test('a Dockerfile syntax error names its line', () => {
  const dir = context('syntax', { Dockerfile: 'FROM busybox\n\nFROBNICATE all the things\nRUN true\n' });
  const r = sb.run(['build', dir]);
  assert.equal(r.code, 1);
  assert.equal(r.stderr, 'Error: Dockerfile parse error on line 3: unknown instruction: FROBNICATE\n');
  const noFrom = sb.run(['build', context('nofrom', { Dockerfile: 'RUN true\n' })]);
  assert.equal(noFrom.code, 1);
  assert.match(noFrom.stderr, /line 1: .*FROM/);
});

test('a failing RUN reports its exit code and output and leaves no image, container or debris', () => {
  const before = sb.ok(['images', '-q']).trim();
  const dir = context('fail', { Dockerfile: 'FROM busybox\nRUN echo made-it > /x\nRUN echo "about to fail" && exit 3\nCMD ["true"]\n' });
  const r = sb.run(['build', '-t', 'broken:1', dir], { timeout: 120_000 });
  // docker's CLI exits with the failing command's code (test/docker/cli-oracle.test.ts compares)
  assert.equal(r.code, 3);
  assert.match(r.stdout, /about to fail/);
  assert.equal(r.stderr, `berth: The command '/bin/sh -c echo "about to fail" && exit 3' returned a non-zero code: 3\n`);
  assert.equal(sb.run(['inspect', 'broken:1']).code, 1);
  assert.equal(sb.ok(['images', '-q']).trim(), before);
  assert.equal(sb.ok(['ps', '-a', '-q']).trim(), '');
  assert.deepEqual(existsSync(join(sb.root, 'tmp')) ? readdirSync(join(sb.root, 'tmp')) : [], []);
});

test('COPY of a source outside the context is refused; a missing or ignored source is named', () => {
  writeFileSync(sb.path('ctx', 'outside.txt'), 'nope\n');
  const dir = context('escape', { Dockerfile: 'FROM busybox\nCOPY ../outside.txt /x\n', 'ok.txt': 'ok', '.dockerignore': 'ignored.txt\n', 'ignored.txt': 'x' });
  const r = sb.run(['build', dir]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /forbidden path outside the build context: \.\.\/outside\.txt/);
  writeFileSync(join(dir, 'Dockerfile'), 'FROM busybox\nCOPY ignored.txt /x\n');
  const ig = sb.run(['build', dir]);
  assert.equal(ig.code, 1);
  assert.match(ig.stderr, /excluded by \.dockerignore/);
  // a symlink in the context pointing out of it is copied as a link, not followed
  execFileSync('ln', ['-s', '/etc', join(dir, 'etc-link')]);
  writeFileSync(join(dir, 'Dockerfile'), 'FROM busybox\nCOPY etc-link/passwd /x\n');
  const sl = sb.run(['build', dir]);
  assert.equal(sl.code, 1);
  assert.match(sl.stderr, /outside the build context/);
});

test('scratch, ADD of a local tar, --target, ENTRYPOINT/USER/HEALTHCHECK/STOPSIGNAL/VOLUME stored', () => {
  const dir = context('scratch', {
    Dockerfile: [
      'FROM busybox AS tools',
      'RUN mkdir -p /pkg/bin && echo tool > /pkg/bin/tool.txt',
      'FROM scratch AS final',
      'ADD rootfs.tar /',
      'COPY --from=tools --chown=1000:1000 /pkg /opt/pkg',
      'USER nobody',
      'ENTRYPOINT ["/bin/busybox"]',
      'CMD ["cat", "/opt/pkg/bin/tool.txt"]',
      'HEALTHCHECK --interval=5s --retries=2 CMD ["/bin/true"]',
      'STOPSIGNAL SIGINT',
      'VOLUME /data',
      'FROM busybox AS unused',
      'RUN exit 9',
      '',
    ].join('\n'),
  });
  execFileSync('cp', [busyboxTarball(), join(dir, 'rootfs.tar')]);
  const out = sb.ok(['build', '--target', 'final', '-t', 'fromscratch', dir], { timeout: 120_000 });
  assert.doesNotMatch(out, /exit 9/);
  assert.equal(sb.ok(['run', '--rm', '--net', 'none', 'fromscratch']), 'tool\n');
  assert.equal(
    sb.ok(['run', '--rm', '--net', 'none', '--entrypoint', 'ls', 'fromscratch', '-n', '/opt/pkg/bin/tool.txt']).split(/\s+/).slice(2, 4).join(':'),
    '1000:1000',
  );
  const c = JSON.parse(sb.ok(['inspect', 'fromscratch']))[0].Config;
  assert.equal(c.User, 'nobody');
  assert.deepEqual(c.Entrypoint, ['/bin/busybox']);
  assert.deepEqual(c.Healthcheck, { Test: ['CMD', '/bin/true'], Interval: 5e9, Retries: 2 });
  assert.equal(c.StopSignal, 'SIGINT');
  assert.deepEqual(Object.keys(c.Volumes), ['/data']);
  const url = sb.run(['build', context('url', { Dockerfile: 'FROM busybox\nADD http://berth-no-such-host.invalid/x.tar /\n' })]);
  assert.equal(url.code, 1);
  assert.match(url.stderr, /ADD failed: .*berth-no-such-host/);
});

test('--add-host, --shm-size and -m set each RUN container, not the image; bad values are usage errors', () => {
  const dir = context('run-settings', { Dockerfile: RUN_SETTINGS });
  sb.ok(['build', '-t', 'runset:1', '--add-host', 'extra.example:10.9.8.7', '--shm-size', '128m', '-m', '64m', dir]);
  checkRunSettings((f) => sb.ok(['run', '--rm', 'runset:1', 'cat', f]));
  for (const [flag, value, label, reason] of [
    ['--add-host', 'bad', '--add-host', 'bad format for add-host: "bad"'],
    ['--shm-size', '12q', '--shm-size', "invalid size: '12q'"],
    ['-m', 'lots', '-m, --memory', "invalid size: 'lots'"],
    ['--cpu-period', 'abc', '--cpu-period', 'strconv.ParseInt: parsing "abc": invalid syntax'],
  ] as const) {
    const r = sb.run(['build', '-t', 'never:1', flag, value, dir]);
    assert.equal(r.code, 125, `${flag} ${value}: ${r.stderr}`);
    assert.equal(r.stderr.split('\n')[0], `berth: invalid argument "${value}" for "${label}" flag: ${reason}`);
    assert.doesNotMatch(r.stdout, /Step 1/, 'refused before any step');
  }
  assert.equal(sb.run(['image', 'inspect', 'never:1']).code, 1);
});
