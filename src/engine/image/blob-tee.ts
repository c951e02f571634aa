/**
 * Keeping a layer's blob while it is being unpacked: one read of the input feeds the blob
 * file, its digest and the unpacker (docker's import reads its input once; so does berth).
 */
import { createHash } from 'node:crypto';
import { closeSync, openSync, writeSync } from 'node:fs';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { detectCompression, type Compression } from './compression.js';

/** Passes chunks on unchanged after writing them to `file` and hashing them. */
export class BlobTee extends Transform {
  private readonly hash = createHash('sha256');
  private fd: number;
  bytes = 0;

  constructor(
    readonly file: string,
    private readonly hashing = true,
  ) {
    super({ highWaterMark: 1 << 20 });
    this.fd = openSync(file, 'wx', 0o600);
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    try {
      if (this.hashing) this.hash.update(chunk);
      let done = 0;
      while (done < chunk.length) done += writeSync(this.fd, chunk, done, chunk.length - done);
      this.bytes += chunk.length;
      cb(null, chunk);
    } catch (e) {
      cb(e as Error);
    }
  }

  override _flush(cb: TransformCallback): void {
    this.close();
    cb();
  }

  override _destroy(err: Error | null, cb: (e: Error | null) => void): void {
    this.close();
    cb(err);
  }

  private close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }

  digest(): string {
    return `sha256:${this.hash.digest('hex')}`;
  }
}

/** The stream's compression, from its first bytes (which stay in the stream). */
export async function peekCompression(src: Readable): Promise<Compression> {
  const head = await new Promise<Buffer | null>((resolve, reject) => {
    const onReadable = () => {
      const c = src.read() as Buffer | null;
      if (c === null && !src.readableEnded) return; // not yet
      cleanup();
      // Put it back at once: later, the stream may already have ended and dropped it.
      if (c) src.unshift(c);
      resolve(c);
    };
    const onEnd = () => {
      cleanup();
      resolve(null);
    };
    const onError = (e: Error) => {
      cleanup();
      reject(e);
    };
    const cleanup = () => {
      src.off('readable', onReadable);
      src.off('end', onEnd);
      src.off('error', onError);
    };
    src.on('readable', onReadable);
    src.on('end', onEnd);
    src.on('error', onError);
  });
  return head ? detectCompression(head) : 'none';
}
