/**
 * The ProcessIO a hijacked connection gives the engine: output framed (stdcopy) unless the
 * process has a tty, a terminal size that resize requests change (columns/rows + 'resize', as
 * a tty's WriteStream), stdin from the connection (its half-close is stdin's end). Writes after
 * the client went away are dropped: a vanished client never fails the process it watched.
 */
import { PassThrough, Writable, type Duplex } from 'node:stream';
import type { ProcessIO } from '../engine/api.js';
import { frame, type StreamId } from './stdcopy.js';

/** A Writable onto the connection, framed as `stream` (or raw for a tty), with a terminal size. */
export class ConnOut extends Writable {
  columns?: number;
  rows?: number;
  constructor(
    private readonly conn: Duplex,
    private readonly stream: StreamId | 'raw',
  ) {
    super();
  }
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (e?: Error | null) => void): void {
    if (chunk.length === 0 || this.conn.destroyed || this.conn.writableEnded) return cb();
    const data = this.stream === 'raw' ? chunk : frame(this.stream, chunk);
    if (this.conn.write(data)) cb();
    else {
      const go = () => {
        this.conn.off('drain', go);
        this.conn.off('close', go);
        cb();
      };
      this.conn.once('drain', go);
      this.conn.once('close', go);
    }
  }
  resize(columns: number, rows: number): void {
    this.columns = columns;
    this.rows = rows;
    this.emit('resize');
  }
}

export interface ConnIO extends ProcessIO {
  stdout: ConnOut;
}

/** docker's detach keys ("ctrl-p,ctrl-q", "a,ctrl-x") as the bytes a terminal sends. */
export function detachBytes(spec: string): Buffer {
  const out: number[] = [];
  for (const k of spec.split(',')) {
    const m = /^ctrl-(.)$/.exec(k.trim());
    if (m) out.push(m[1]! === '@' ? 0 : m[1]!.toLowerCase().charCodeAt(0) & 0x1f);
    else if (k.trim().length === 1) out.push(k.trim().charCodeAt(0));
  }
  return Buffer.from(out);
}

/**
 * `detachOnClose`: when the client goes away without ending its side, the engine's attach is
 * detached by typing the detach keys into its stdin (the public attach has no other way to be
 * told), so nothing keeps watching a container for a client that left.
 */
export function connIO(conn: Duplex, opts: { tty: boolean; stdin: boolean; detachOnClose?: string }): ConnIO {
  conn.on('error', () => undefined); // EPIPE/ECONNRESET: the client left; 'close' follows
  const stdout = new ConnOut(conn, opts.tty ? 'raw' : 1);
  const stderr = opts.tty ? stdout : new ConnOut(conn, 2);
  if (!opts.stdin) {
    conn.resume(); // nothing reads the client's bytes: drain them
    return { stdout, stderr };
  }
  const stdin = new PassThrough();
  conn.pipe(stdin, { end: false });
  let ended = false;
  conn.once('end', () => {
    ended = true;
    // The client's half-close: EOF for the process. A terminal client half-closes only when it
    // is done with the session (its input ended, or it detached on its side): detach too, so
    // the engine's attach does not outlive it (and race a later rm -f over the cleanup).
    if (opts.tty && opts.detachOnClose) stdin.write(detachBytes(opts.detachOnClose));
    stdin.end();
  });
  conn.once('close', () => {
    if (ended) return;
    if (opts.detachOnClose) stdin.write(detachBytes(opts.detachOnClose));
    stdin.end();
  });
  return { stdout, stderr, stdin };
}

/** Resolves when the connection is gone (closed, or ended by both sides). */
export function closed(conn: Duplex): Promise<void> {
  return new Promise((resolve) => {
    if (conn.destroyed) return resolve();
    conn.once('close', () => resolve());
  });
}
