/**
 * A registry front that sends blob downloads elsewhere, as registries backed by object storage
 * do (307 to a pre-signed URL that needs no credentials). The "elsewhere" listens on a port
 * whose digits start with the front's own (front 4711, store 47113): a client that tells the
 * registry from other servers by a string prefix sends its credentials there. The store serves
 * blobs straight from the registry's storage and logs only whether a request carried an
 * Authorization header, never its value. One child process, both servers.
 */
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { stopChild } from '../helpers/child-process.js';
import { FORWARD, logLines, serverReady, spawnNodeServer } from '../helpers/node-server.js';

const FRONT = `
const http = require('node:http');
const { appendFileSync, createReadStream, existsSync } = require('node:fs');
${FORWARD}
const target = Number(process.env.RF_TARGET);
const [front, store] = [Number(process.env.RF_FRONT), Number(process.env.RF_STORE)];
const blob = /^\\/v2\\/.+\\/blobs\\/sha256:([a-f0-9]{64})$/;
const s1 = http.createServer((req, res) => {
  const m = req.method === 'GET' && blob.exec(req.url);
  if (m) { res.writeHead(307, { location: 'http://localhost:' + store + req.url }).end(); return; }
  forward(req, res, target);
});
const s2 = http.createServer((req, res) => {
  appendFileSync(process.env.RF_LOG, JSON.stringify({ url: req.url, authorization: req.headers.authorization !== undefined }) + '\\n');
  const m = blob.exec(req.url);
  const file = m && process.env.RF_BLOBS + '/' + m[1].slice(0, 2) + '/' + m[1] + '/data';
  if (!file || !existsSync(file)) { res.writeHead(404).end(); return; }
  res.writeHead(200, { 'content-type': 'application/octet-stream' });
  createReadStream(file).pipe(res);
});
const fail = () => process.exit(3); // a port is taken: the parent picks others
s1.on('error', fail); s2.on('error', fail);
s1.listen(front, '127.0.0.1', () => s2.listen(store, '127.0.0.1', () => process.stdout.write('ready\\n')));
`;

/** The Fetch standard's blocked ports between 2000 and 6500 (undici refuses them). */
const FETCH_BAD_PORTS = new Set([2049, 3659, 4045, 4190, 5060, 5061, 6000]);

export class RedirectFront {
  proc?: ChildProcess;
  front = 0;
  store = 0;
  private readonly log: string;
  constructor(
    readonly target: number,
    readonly storage: string,
    dir: string,
  ) {
    this.log = join(dir, 'redirect-store.log');
  }
  get host(): string {
    return `localhost:${this.front}`;
  }
  /** The downloads the store served: which URL, and whether it came with credentials. */
  requests(): { url: string; authorization: boolean }[] {
    return logLines(this.log).map((l) => JSON.parse(l));
  }
  async start(): Promise<void> {
    for (let attempt = 0; attempt < 30; attempt++) {
      // a front port of 4 digits, so that its digits plus one more are a port too; not one of
      // the ports fetch refuses ("bad port": the Fetch standard's list, 5060 failed a run)
      this.front = 2000 + Math.floor(Math.random() * 4500);
      if (FETCH_BAD_PORTS.has(this.front)) continue;
      this.store = this.front * 10 + Math.floor(Math.random() * 10);
      const p = spawnNodeServer(FRONT, {
        RF_TARGET: String(this.target),
        RF_FRONT: String(this.front),
        RF_STORE: String(this.store),
        RF_LOG: this.log,
        RF_BLOBS: join(this.storage, 'docker/registry/v2/blobs/sha256'),
      });
      const up = await serverReady(p, 'redirect front').then(
        () => true,
        () => false,
      );
      if (up) {
        this.proc = p;
        return;
      }
    }
    throw new Error('no free pair of ports for the redirect front');
  }
  async stop(): Promise<void> {
    await stopChild(this.proc);
  }
}
