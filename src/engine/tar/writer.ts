/**
 * Writes a tar stream the way Go's archive/tar does for docker's layers: ustar headers, a PAX
 * header before any entry whose name, link, ids, size or time ustar cannot hold, and xattrs as
 * binary `SCHILY.xattr.*` PAX records (file capabilities survive commit, save and push).
 * Backpressure: `entry` resolves when the consumer has room for more.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { BLOCK, encodeHeader, paxNeeds, type TarType } from './header.js';
import { encodePax, XATTR_PREFIX, type PaxRecords } from './pax.js';
import { bytesPath } from './bytes-path.js';

export interface PackEntry {
  /** Byte string (see header.ts); directories without their trailing slash. */
  name: string;
  type: TarType;
  mode: number;
  uid: number;
  gid: number;
  /** Seconds since the epoch (a fraction goes into PAX only when ustar cannot hold it). */
  mtime: number;
  size?: number;
  linkname?: string;
  uname?: string;
  gname?: string;
  devmajor?: number;
  devminor?: number;
  xattrs?: Map<string, Buffer>;
}

const ZEROS = Buffer.alloc(BLOCK * 2);
const SMALL = 1 << 20;

/** Sees each entry and its content as it is written (a build's cache key is made this way). */
export interface TarObserver {
  entry(e: PackEntry): void;
  data(chunk: Buffer): void;
}

export class TarWriter {
  readonly stream: Readable;
  private wake?: () => void;
  private failed?: Error;

  constructor(private readonly observer?: TarObserver) {
    this.stream = new Readable({
      highWaterMark: 1 << 20,
      read: () => {
        const w = this.wake;
        this.wake = undefined;
        w?.();
      },
      destroy: (err, cb) => {
        this.failed = err ?? new Error('tar stream closed');
        const w = this.wake;
        this.wake = undefined;
        w?.();
        cb(err);
      },
    });
  }

  private async push(b: Buffer): Promise<void> {
    if (this.failed) throw this.failed;
    if (!this.stream.push(b)) await new Promise<void>((r) => (this.wake = r));
    if (this.failed) throw this.failed;
  }

  /** Adds an entry; for a regular file, its content from `body` (bytes, or a file to read). */
  async entry(e: PackEntry, body?: Buffer | { file: string }): Promise<void> {
    const size = e.type === 'file' ? (e.size ?? (Buffer.isBuffer(body) ? body.length : 0)) : 0;
    // directories carry a trailing slash, as Go's archive/tar writes them
    const name = e.type === 'dir' && e.name && !e.name.endsWith('/') ? `${e.name}/` : e.name;
    const h = { ...e, name, size };
    this.observer?.entry(h);
    const records: PaxRecords = Object.entries(paxNeeds(h)).map(([k, v]) => [k, Buffer.from(v, 'latin1')]);
    // Go sorts PAX records by key; xattrs come in name order for a stable archive.
    if (e.xattrs) for (const k of [...e.xattrs.keys()].sort()) records.push([XATTR_PREFIX + k, e.xattrs.get(k)!]);
    if (records.length) {
      records.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      const pax = encodePax(records);
      const base = name.replace(/\/$/, '').split('/').pop() || 'x';
      await this.push(encodeHeader({ name: `PaxHeaders.0/${base}`.slice(0, 100), type: 'pax', mode: 0, uid: 0, gid: 0, size: pax.length, mtime: 0 }));
      await this.push(pad(pax));
    }
    await this.push(encodeHeader(h));
    if (size === 0) return;
    if (Buffer.isBuffer(body)) {
      const data = body.length === size ? body : fit(body, size);
      this.observer?.data(data);
      await this.push(pad(data));
    } else if (body) {
      await this.file(body.file, size);
    } else throw new Error(`tar: no content for ${e.name}`);
  }

  /** Exactly `size` bytes of `file` (zeros if it shrank meanwhile, cut if it grew), then padding. */
  private async file(file: string, size: number): Promise<void> {
    if (size <= SMALL) {
      // small files: one synchronous read beats the thread pool's round trips
      const buf = Buffer.allocUnsafe(size);
      const fd = openSync(bytesPath(file), 'r');
      let got = 0;
      try {
        while (got < size) {
          const n = readSync(fd, buf, got, size - got, got);
          if (n === 0) break;
          got += n;
        }
      } finally {
        closeSync(fd);
      }
      if (got < size) buf.fill(0, got);
      this.observer?.data(buf);
      return this.push(pad(buf));
    }
    const fh = await open(bytesPath(file), 'r');
    try {
      let pos = 0;
      while (pos < size) {
        const buf = Buffer.allocUnsafe(Math.min(SMALL, size - pos));
        const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
        if (bytesRead === 0) {
          buf.fill(0);
          this.observer?.data(buf);
          await this.push(buf);
          pos += buf.length;
          continue;
        }
        const got = bytesRead === buf.length ? buf : buf.subarray(0, bytesRead);
        this.observer?.data(got);
        await this.push(got);
        pos += bytesRead;
      }
    } finally {
      await fh.close();
    }
    const rest = size % BLOCK;
    if (rest) await this.push(ZEROS.subarray(0, BLOCK - rest));
  }

  /** The end-of-archive marker; the stream ends. */
  async finalize(): Promise<void> {
    await this.push(ZEROS);
    this.stream.push(null);
  }

  /** Ends the stream with an error (the consumer sees it). */
  abort(err: Error): void {
    this.stream.destroy(err);
  }
}

function pad(b: Buffer): Buffer {
  const rest = b.length % BLOCK;
  return rest ? Buffer.concat([b, ZEROS.subarray(0, BLOCK - rest)]) : b;
}

function fit(b: Buffer, size: number): Buffer {
  if (b.length > size) return b.subarray(0, size);
  return Buffer.concat([b, Buffer.alloc(size - b.length)]);
}
