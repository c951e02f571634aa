/**
 * The object routes' pure pieces: docker's progress messages and bar, X-Registry-Auth in the
 * shapes clients send, commit's config body as changes, filters in both JSON shapes, `until`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { JsonMessages, humanSize, progressBar } from '../../src/api/image-progress.js';
import { commitChanges } from '../../src/api/image-commit.js';
import { boolFilter, labelsMatch, parseFilters } from '../../src/api/image-wire.js';
import { registryAuth } from '../../src/api/routes/images.js';
import { ApiError } from '../../src/api/errors.js';

/** A ServerResponse stand-in that records what a route wrote. */
function fakeRes() {
  const r = { status: 0, headers: {} as Record<string, unknown>, body: '', ended: false, headersSent: false, destroyed: false };
  const res = {
    writeHead(status: number, headers?: Record<string, unknown>) {
      r.status = status;
      r.headers = headers ?? {};
      r.headersSent = true;
      return res;
    },
    write(s: string) {
      r.body += s;
      return true;
    },
    end(s?: string) {
      if (s) r.body += s;
      r.ended = true;
      return res;
    },
    get headersSent() {
      return r.headersSent;
    },
    get destroyed() {
      return r.destroyed;
    },
    destroy() {
      r.destroyed = true;
    },
  };
  return {
    res: res as unknown as ServerResponse,
    r,
    lines: () =>
      r.body
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l)),
  };
}

test("progress events become docker's JSON messages; the tag goes in id", () => {
  const { res, r, lines } = fakeRes();
  const out = new JsonMessages(res);
  out.progress({ id: '', status: 'latest: Pulling from library/busybox' });
  out.progress({ id: 'abcdef012345', status: 'Pulling fs layer' });
  out.progress({ id: 'abcdef012345', status: 'Downloading', current: 500_000, total: 2_000_000 });
  out.progress({ id: '', status: 'Digest: sha256:00' });
  out.end();
  assert.equal(r.status, 200);
  assert.deepEqual(lines(), [
    { status: 'Pulling from library/busybox', id: 'latest' },
    { status: 'Pulling fs layer', progressDetail: {}, id: 'abcdef012345' },
    {
      status: 'Downloading',
      progressDetail: { current: 500_000, total: 2_000_000 },
      progress: `[============>${' '.repeat(37)}]    500kB/2MB`,
      id: 'abcdef012345',
    },
    { status: 'Digest: sha256:00' },
  ]);
});

test("an error before the first message is a plain answer; after it, docker's errorDetail line", () => {
  const early = fakeRes();
  new JsonMessages(early.res).end(new ApiError(404, 'manifest unknown'));
  assert.equal(early.r.status, 404);
  assert.deepEqual(JSON.parse(early.r.body), { message: 'manifest unknown' });
  const late = fakeRes();
  const out = new JsonMessages(late.res);
  out.write({ stream: 'Step 1/2 : FROM busybox\n' });
  out.end(new Error('The command returned a non-zero code: 3'));
  assert.equal(late.r.status, 200);
  assert.deepEqual(late.lines()[1], { errorDetail: { message: 'The command returned a non-zero code: 3' }, error: 'The command returned a non-zero code: 3' });
  assert.ok(late.r.ended);
});

test("humanSize and the bar follow docker's units", () => {
  assert.equal(humanSize(999), '999B');
  assert.equal(humanSize(1_985_598), '1.986MB');
  assert.equal(humanSize(772_800), '772.8kB');
  assert.equal(progressBar(10, 10), `[${'='.repeat(50)}]      10B/10B`);
  assert.equal(progressBar(1234), '1.234kB');
});

test('X-Registry-Auth: username/password, the auth field, empty, and malformed', () => {
  const req = (v?: string) => ({ headers: v === undefined ? {} : { 'x-registry-auth': v } }) as unknown as IncomingMessage;
  const b64url = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
  assert.deepEqual(registryAuth(req(b64url({ username: 'u', password: 'p?>~', serveraddress: 'localhost:5000' }))), { username: 'u', password: 'p?>~' });
  assert.deepEqual(registryAuth(req(b64url({ auth: Buffer.from('me:se:cret').toString('base64') }))), { username: 'me', password: 'se:cret' });
  assert.equal(registryAuth(req(b64url({}))), undefined);
  assert.equal(registryAuth(req()), undefined);
  assert.throws(
    () => registryAuth(req('%%%not-base64')),
    (e: unknown) => e instanceof ApiError && e.status === 400,
  );
});

test("commit's config body as Dockerfile changes", () => {
  assert.deepEqual(
    commitChanges({
      Cmd: ['echo', 'a b'],
      Env: ['A=1', 'B=x y'],
      Labels: { k: 'v "q"' },
      ExposedPorts: { '80/tcp': {} },
      Volumes: { '/data': {} },
      WorkingDir: '/w',
      User: 'nobody',
      StopSignal: 'SIGINT',
    }),
    [
      'CMD ["echo","a b"]',
      'ENV A="1"',
      'ENV B="x y"',
      'LABEL k="v \\"q\\""',
      'EXPOSE 80/tcp',
      'VOLUME ["/data"]',
      'WORKDIR /w',
      'USER nobody',
      'STOPSIGNAL SIGINT',
    ],
  );
  assert.deepEqual(commitChanges({}), []);
  assert.deepEqual(commitChanges({ Cmd: null, Entrypoint: null }), []);
  assert.throws(() => commitChanges({ Cmd: [1] }), ApiError);
});

test('filters: both JSON shapes, unknown keys refused, booleans, labels', () => {
  const q = (f: unknown) => new URLSearchParams({ filters: JSON.stringify(f) });
  assert.deepEqual(parseFilters(q({ label: { 'a=b': true, c: false } }), ['label']), { label: ['a=b'] });
  assert.deepEqual(parseFilters(q({ label: ['a=b'] }), ['label']), { label: ['a=b'] });
  assert.throws(
    () => parseFilters(q({ colour: ['red'] }), ['label']),
    (e: unknown) => e instanceof ApiError && e.status === 400,
  );
  assert.equal(boolFilter({ dangling: ['true'] }, 'dangling'), true);
  assert.equal(boolFilter({}, 'dangling'), undefined);
  assert.throws(() => boolFilter({ dangling: ['maybe'] }, 'dangling'), ApiError);
  assert.ok(labelsMatch({ a: 'b' }, { label: ['a=b', 'a'] }));
  assert.ok(!labelsMatch({ a: 'b' }, { 'label!': ['a'] }));
});
