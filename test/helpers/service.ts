/**
 * `berth system service` for a test: the real bin/berth serving docker's API on a socket in
 * the sandbox's directory with the sandbox's state (so `berth ps` in the same Sandbox sees what
 * clients did), waited for by `_ping`, stopped by its PID. `dockerEnv` points docker's CLI,
 * docker-py and docker-compose at it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { BERTH, Sandbox } from './berth.js';
import { stopChild } from './child-process.js';

export interface ApiResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  json<T = any>(): T;
}

/** One HTTP request over a unix socket (no keep-alive), the whole answer collected. */
export function apiRequest(socketPath: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse> {
  return new Promise((resolve, reject) => {
    const data =
      body === undefined ? undefined : Buffer.isBuffer(body) ? body : typeof body === 'string' ? Buffer.from(body) : Buffer.from(JSON.stringify(body));
    const req = request(
      {
        socketPath,
        method,
        path,
        agent: false,
        headers: { ...(data ? { 'Content-Type': 'application/json', 'Content-Length': String(data.length) } : {}), ...headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const buf = Buffer.concat(chunks);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: buf, json: () => JSON.parse(buf.toString()) });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    // an answer that never comes fails the test instead of hanging it
    req.setTimeout(120_000, () => req.destroy(new Error(`no answer to ${method} ${path} in 120 s`)));
    req.end(data);
  });
}

export class Service {
  readonly socket: string;
  private child?: ChildProcess;
  stderr = '';

  constructor(
    readonly box: Sandbox,
    readonly extraArgs: string[] = ['--time', '0'],
    socketName = 'berth.sock',
  ) {
    this.socket = join(box.dir, socketName);
  }

  get host(): string {
    return `unix://${this.socket}`;
  }
  /** The sandbox's environment with DOCKER_HOST at the service (and no docker config of the host). */
  get dockerEnv(): NodeJS.ProcessEnv {
    return { ...this.box.env, DOCKER_HOST: this.host, DOCKER_CONFIG: join(this.box.dir, 'docker-config'), DOCKER_CONTEXT: '' };
  }
  get pid(): number | undefined {
    return this.child?.pid;
  }

  async start(deadlineMs = 60_000): Promise<this> {
    this.child = spawn(BERTH, ['system', 'service', this.host, ...this.extraArgs], { env: this.box.env, stdio: ['ignore', 'ignore', 'pipe'] });
    this.child.stderr!.on('data', (c: Buffer) => {
      this.stderr += c.toString();
    });
    const end = Date.now() + deadlineMs;
    for (;;) {
      if (this.child.exitCode !== null) throw new Error(`berth system service exited ${this.child.exitCode}: ${this.stderr}`);
      try {
        const r = await apiRequest(this.socket, 'GET', '/_ping');
        if (r.status === 200) return this;
      } catch {
        // not listening yet
      }
      if (Date.now() > end) throw new Error(`berth system service did not answer _ping in ${deadlineMs} ms: ${this.stderr}`);
      await sleep(100);
    }
  }

  request(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<ApiResponse> {
    return apiRequest(this.socket, method, path, body, headers);
  }

  get running(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }

  async stop(): Promise<void> {
    await stopChild(this.child, 20_000);
  }
}
