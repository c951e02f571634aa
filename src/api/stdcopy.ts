/**
 * docker's stdcopy framing for non-tty streams: each chunk behind an 8-byte header
 * [stream, 0, 0, 0, size as big-endian uint32], stream 0 = stdin, 1 = stdout, 2 = stderr.
 */
import { Writable } from 'node:stream';

export type StreamId = 0 | 1 | 2;

export function frame(stream: StreamId, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head[0] = stream;
  head.writeUInt32BE(data.length, 4);
  return Buffer.concat([head, data]);
}

/** A Writable that frames everything written to it onto `out` as `stream`. */
export function framedWriter(out: Writable, stream: StreamId): Writable {
  return new Writable({
    write(chunk: Buffer, _enc, cb) {
      if (chunk.length === 0 || out.destroyed || out.writableEnded) return cb();
      out.write(frame(stream, chunk), () => cb());
    },
  });
}

/** Splits a multiplexed byte stream back into frames (clients of the tests, dial-stdio checks). */
export class Demuxer {
  private buf = Buffer.alloc(0);
  constructor(private readonly onFrame: (stream: number, data: Buffer) => void) {}
  push(chunk: Buffer): void {
    this.buf = Buffer.concat([this.buf, chunk]);
    while (this.buf.length >= 8) {
      const size = this.buf.readUInt32BE(4);
      if (this.buf.length < 8 + size) break;
      this.onFrame(this.buf[0]!, this.buf.subarray(8, 8 + size));
      this.buf = this.buf.subarray(8 + size);
    }
  }
}
