/**
 * `ssh://` as docker does it (docker/cli's connhelper): each connection is
 * `ssh -o ConnectTimeout=30 -T [-l USER] [-p PORT] -- HOST docker system dial-stdio`, in a session
 * of its own (setsid), and HTTP goes over the child's stdin/stdout. The system ssh is used, not a
 * JS client, so ~/.ssh/config, keys, the agent, known_hosts and ProxyJump apply exactly as for
 * docker, and nothing native is loaded into berth's Node. Without a terminal (setsid) ssh cannot
 * prompt: a password or an unknown host key fails the connection instead of stealing the
 * dashboard's keystrokes, as with docker.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { Duplex } from 'node:stream';

export interface SshTarget {
  user?: string;
  host: string;
  port?: number;
  /** The daemon's socket on the remote machine, when not the remote docker's default. */
  socket?: string;
  /** Extra `ssh` options (tests pass -i, -F, UserKnownHostsFile). From BERTH_SSH_OPTS too. */
  sshArgs?: string[];
}

/**
 * docker's `docker system dial-stdio` where the host has docker and a daemon for it (DOCKER_HOST,
 * or docker's socket), else berth's own (a host that runs berth and no daemon; its docker CLI, if
 * any, may be there only to talk to berth), else docker's (whose error then says what is missing).
 * One `sh -c` word, single-quoted, so any login shell (fish, csh) passes it on unchanged.
 */
const PICK_REMOTE =
  'if command -v docker >/dev/null 2>&1 && { [ -n "$DOCKER_HOST" ] || [ -S /var/run/docker.sock ]; }; then exec docker system dial-stdio; fi; ' +
  'command -v berth >/dev/null 2>&1 && exec berth system dial-stdio; exec docker system dial-stdio';
export const DEFAULT_REMOTE = ['sh', '-c', `'${PICK_REMOTE}'`];

export function sshArgsFor(t: SshTarget): string[] {
  const extra = t.sshArgs ?? (process.env.BERTH_SSH_OPTS ? process.env.BERTH_SSH_OPTS.split(/\s+/).filter(Boolean) : []);
  const timeout = extra.some((a) => /ConnectTimeout/i.test(a)) ? [] : ['-o', 'ConnectTimeout=30'];
  // BERTH_SSH_REMOTE picks the remote command; a socket path means a daemon's, so docker's CLI
  const custom = process.env.BERTH_SSH_REMOTE?.split(/\s+/).filter(Boolean);
  const remote = custom?.length ? custom : t.socket ? ['docker', `--host=unix://${t.socket}`, 'system', 'dial-stdio'] : DEFAULT_REMOTE;
  return [...timeout, ...extra, '-T', ...(t.user ? ['-l', t.user] : []), ...(t.port ? ['-p', String(t.port)] : []), '--', t.host, ...remote];
}

/**
 * The ssh child's stdio as one duplex stream that node's http client can use as its socket.
 * Its end comes when the child has exited: a child that fails before saying anything (no route,
 * auth refused, no docker there) fails the stream with ssh's own words instead of a bare EOF.
 */
class SshStream extends Duplex {
  private stderr = '';
  private answered = false;
  constructor(private readonly child: ChildProcess) {
    super();
    child.stdout!.on('data', (d: Buffer) => {
      this.answered = true;
      if (!this.push(d)) child.stdout!.pause();
    });
    child.stderr!.on('data', (d: Buffer) => {
      this.stderr = (this.stderr + d.toString()).slice(-4000);
    });
    child.on('error', (e) => this.destroy(e));
    child.on('close', (code, signal) => {
      if (this.destroyed) return;
      if (!this.answered && (code || signal)) {
        const why = this.stderr.trim() || 'no message';
        // 255 is ssh's own failure (connection, auth, host key); anything else is the remote
        // command's, which needs a docker CLI of 18.09 or later there.
        const hint = code === 255 ? '' : ' (is Docker 18.09 or later installed on the remote host?)';
        this.destroy(new Error(`ssh exited with ${code ?? signal}: ${why}${hint}`));
      } else this.push(null);
    });
    child.stdin!.on('error', () => undefined); // EPIPE after ssh exits: 'close' reports it
  }
  override _read(): void {
    this.child.stdout!.resume();
  }
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (e?: Error | null) => void): void {
    // A write into an ssh that has exited fails with EPIPE; 'close' then fails the stream with
    // ssh's own message, which says why.
    this.child.stdin!.write(chunk, () => cb());
  }
  /** Half-close: the remote dial-stdio sees EOF and closes the write side of its connection. */
  override _final(cb: () => void): void {
    this.child.stdin!.end();
    cb();
  }
  override _destroy(err: Error | null, cb: (e: Error | null) => void): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
    cb(err);
  }
  // What node's http client calls on a socket; an ssh child has no such knobs.
  setTimeout(): this {
    return this;
  }
  setNoDelay(): this {
    return this;
  }
  setKeepAlive(): this {
    return this;
  }
  /** An idle keep-alive connection must not keep berth running (the agent unrefs free sockets). */
  ref(): this {
    this.child.ref();
    for (const s of [this.child.stdin, this.child.stdout, this.child.stderr]) (s as { ref?(): void } | null)?.ref?.();
    return this;
  }
  unref(): this {
    this.child.unref();
    for (const s of [this.child.stdin, this.child.stdout, this.child.stderr]) (s as { unref?(): void } | null)?.unref?.();
    return this;
  }
}

/** One connection to the remote daemon: a new ssh child. */
export function sshConnect(t: SshTarget): Duplex {
  const child = spawn('ssh', sshArgsFor(t), { stdio: ['pipe', 'pipe', 'pipe'], detached: true });
  return new SshStream(child);
}
