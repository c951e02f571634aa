import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseReference, canonical, familiar } from '../../src/engine/image/reference.js';

test('references normalize as docker does', () => {
  const cases: [string, string][] = [
    ['busybox', 'docker.io/library/busybox:latest'],
    ['busybox:1.36', 'docker.io/library/busybox:1.36'],
    ['library/busybox', 'docker.io/library/busybox:latest'],
    ['user/app:v1', 'docker.io/user/app:v1'],
    ['localhost:5000/app', 'localhost:5000/app:latest'],
    ['localhost/app:2', 'localhost/app:2'],
    ['registry.example.com/a/b/c:tag', 'registry.example.com/a/b/c:tag'],
    ['index.docker.io/library/alpine', 'docker.io/library/alpine:latest'],
    [`busybox@sha256:${'a'.repeat(64)}`, `docker.io/library/busybox@sha256:${'a'.repeat(64)}`],
    [`busybox:1@sha256:${'b'.repeat(64)}`, `docker.io/library/busybox:1@sha256:${'b'.repeat(64)}`],
    ['my_app.x-y__z', 'docker.io/library/my_app.x-y__z:latest'],
  ];
  for (const [input, want] of cases) assert.equal(canonical(parseReference(input)), want, input);
});

test('malformed references are refused with docker-like messages', () => {
  const bad = [
    '',
    'Busybox',
    'busybox:',
    ':tag',
    'a b',
    'busybox@sha256:123',
    'busybox:-bad',
    '-lead',
    'a//b',
    `${'a'.repeat(64)}`,
    'x/Y',
    'docker.io/UP',
    'a:b:c',
  ];
  for (const b of bad) assert.throws(() => parseReference(b), /invalid|repository name/, b);
  assert.throws(() => parseReference('Busybox'), /must be lowercase/);
});

test('familiar names shorten docker.io/library', () => {
  assert.equal(familiar('docker.io/library/busybox:latest'), 'busybox:latest');
  assert.equal(familiar('docker.io/user/app:1'), 'user/app:1');
  assert.equal(familiar('localhost:5000/app:1'), 'localhost:5000/app:1');
});
