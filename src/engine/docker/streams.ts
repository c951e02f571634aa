/**
 * Docker's stream framing and the wiring of a hijacked connection to a ProcessIO.
 * Without a tty, output is multiplexed: frames of [stream(1) 0 0 0 size(4, BE)] + payload,
 * stream 1 = stdout, 2 = stderr. With a tty it is the raw terminal byte stream.
 */
import type { Duplex, Readable } from 'node:stream';
import type { ProcessIO } from '../api.js';

/** Calls `out(stream, bytes)` for each frame of a multiplexed stream, across chunk boundaries. */
export class Demuxer {
  private buf: Buffer = Buffer.alloc(0);
  constructor(private readonly out: (stream: 'stdout' | 'stderr', data: Buffer) => void) {}
  push(chunk: Buffer): void {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    while (this.buf.length >= 8) {
      const size = this.buf.readUInt32BE(4);
      if (this.buf.length < 8 + size) break;
      const kind = this.buf[0];
      const data = this.buf.subarray(8, 8 + size);
      this.buf = this.buf.subarray(8 + size);
      this.out(kind === 2 ? 'stderr' : 'stdout', data);
    }
  }
}

/** Splits text into lines per stream, keeping the unfinished tail until more arrives. */
export class LineSplitter {
  private tails = { stdout: '', stderr: '' };
  push(stream: 'stdout' | 'stderr', data: Buffer | string): string[] {
    const text = this.tails[stream] + data.toString();
    const parts = text.split('\n');
    this.tails[stream] = parts.pop() ?? '';
    return parts;
  }
  /** What is left at the end of the stream (lines without a final newline). */
  flush(): { stream: 'stdout' | 'stderr'; text: string }[] {
    const out = (['stdout', 'stderr'] as const).filter((s) => this.tails[s]).map((s) => ({ stream: s, text: this.tails[s] }));
    this.tails = { stdout: '', stderr: '' };
    return out;
  }
}

/**
 * Pumps a hijacked connection: its output to io.stdout/io.stderr (demultiplexed unless tty),
 * io.stdin into it (raw mode on a terminal), until the daemon closes the connection.
 */
export function pumpHijacked(sock: Duplex, io: ProcessIO, opts: { tty: boolean; stdin: boolean; onResize?: (w: number, h: number) => void }): Promise<void> {
  return new Promise<void>((resolve) => {
    const demux = opts.tty ? undefined : new Demuxer((s, d) => (s === 'stderr' ? io.stderr : io.stdout).write(d));
    const stdin = opts.stdin ? io.stdin : undefined;
    let raw = false;
    const onData = (d: Buffer) => sock.write(d);
    const onEnd = () => {
      // Half-close: the process sees EOF on its stdin; its output keeps coming.
      (sock as Duplex & { end(): void }).end();
    };
    const resize = () => opts.onResize?.(io.stdout.columns ?? 80, io.stdout.rows ?? 24);
    if (stdin) {
      if (opts.tty && stdin.isTTY && stdin.setRawMode) {
        stdin.setRawMode(true);
        raw = true;
      }
      stdin.on('data', onData);
      stdin.on('end', onEnd);
      stdin.resume();
    }
    if (opts.tty && opts.onResize) {
      resize();
      io.stdout.on?.('resize', resize);
    }
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      if (stdin) {
        stdin.off('data', onData);
        stdin.off('end', onEnd);
        stdin.pause();
        if (raw) stdin.setRawMode?.(false);
      }
      if (opts.tty && opts.onResize) (io.stdout as unknown as { off?(e: string, f: () => void): void }).off?.('resize', resize);
      resolve();
    };
    sock.on('data', (d: Buffer) => (demux ? demux.push(d) : io.stdout.write(d)));
    sock.on('end', finish);
    sock.on('close', finish);
    sock.on('error', finish);
  });
}

/** Drains a stream whose content does not matter (e.g. a wait's body) into a string. */
export async function text(stream: Readable): Promise<string> {
  let s = '';
  for await (const c of stream) s += (c as Buffer).toString();
  return s;
}
