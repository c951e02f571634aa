/**
 * A static web server of a test's own on 127.0.0.1, in a child process (the tests block in
 * spawnSync while berth or a docker CLI downloads from it): URL paths mapped to files, 404 for
 * the rest.
 */
import type { ChildProcess } from 'node:child_process';
import { stopChild } from './child-process.js';
import { spawnNodeServer } from './node-server.js';

const SCRIPT = `
const http = require('node:http');
const fs = require('node:fs');
const files = JSON.parse(process.env.WEB_FILES);
const server = http.createServer((req, res) => {
  const file = files[req.url];
  if (!file) return void res.writeHead(404).end('no such file');
  res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': fs.statSync(file).size });
  fs.createReadStream(file).pipe(res);
});
server.listen(0, '127.0.0.1', () => process.stdout.write(server.address().port + '\\n'));
`;

export class WebServer {
  private constructor(
    private readonly proc: ChildProcess,
    readonly port: number,
  ) {}

  static async start(files: Record<string, string>): Promise<WebServer> {
    const proc = spawnNodeServer(SCRIPT, { WEB_FILES: JSON.stringify(files) });
    const port = await new Promise<number>((resolve, reject) => {
      proc.stdout!.once('data', (b: Buffer) => resolve(Number(b.toString().trim())));
      proc.once('exit', (c) => reject(new Error(`the web server exited ${c}`)));
    });
    return new WebServer(proc, port);
  }

  get base(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  stop(): Promise<void> {
    return stopChild(this.proc);
  }
}
