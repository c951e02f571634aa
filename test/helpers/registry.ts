/**
 * Local registries for tests: Debian's docker-registry on a random 127.0.0.1 port with its own
 * config and storage (optionally htpasswd with a cheap bcrypt cost, or Bearer tokens from a
 * small token service here: RS256 JWTs with the signing certificate in x5c, as distribution
 * verifies them). Stopped by PID.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, rmSync, readdirSync, existsSync, openSync, closeSync } from 'node:fs';
import { createServer as netServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stopChild } from './child-process.js';
import { FORWARD, logLines, serverReady, spawnNodeServer } from './node-server.js';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = netServer();
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (typeof a === 'object' && a ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * The token service runs in a child process: tests block in spawnSync while berth talks to it.
 * Anonymous callers get tokens granting nothing; known users get the scopes they ask for.
 */
const TOKEN_SERVER = `
const { createServer } = require('node:http');
const { createPrivateKey, createSign, randomBytes } = require('node:crypto');
const { appendFileSync } = require('node:fs');
const users = JSON.parse(process.env.TS_USERS);
const key = createPrivateKey(process.env.TS_KEY);
const der = process.env.TS_CERT;
const b64url = (b) => Buffer.from(b).toString('base64url');
const server = createServer((req, res) => {
  const u = new URL(req.url || '/', 'http://x');
  const scope = u.searchParams.getAll('scope');
  let user;
  const auth = req.headers.authorization;
  if (auth && auth.startsWith('Basic ')) {
    const [n, p] = Buffer.from(auth.slice(6), 'base64').toString().split(':');
    if (!n || users[n] !== p) { res.writeHead(401, { 'content-type': 'application/json' }).end('{"details":"incorrect username or password"}'); return; }
    user = n;
  }
  appendFileSync(process.env.TS_LOG, JSON.stringify({ scope, user }) + '\\n');
  const access = user ? scope.map((s) => { const [type, name, actions] = s.split(':'); return { type, name, actions: (actions || '').split(',').filter(Boolean) }; }) : [];
  const now = Math.floor(Date.now() / 1000);
  const header = { alg: 'RS256', typ: 'JWT', x5c: [der] };
  const claims = { iss: 'berth-test-issuer', sub: user || '', aud: u.searchParams.get('service') || '', exp: now + 300, nbf: now - 10, iat: now, jti: randomBytes(8).toString('hex'), access };
  const body = b64url(JSON.stringify(header)) + '.' + b64url(JSON.stringify(claims));
  const token = body + '.' + b64url(createSign('RSA-SHA256').update(body).sign(key));
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token, access_token: token, expires_in: 300, issued_at: new Date().toISOString() }));
});
server.listen(Number(process.env.TS_PORT), '127.0.0.1', () => process.stdout.write('ready\\n'));
`;

export class TokenService {
  proc?: ChildProcess;
  port = 0;
  readonly certFile: string;
  private readonly keyFile: string;
  constructor(
    readonly dir: string,
    readonly users: Record<string, string>,
  ) {
    this.keyFile = join(dir, 'token.key');
    this.certFile = join(dir, 'token.crt');
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', this.keyFile, '-out', this.certFile, '-days', '2', '-subj', '/CN=berth-test-token'],
      { stdio: 'ignore' },
    );
  }
  get realm(): string {
    return `http://127.0.0.1:${this.port}/token`;
  }
  /** The token requests made so far. */
  get requests(): { scope: string[]; user?: string }[] {
    return logLines(join(this.dir, 'requests.log')).map((l) => JSON.parse(l));
  }
  async start(): Promise<void> {
    this.port = await freePort();
    const env = {
      TS_USERS: JSON.stringify(this.users),
      TS_KEY: readFileSync(this.keyFile, 'utf8'),
      TS_CERT: readFileSync(this.certFile, 'utf8').replace(/-----[^-]+-----|\s/g, ''),
      TS_LOG: join(this.dir, 'requests.log'),
      TS_PORT: String(this.port),
    };
    this.proc = spawnNodeServer(TOKEN_SERVER, env);
    await serverReady(this.proc, 'token service');
  }
  async stop(): Promise<void> {
    await stopChild(this.proc);
  }
}

export class LocalRegistry {
  proc?: ChildProcess;
  port = 0;
  readonly dir: string;
  readonly storage: string;
  private constructor(readonly opts: { htpasswd?: Record<string, string>; token?: TokenService }) {
    this.dir = mkdtempSync(join(tmpdir(), 'berth-registry-'));
    this.storage = join(this.dir, 'data');
  }

  /** host:port as a reference's domain (localhost, as the tutorials write it). */
  get host(): string {
    return `localhost:${this.port}`;
  }

  static async start(opts: { htpasswd?: Record<string, string>; token?: TokenService } = {}): Promise<LocalRegistry> {
    const r = new LocalRegistry(opts);
    await r.boot();
    return r;
  }

