/**
 * The Docker backend's own HTTP client (client.ts over http-transport.ts) against a node:http
 * server on a unix socket made here, for what a real daemon does not do on demand: a HEAD /_ping
 * that is not answered, error bodies of every status, JSON lines cut anywhere (inside a UTF-8
 * character too), a hijack whose first bytes come with the 101, half-close, and a daemon that
 * answers a hijack without switching protocols. The real daemons' tests (docker-*.test.ts,
 * podman.test.ts) cover the rest end to end.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DockerClient, jsonLines, readAll } from '../../src/engine/docker/client.js';
import { parseHost } from '../../src/engine/docker/endpoint.js';
import { Demuxer } from '../../src/engine/docker/streams.js';
import { isEngineError } from '../../src/engine/errors.js';

let dir: string;
let sock: string;
let server: Server;
/** What the server saw: method, url and the headers that matter here. */
const seen: { method: string; url: string; headers: IncomingMessage['headers']; body: string }[] = [];

const frame = (kind: number, text: string) => {
  const payload = Buffer.from(text);
  const head = Buffer.alloc(8);
  head[0] = kind;
  head.writeUInt32BE(payload.length, 4);
  return Buffer.concat([head, payload]);
};

function answer(req: IncomingMessage, res: ServerResponse, body: string): void {
  const url = (req.url ?? '').split('?')[0]!;
  const json = (status: number, v: unknown) => {
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(v));
  };
  if (url === '/_ping') {
    // An old daemon (or a proxy) that does not answer HEAD: the client must fall back to GET.
    if (req.method === 'HEAD') return void res.writeHead(405).end();
    res.writeHead(200, { 'API-Version': '1.40', 'Content-Type': 'text/plain' });
    return void res.end('OK');
  }
  if (url.endsWith('/echo')) return json(200, { body: JSON.parse(body || 'null'), query: req.url?.split('?')[1] ?? '' });
  if (url.endsWith('/missing')) return json(404, { message: 'No such container: missing' });
  if (url.endsWith('/busy')) return json(409, { message: 'container is in use', cause: 'x', response: 409 });
  if (url.endsWith('/bad')) return json(400, { message: 'invalid reference format' });
  if (url.endsWith('/old'))
    return json(400, { message: 'client version 1.40 is too old. Minimum supported API version is 1.44, please upgrade your client to a newer version' });
  if (url.endsWith('/boom')) {
    res.writeHead(500, { 'Content-Type': 'text/plain' });
    return void res.end('boom\n');
  }
  if (url.endsWith('/empty')) return void res.writeHead(204).end();
  if (url.endsWith('/lines')) {
    // Two JSON lines written in pieces: one cut inside "é" (two bytes in UTF-8), one without a final newline.
    const all = Buffer.from('{"status":"pulling é"}\n{"status":"done"}');
    res.writeHead(200, { 'Content-Type': 'application/json' });
    const cut = all.indexOf(0xc3) + 1;
    res.write(all.subarray(0, cut));
    setTimeout(() => res.end(all.subarray(cut)), 20);
    return;
  }
  if (url.endsWith('/forever')) {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.write('{"n":1}\n');
    return; // never ends: the client's abort must end it
  }
  json(404, { message: `page not found: ${url}` });
}

/** Hijacked requests: read exactly Content-Length bytes of body, then the rest is stdin. */
function upgrade(req: IncomingMessage, socket: Socket, head: Buffer): void {
  const url = req.url ?? '';
  const length = Number(req.headers['content-length'] ?? 0);
  let buf = head;
  let started = false;
  const go = () => {
    if (started || buf.length < length) return;
    started = true;
    const body = buf.subarray(0, length).toString();
    const stdin = buf.subarray(length);
    seen.push({ method: req.method ?? '', url, headers: req.headers, body });
    if (url.includes('/refuse')) {
      socket.end('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nno');
      return;
    }
    if (url.includes('/gone')) {
      const msg = JSON.stringify({ message: 'No such exec instance: gone' });
      socket.end(`HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: ${msg.length}\r\n\r\n${msg}`);
      return;
    }
    // The 101 and the first frame in one write: the client receives them as the head and its rest.
    socket.write(
      Buffer.concat([
        Buffer.from('HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.raw-stream\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n'),
        frame(1, 'hello\n'),
      ]),
    );
    let input = stdin.toString();
    socket.on('data', (d: Buffer) => (input += d.toString()));
    // Half-close: stdin ended, output still flows; then the daemon closes.
    socket.on('end', () => {
      socket.write(frame(1, input.toUpperCase()));
      socket.end(frame(2, 'bye\n'));
    });
  };
  socket.on('data', (d: Buffer) => {
    if (!started) {
      buf = Buffer.concat([buf, d]);
      go();
    }
  });
  go();
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'berth-httpc-'));
  sock = join(dir, 'd.sock');
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      answer(req, res, body);
    });
  });
  server.on('upgrade', upgrade);
  await new Promise<void>((r) => server.listen(sock, r));
});

after(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  rmSync(dir, { recursive: true, force: true });
});

const client = (max?: string) => new DockerClient(parseHost(`unix://${sock}`), max);

