/**
 * A cancelled pull on a Docker host: the backend closes its images/create request (dockerd stops
 * a pull no client waits for), and the pull rejects with the abort's reason, without asking the
 * daemon for the image afterwards. A node:http server on a unix socket plays the daemon: it sends
 * progress lines slowly and records when the client goes away.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DockerEngine } from '../../src/engine/docker/engine.js';

let dir: string;
let server: Server;
const requests: string[] = [];
let closedEarly = false;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'berth-pull-cancel-'));
  server = createServer((req, res) => {
    const url = (req.url ?? '').split('?')[0]!;
    requests.push(`${req.method} ${url}`);
    if (url === '/_ping') {
      res.writeHead(200, { 'API-Version': '1.41', 'Content-Type': 'text/plain' });
      return void res.end(req.method === 'HEAD' ? undefined : 'OK');
    }
    if (url.endsWith('/images/create')) {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      let n = 0;
      const t = setInterval(() => {
        n++;
        res.write(`${JSON.stringify({ id: 'aaa111', status: 'Downloading', progressDetail: { current: n * 1000, total: 1_000_000 } })}\n`);
      }, 50);
      res.on('close', () => {
        clearInterval(t);
        if (!res.writableFinished) closedEarly = true;
      });
      return;
    }
    res.writeHead(404, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ message: `unexpected ${req.method} ${url}` }));
  });
  await new Promise<void>((r) => server.listen(join(dir, 'docker.sock'), r));
});

after(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  rmSync(dir, { recursive: true, force: true });
});

test('aborting a pull on a Docker host closes its request and rejects with the reason', async () => {
  const engine = new DockerEngine({ host: `unix://${join(dir, 'docker.sock')}` });
  try {
    const cancel = new AbortController();
    const events: string[] = [];
    const pulling = engine.images.pull!('busybox:latest', {
      signal: cancel.signal,
      progress: (e) => {
        events.push(e.status);
        if (events.length === 3) cancel.abort();
      },
    });
    await assert.rejects(pulling, (e: Error) => e.name === 'AbortError');
    assert.equal(events.length >= 3, true);
    // the server sees the connection go (poll: its close event comes a moment later)
    const deadline = Date.now() + 10_000;
    while (!closedEarly && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.ok(closedEarly, 'the images/create request was not closed');
    assert.ok(!requests.some((r) => r.includes('/images/busybox')), `no inspect after a cancel: ${requests.join(', ')}`);
    // a signal aborted before the call: nothing is asked of the daemon
    const n = requests.filter((r) => r.endsWith('/images/create')).length;
    await assert.rejects(engine.images.pull!('busybox:latest', { signal: AbortSignal.abort() }), (e: Error) => e.name === 'AbortError');
    assert.equal(requests.filter((r) => r.endsWith('/images/create')).length, n);
  } finally {
    await engine.close();
  }
});