  private async boot(): Promise<void> {
    this.port = await freePort();
    let auth = '';
    if (this.opts.htpasswd) {
      const lines = Object.entries(this.opts.htpasswd).map(([u, p]) => execFileSync('htpasswd', ['-Bbn', '-C', '5', u, p], { encoding: 'utf8' }).trim());
      writeFileSync(join(this.dir, 'htpasswd'), `${lines.join('\n')}\n`);
      auth = `auth:\n  htpasswd:\n    realm: berth-test\n    path: ${join(this.dir, 'htpasswd')}\n`;
    } else if (this.opts.token) {
      const t = this.opts.token;
      auth = `auth:\n  token:\n    realm: ${t.realm}\n    service: berth-test-registry\n    issuer: berth-test-issuer\n    rootcertbundle: ${t.certFile}\n`;
    }
    const cfg = join(this.dir, 'config.yml');
    writeFileSync(
      cfg,
      `version: 0.1\nlog:\n  level: info\n  accesslog:\n    disabled: true\nstorage:\n  filesystem:\n    rootdirectory: ${this.storage}\n  delete:\n    enabled: true\nhttp:\n  addr: 127.0.0.1:${this.port}\n${auth}`,
    );
    // the log goes to a file: tests block in spawnSync, and a full pipe would stall the registry
    const fd = openSync(this.logFile, 'a');
    this.proc = spawn('docker-registry', ['serve', cfg], { stdio: ['ignore', fd, fd] });
    closeSync(fd);
    for (let i = 0; i < 100; i++) {
      try {
        const res = await fetch(`http://127.0.0.1:${this.port}/v2/`);
        await res.arrayBuffer();
        return;
      } catch {
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    throw new Error(`registry did not start: ${this.log}`);
  }

  get logFile(): string {
    return join(this.dir, 'registry.log');
  }

  get log(): string {
    try {
      return readFileSync(this.logFile, 'utf8');
    } catch {
      return '';
    }
  }

  /** Requests the registry logged with this method whose URI contains `part`. */
  count(method: string, part: string): number {
    return this.log.split('\n').filter((l) => l.includes(`http.request.method=${method}`) && l.includes(part) && l.includes('response completed')).length;
  }

  /** The file holding a blob in the registry's storage. */
  blobFile(digest: string): string {
    const hex = digest.replace(/^sha256:/, '');
    return join(this.storage, 'docker/registry/v2/blobs/sha256', hex.slice(0, 2), hex, 'data');
  }

  async stop(): Promise<void> {
    const p = this.proc;
    const running = () => !!p?.pid && p.exitCode === null && p.signalCode === null;
    if (running()) {
      const gone = new Promise((r) => p!.once('exit', r));
      p!.kill('SIGTERM');
      await Promise.race([gone, new Promise((r) => setTimeout(r, 3000))]);
      if (running()) p!.kill('SIGKILL');
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export function listTree(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true }).map(String);
}

/**
 * A proxy in front of a registry that breaks the first download of every blob halfway (the
 * connection is destroyed after half the bytes), in a child process. Counts Range requests.
 */
const FLAKY_PROXY = `
const http = require('node:http');
const { appendFileSync } = require('node:fs');
${FORWARD}
const target = Number(process.env.FP_TARGET);
const broken = new Set();
http.createServer((req, res) => {
  const blob = req.method === 'GET' && /\\/blobs\\/sha256:/.test(req.url);
  if (req.headers.range) appendFileSync(process.env.FP_LOG, req.headers.range + '\\n');
  forward(req, res, target, (ur) => {
    const breakIt = blob && !req.headers.range && !broken.has(req.url) && Number(ur.headers['content-length']) > 1000;
    res.writeHead(ur.statusCode, ur.headers);
    if (!breakIt) return ur.pipe(res);
    broken.add(req.url);
    const half = Math.floor(Number(ur.headers['content-length']) / 2);
    let sent = 0;
    ur.on('data', (c) => {
      if (sent >= half) return;
      const part = c.subarray(0, Math.min(c.length, half - sent));
      sent += part.length;
      res.write(part);
      if (sent >= half) setTimeout(() => { res.socket.destroy(); ur.destroy(); }, 20);
    });
  });
}).listen(Number(process.env.FP_PORT), '127.0.0.1', () => process.stdout.write('ready\\n'));
`;

export class FlakyProxy {
  proc?: ChildProcess;
  port = 0;
  readonly log: string;
  constructor(
    readonly target: number,
    dir: string,
  ) {
    this.log = join(dir, 'flaky-ranges.log');
  }
  get host(): string {
    return `localhost:${this.port}`;
  }
  ranges(): string[] {
    return logLines(this.log);
  }
  async start(): Promise<void> {
    this.port = await freePort();
    this.proc = spawnNodeServer(FLAKY_PROXY, { FP_TARGET: String(this.target), FP_PORT: String(this.port), FP_LOG: this.log });
    await serverReady(this.proc, 'proxy');
  }
  async stop(): Promise<void> {
    await stopChild(this.proc);
  }
}
