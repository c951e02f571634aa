/**
 * Unpacks one layer tar into its own (empty) diff directory through the tar applier
 * (fs/apply-tar.ts: whiteouts become overlay whiteouts, entries are kept inside, everything
 * else exactly as archived), hashing the uncompressed stream on the way for the diff id.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ApplyStream } from '../fs/apply-tar.js';
import { decompressor, detectFileCompression, type Compression } from './compression.js';
import { invalid, isEngineError, runtimeError } from '../errors.js';

export interface UnpackResult {
  diffId: string;
  /** Bytes of regular file content unpacked (docker's layer size). */
  size: number;
}

export const LAYER_WHAT = 'invalid layer archive';

/** Unpacks the (maybe compressed) tar in `blobFile` into `dest`, which must exist and be empty. */
export async function unpackLayer(blobFile: string, dest: string): Promise<UnpackResult> {
  return unpackLayerStream(createReadStream(blobFile, { highWaterMark: 1 << 20 }), detectFileCompression(blobFile), dest);
}

/**
 * As `unpackLayer`, from a stream (a pull unpacks while it downloads). `tee` sees the stream
 * as it comes, before decompression (import keeps it as the blob).
 */
export async function unpackLayerStream(
  source: NodeJS.ReadableStream | Readable,
  compression: Compression,
  dest: string,
  tee?: Transform,
): Promise<UnpackResult> {
  const hash = createHash('sha256');
  const apply = new ApplyStream(dest, { what: LAYER_WHAT, whiteouts: true, rootMeta: true }, hash);
  try {
    if (tee) await pipeline(source, tee, decompressor(compression), apply);
    else await pipeline(source, decompressor(compression), apply);
  } catch (e) {
    throw layerError(e);
  }
  if (apply.bytes === 0) throw invalid(`${LAYER_WHAT}: empty`);
  return { diffId: `sha256:${hash.digest('hex')}`, size: apply.result!.size };
}

/** Bad data is the archive's fault (invalid); a failing filesystem is not. */
export function layerError(e: unknown): Error {
  if (isEngineError(e)) return e;
  const err = e as NodeJS.ErrnoException;
  if (err.syscall) return runtimeError(`cannot unpack layer: ${err.message}`, e);
  return invalid(`${LAYER_WHAT}: ${err.message}`);
}
