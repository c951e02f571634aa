/** The registry client's parsers and rules, without a registry: challenges, insecure hosts, platforms, .dockerignore, Dockerfile errors. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseChallenge } from '../../src/engine/registry/www-authenticate.js';
import { isInsecure, registryBase } from '../../src/engine/registry/config.js';
import { parsePlatform } from '../../src/engine/registry/pull.js';
import { serverKey } from '../../src/engine/registry/credentials.js';
import { DockerIgnore } from '../../src/engine/build/dockerignore.js';
import { expand, parseDockerfile } from '../../src/engine/build/dockerfile.js';

test('WWW-Authenticate challenges', () => {
  assert.deepEqual(parseChallenge('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/busybox:pull"'), {
    scheme: 'bearer',
    params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/busybox:pull' },
  });
  assert.deepEqual(parseChallenge('Basic realm="a, b \\"c\\""'), { scheme: 'basic', params: { realm: 'a, b "c"' } });
  assert.equal(parseChallenge(null), undefined);
});

test('plain HTTP only for loopback and listed registries', () => {
  for (const h of ['localhost:5000', 'localhost', '127.0.0.1:5000', '127.3.4.5', '[::1]:5000']) assert.ok(isInsecure(h, []), h);
  assert.ok(!isInsecure('registry.example.com:5000', []));
  assert.ok(isInsecure('registry.lan:5000', ['registry.lan:5000']));
  assert.ok(isInsecure('registry.lan:5000', ['registry.lan']));
  assert.ok(isInsecure('10.1.2.3:5000', ['10.0.0.0/8']));
  assert.ok(!isInsecure('11.1.2.3:5000', ['10.0.0.0/8']));
  assert.equal(registryBase('docker.io'), 'https://registry-1.docker.io');
  assert.equal(serverKey('docker.io'), 'https://index.docker.io/v1/');
  assert.equal(serverKey('localhost:5000'), 'localhost:5000');
});

test('platforms', () => {
  assert.deepEqual(parsePlatform('linux/arm64/v8'), { os: 'linux', architecture: 'arm64', variant: 'v8' });
  assert.deepEqual(parsePlatform('linux/x86_64'), { os: 'linux', architecture: 'amd64' });
  assert.throws(() => parsePlatform('linux'), /invalid platform/);
});

test('.dockerignore: globs, ** and exceptions, directories cover their contents', () => {
  const ig = new DockerIgnore(['# comment', '*.log', 'build', '**/*.tmp', '!keep.log', '/secret/']);
  assert.ok(ig.ignored('a.log'));
  assert.ok(!ig.ignored('keep.log'));
  assert.ok(!ig.ignored('sub/a.log')); // * does not cross /
  assert.ok(ig.ignored('build/out/x.o'));
  assert.ok(ig.ignored('deep/down/x.tmp'));
  assert.ok(ig.ignored('secret/key'));
  assert.ok(!ig.ignored('src/main.ts'));
});

test('Dockerfile: errors name their line; variables expand as docker does', () => {
  assert.throws(() => parseDockerfile('FROM a\nRUN x\nNOPE y\n'), /line 3: unknown instruction: NOPE/);
  assert.throws(() => parseDockerfile('FROM a\nCOPY onlyone\n'), /line 2: COPY requires at least two arguments/);
  assert.throws(() => parseDockerfile('FROM a b\n'), /line 1: FROM requires either one or three arguments/);
  assert.throws(() => parseDockerfile('RUN x\n'), /line 1: no build stage/);
  const steps = parseDockerfile('ARG V=1\nFROM busybox:${V} AS base\nCOPY --from=base --chown=1:1 a b /d/\nCMD ["sh"]\n');
  assert.deepEqual(
    steps.map((s) => s.keyword),
    ['ARG', 'FROM', 'COPY', 'CMD'],
  );
  assert.deepEqual(steps[2]!.flags, { from: 'base', chown: '1:1' });
  assert.deepEqual(steps[3]!.json, ['sh']);
  const vars = (n: string) => (({ A: 'x', E: '' }) as Record<string, string>)[n];
  assert.equal(expand('$A/${A}/${B:-dflt}/${A:+alt}/${E:-e}/\\$A', vars), 'x/x/dflt/alt/e/$A');
});
