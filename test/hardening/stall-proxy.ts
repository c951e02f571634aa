/**
 * A proxy in front of a local registry that can hold a response part-way, so a test can kill
 * `berth pull` at a known point: while a manifest is awaited, half-way through a layer. The
 * rule is a file the proxy reads on every request ({"match": REGEX on "METHOD URL",
 * "afterBytes": N}; none: pass everything). A held response sends its headers and N body bytes
 * (nothing at all when N is 0), logs "stalled METHOD URL N" and waits until its client goes
 * away. It runs in a child process, as tests block in spawnSync while berth talks to it.
 */
import type { ChildProcess } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stopChild } from '../helpers/child-process.js';
import { FORWARD, logLines, serverReady, spawnNodeServer } from '../helpers/node-server.js';
import { freePort } from '../helpers/registry.js';

const STALL_PROXY = `
const http = require('node:http');
const { appendFileSync, readFileSync } = require('node:fs');
${FORWARD}
const target = Number(process.env.SP_TARGET);
const rule = () => { try { return JSON.parse(readFileSync(process.env.SP_RULE, 'utf8')); } catch { return null; } };
http.createServer((req, res) => {
  const r = rule();
  const what = req.method + ' ' + req.url;
  const hold = r && new RegExp(r.match).test(what) ? r.afterBytes : -1;
  forward(req, res, target, (ur) => {
    res.on('close', () => ur.destroy());
    if (hold < 0) { res.writeHead(ur.statusCode, ur.headers); ur.pipe(res); return; }
    const stall = (n) => { ur.pause(); appendFileSync(process.env.SP_LOG, 'stalled ' + what + ' ' + n + '\\n'); };
    if (hold === 0) { stall(0); return; }
    res.writeHead(ur.statusCode, ur.headers);
    let sent = 0;
    ur.on('data', (c) => {
      const part = c.subarray(0, Math.max(0, Math.min(c.length, hold - sent)));
      sent += part.length;
      if (part.length) res.write(part);
      if (sent >= hold) stall(sent);
    });
    ur.on('end', () => res.end());
  });
}).listen(Number(process.env.SP_PORT), '127.0.0.1', () => process.stdout.write('ready\\n'));
`;

export class StallProxy {
  proc?: ChildProcess;
  port = 0;
  private readonly ruleFile: string;
  private readonly logFile: string;
  constructor(
    readonly target: number,
    dir: string,
  ) {
    this.ruleFile = join(dir, 'stall-rule.json');
    this.logFile = join(dir, 'stall.log');
  }
  get host(): string {
    return `localhost:${this.port}`;
  }
  /** Holds responses to requests matching `match` after `afterBytes` body bytes. */
  stall(match: RegExp, afterBytes: number): void {
    writeFileSync(this.ruleFile, JSON.stringify({ match: match.source, afterBytes }));
    rmSync(this.logFile, { force: true });
  }
  /** Passes everything from now on. */
  clear(): void {
    rmSync(this.ruleFile, { force: true });
    rmSync(this.logFile, { force: true });
  }
  /** The responses held since the last stall(). */
  stalled(): string[] {
    return logLines(this.logFile);
  }
  async start(): Promise<void> {
    this.port = await freePort();
    this.proc = spawnNodeServer(STALL_PROXY, { SP_TARGET: String(this.target), SP_PORT: String(this.port), SP_RULE: this.ruleFile, SP_LOG: this.logFile });
    await serverReady(this.proc, 'stall proxy');
  }
  async stop(): Promise<void> {
    await stopChild(this.proc);
  }
}
