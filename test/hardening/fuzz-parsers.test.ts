/**
 * Fuzzing the parsers of user input (fast-check): image references, -v/--mount, -p, --network
 * modes, Dockerfile-style changes. Whatever the input, a parser either returns a well-formed
 * value or throws a clear Error — never a TypeError/RangeError from a bug, never a hang.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseReference, canonical } from '../../src/engine/image/reference.js';
import { parseMountFlag, parseVolumeFlag } from '../../src/cli/flags/mounts.js';
import { parsePortSpec, parseNetworkMode } from '../../src/net/index.js';
import { applyChanges } from '../../src/engine/image/changes.js';

const RUNS = 3000;

/** Throws only "clean" errors: an Error whose message is a non-empty single line. */
function clean(f: () => unknown): void {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof Error, `threw a non-Error: ${String(e)}`);
    assert.ok(!(e instanceof TypeError) && !(e instanceof RangeError), `bug, not validation: ${(e as Error).stack}`);
    assert.ok(e.message.length > 0, 'empty message');
  }
}

const noisy = fc.oneof(fc.string({ maxLength: 80 }), fc.string({ unit: fc.constantFrom(...'abc09:/@._-[]=,+ \t\n\u0000%'.split('')), maxLength: 60 }));

test('image references: parse or refuse cleanly; canonical forms are stable', () => {
  fc.assert(
    fc.property(noisy, (s) => clean(() => parseReference(s))),
    { numRuns: RUNS },
  );
  // no '.' in path components: a first component with a dot is a registry host, as in docker
  const component = fc.stringMatching(/^[a-z0-9]{1,8}([_-][a-z0-9]{1,8}){0,2}$/);
  const ref = fc.tuple(
    fc.option(fc.constantFrom('localhost:5000', 'reg.example.com', 'docker.io')),
    fc.array(component, { minLength: 1, maxLength: 3 }),
    fc.option(fc.stringMatching(/^[a-zA-Z0-9_][a-zA-Z0-9_.-]{0,20}$/)),
  );
  fc.assert(
    fc.property(ref, ([domain, parts, tag]) => {
      const s = `${domain ? `${domain}/` : ''}${parts.join('/')}${tag ? `:${tag}` : ''}`;
      const c = canonical(parseReference(s));
      assert.equal(canonical(parseReference(c)), c, s);
    }),
    { numRuns: RUNS },
  );
});

test('-v and --mount flags: parse or refuse cleanly', () => {
  fc.assert(
    fc.property(noisy, (s) => {
      clean(() => parseVolumeFlag(s));
      clean(() => parseMountFlag(s));
    }),
    { numRuns: RUNS },
  );
  const kv = fc.array(fc.tuple(fc.constantFrom('type', 'source', 'src', 'target', 'dst', 'readonly', 'tmpfs-size', 'bogus'), fc.string({ maxLength: 12 })), {
    maxLength: 5,
  });
  fc.assert(
    fc.property(kv, (pairs) => clean(() => parseMountFlag(pairs.map(([k, v]) => `${k}=${v}`).join(',')))),
    { numRuns: RUNS },
  );
});

test('-p specs: parse or refuse cleanly; results are valid ports', () => {
  const spec = fc.tuple(
    fc.option(fc.constantFrom('127.0.0.1', '0.0.0.0', '[::1]', '300.1.1.1')),
    fc.option(fc.integer({ min: -5, max: 70000 })),
    fc.integer({ min: -5, max: 70000 }),
    fc.option(fc.constantFrom('tcp', 'udp', 'sctp', 'x')),
  );
  fc.assert(
    fc.property(
      fc.oneof(
        noisy,
        spec.map(([ip, h, c, p]) => `${ip ? `${ip}:` : ''}${h !== null ? `${h}:` : ''}${c}${p ? `/${p}` : ''}`),
      ),
      (s) => {
        try {
          for (const r of parsePortSpec(s)) {
            assert.ok(r.containerPort >= 1 && r.containerPort <= 65535, s);
            assert.ok(r.hostPortStart >= 0 && r.hostPortEnd <= 65535, s);
          }
        } catch (e) {
          clean(() => {
            throw e;
          });
        }
      },
    ),
    { numRuns: RUNS },
  );
});

test('--network modes and Dockerfile changes: parse or refuse cleanly', () => {
  fc.assert(
    fc.property(noisy, (s) => clean(() => parseNetworkMode(s))),
    { numRuns: RUNS },
  );
  const instr = fc.constantFrom('CMD', 'ENTRYPOINT', 'ENV', 'LABEL', 'EXPOSE', 'USER', 'WORKDIR', 'VOLUME', 'STOPSIGNAL', 'ONBUILD', 'RUN', 'cmd');
  fc.assert(
    fc.property(fc.array(fc.tuple(instr, noisy), { maxLength: 4 }), (changes) =>
      clean(() =>
        applyChanges(
          {},
          changes.map(([i, a]) => `${i} ${a}`),
        ),
      ),
    ),
    { numRuns: RUNS },
  );
});
