/**
 * `ssh://` as docker does it: each connection is `ssh [-l user] [-p port] host -- docker system
 * dial-stdio`, and HTTP goes over the child's stdin/stdout. The system ssh is used (not a JS
 * client) so the user's ~/.ssh/config, keys, agent and known_hosts apply exactly as for docker.
 * BatchMode: a dashboard cannot answer a password prompt, so failing fast is better.
 * Keep-alive reuses connections, so a dashboard holds a few ssh children, not one per request.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { Agent } from 'node:http';
import { http } from '../lazy-http.js';
import { Duplex } from 'node:stream';
import type { Socket } from 'node:net';

export interface SshTarget {
  user?: string;
  host: string;
  port?: number;
  /** Extra `ssh` options (tests pass -i, -F, UserKnownHostsFile). From BERTH_SSH_OPTS too. */
  sshArgs?: string[];
}

/** The ssh child's stdio as one duplex stream, so node's http client can use it as a socket. */
class ChildStream extends Duplex {
  private stderr = '';
  constructor(private readonly child: ChildProcess) {
    super();
    child.stdout!.on('data', (d: Buffer) => {
      if (!this.push(d)) child.stdout!.pause();
    });
    child.stdout!.on('end', () => this.push(null));
    child.stderr!.on('data', (d: Buffer) => {
      this.stderr = (this.stderr + d.toString()).slice(-2000);
    });
    child.on('error', (e) => this.destroy(e));
    child.on('exit', (code) => {
      if (code && !this.destroyed && this.readableLength === 0) {
        this.destroy(new Error(`ssh exited with ${code}: ${this.stderr.trim() || 'no message'}`));
      }
    });
    child.stdin!.on('error', () => undefined); // EPIPE after ssh exits: the exit reports it
  }
  override _read(): void {
    this.child.stdout!.resume();
  }
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (e?: Error | null) => void): void {
    this.child.stdin!.write(chunk, cb);
  }
  override _final(cb: () => void): void {
    this.child.stdin!.end();
    cb();
  }
  override _destroy(err: Error | null, cb: (e: Error | null) => void): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
    cb(err);
  }
  // node's http client calls these on sockets.
  setTimeout(): this {
    return this;
  }
  setNoDelay(): this {
    return this;
  }
  setKeepAlive(): this {
    return this;
  }
  ref(): this {
    return this;
  }
  unref(): this {
    return this;
  }
}

export function sshArgsFor(t: SshTarget): string[] {
  const extra = t.sshArgs ?? (process.env.BERTH_SSH_OPTS ? process.env.BERTH_SSH_OPTS.split(/\s+/).filter(Boolean) : []);
  return [
    '-o', 'BatchMode=yes',
    '-o', 'ConnectTimeout=10',
    '-o', 'ServerAliveInterval=15',
    ...extra,
    ...(t.user ? ['-l', t.user] : []),
    ...(t.port ? ['-p', String(t.port)] : []),
    '--', t.host,
    'docker', 'system', 'dial-stdio',
  ];
}

export function sshDialAgent(t: SshTarget): Agent {
  const agent = new (http().Agent)({ keepAlive: true, maxSockets: 8, maxFreeSockets: 2 });
  const args = sshArgsFor(t);
  (agent as unknown as { createConnection: (o: object, cb: (e: Error | null, s?: Socket) => void) => Socket }).createConnection = () => {
    const child = spawn('ssh', args, { stdio: ['pipe', 'pipe', 'pipe'] });
    return new ChildStream(child) as unknown as Socket;
  };
  return agent;
}