test('negotiation: HEAD /_ping, GET when HEAD is refused, the lower API version of the two, in every path', async () => {
  seen.length = 0;
  const c = client();
  try {
    assert.deepEqual(await c.json('POST', '/x/echo', { body: { a: 1 }, query: { all: true, none: false, skip: undefined, names: ['a', 'b'] } }), {
      body: { a: 1 },
      query: 'all=1&none=0&names=a&names=b',
    });
    assert.equal(c.apiVersion, '1.40');
    assert.deepEqual(
      seen.map((s) => `${s.method} ${s.url}`),
      ['HEAD /_ping', 'GET /_ping', 'POST /v1.40/x/echo?all=1&none=0&names=a&names=b'],
    );
    const post = seen[2]!;
    assert.equal(post.headers['content-type'], 'application/json');
    assert.equal(post.headers.host, 'docker');
    assert.equal(post.headers.connection, 'keep-alive');
  } finally {
    await c.close();
  }
  const capped = client('1.30');
  try {
    await capped.json('GET', '/x/empty');
    assert.equal(capped.apiVersion, '1.30');
  } finally {
    await capped.close();
  }
});

test('errors: docker\'s {"message"} as EngineError kinds, in the daemon\'s words; an unreachable socket names the host', async () => {
  const c = client();
  try {
    const fails = async (path: string, kind: string, message: RegExp) =>
      assert.rejects(c.json('GET', path), (e) => isEngineError(e) && e.kind === kind && message.test(e.message));
    await fails('/containers/missing', 'not-found', /^No such container: missing$/);
    await fails('/containers/busy', 'conflict', /^container is in use$/);
    await fails('/images/bad', 'invalid', /^invalid reference format$/);
    await fails('/x/old', 'unsupported', /too old/);
    await fails('/x/boom', 'runtime', /^boom$/);
    // The same for a stream's answer, before any of it is read.
    await assert.rejects(c.stream('GET', '/containers/missing'), (e) => isEngineError(e, 'not-found'));
    assert.equal(await c.json('POST', '/x/empty'), undefined);
  } finally {
    await c.close();
  }
  const nowhere = new DockerClient(parseHost(`unix://${join(dir, 'nothing.sock')}`));
  await assert.rejects(
    nowhere.json('GET', '/info'),
    (e) => isEngineError(e, 'runtime') && /^Cannot connect to the Docker daemon at unix:\/\/.*nothing\.sock\. Is the docker daemon running\?$/.test(e.message),
  );
  await nowhere.close();
});

test('streams: JSON lines cut anywhere (inside a UTF-8 character too); an abort ends a stream that never ends', async () => {
  const c = client();
  try {
    const got: unknown[] = [];
    for await (const l of jsonLines(await c.stream('GET', '/images/lines'))) got.push(l);
    assert.deepEqual(got, [{ status: 'pulling é' }, { status: 'done' }]);
    const ac = new AbortController();
    const res = await c.stream('GET', '/events/forever', { signal: ac.signal });
    const first = await new Promise<Buffer>((r) => res.once('data', r));
    assert.equal(first.toString(), '{"n":1}\n');
    ac.abort();
    await new Promise<void>((r) => (res.destroyed ? r() : res.once('close', () => r())));
    assert.ok(res.destroyed);
  } finally {
    await c.close();
  }
});

test('registry auth goes as docker encodes it: base64url of the JSON, padded', async () => {
  seen.length = 0;
  const c = client();
  try {
    await c.json('POST', '/images/x/echo', { auth: { username: 'u?', password: 'p>' } });
    const h = seen.find((s) => s.url.includes('/images/x/echo'))!.headers['x-registry-auth'] as string;
    assert.match(h, /^[A-Za-z0-9_-]+=*$/);
    assert.equal(h.length % 4, 0);
    assert.deepEqual(JSON.parse(Buffer.from(h, 'base64url').toString()), { username: 'u?', password: 'p>' });
  } finally {
    await c.close();
  }
});

test('hijack: Connection/Upgrade headers, 101 with the first bytes in its packet, stdin half-closed while output flows', async () => {
  seen.length = 0;
  const c = client();
  try {
    const s = await c.hijack('/exec/abc/start', { body: { Detach: false, Tty: false } });
    const req = seen.find((x) => x.url.includes('/exec/abc/start'))!;
    assert.equal(req.headers.connection, 'Upgrade');
    assert.equal(req.headers.upgrade, 'tcp');
    assert.deepEqual(JSON.parse(req.body), { Detach: false, Tty: false });
    const out: string[] = [];
    const demux = new Demuxer((stream, d) => out.push(`${stream}:${d.toString()}`));
    s.on('data', (d: Buffer) => demux.push(d));
    const ended = new Promise<void>((r) => s.once('end', () => r()));
    s.write('some input');
    s.end();
    await ended;
    assert.deepEqual(out, ['stdout:hello\n', 'stdout:SOME INPUT', 'stderr:bye\n']);
  } finally {
    await c.close();
  }
});

test('hijack: a daemon that answers without switching protocols is an error, its own error kept', async () => {
  const c = client();
  try {
    await assert.rejects(
      c.hijack('/containers/x/attach/refuse'),
      (e) => isEngineError(e, 'runtime') && /answered 200 .* instead of switching protocols/.test(e.message),
    );
    await assert.rejects(c.hijack('/exec/gone/start'), (e) => isEngineError(e, 'not-found') && e.message === 'No such exec instance: gone');
    // The connection pool still works after both.
    assert.equal(((await readAll(await c.stream('GET', '/images/lines'))).toString().match(/status/g) ?? []).length, 2);
  } finally {
    await c.close();
  }
});
