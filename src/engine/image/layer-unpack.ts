/**
 * Unpacks one layer tar into its own diff directory, safely: node-tar refuses `..`, strips
 * absolute paths and will not extract through symlinks; we add whiteout handling (OCI `.wh.`
 * entries become overlay whiteouts) and fail the whole layer on any unsafe entry rather than
 * skipping it silently. The uncompressed stream is hashed on the way to give the diff id.
 */
import { createReadStream, mkdirSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { posix, join, dirname } from 'node:path';
import { Unpack, type ReadEntry } from 'tar';
import { HashingStream } from './digest.js';
import { decompressor, detectFileCompression, type Compression } from './compression.js';
import { joinNoSymlinks } from '../fs/safe-path.js';
import { makeWhiteouts, markOpaque } from '../fs/whiteout.js';
import { invalid } from '../errors.js';

export interface UnpackResult {
  diffId: string;
  /** Bytes of regular file content unpacked (docker's layer size). */
  size: number;
}

const WH = '.wh.';
const OPQ = '.wh..wh..opq';

/** Unpacks the (maybe compressed) tar in `blobFile` into `dest`, which must exist and be empty. */
export async function unpackLayer(blobFile: string, dest: string): Promise<UnpackResult> {
  return unpackLayerStream(createReadStream(blobFile), detectFileCompression(blobFile), dest);
}

/** As `unpackLayer`, from a stream (a pull unpacks while it downloads). */
export async function unpackLayerStream(source: NodeJS.ReadableStream, compression: Compression, dest: string): Promise<UnpackResult> {
  const problems: string[] = [];
  const whiteouts: string[] = [];
  const opaques: string[] = [];
  let size = 0;
  const unpack = new Unpack({
    cwd: dest,
    preserveOwner: true,
    chmod: true,
    processUmask: 0,
    umask: 0,
    maxDepth: 512,
    maxDecompressionRatio: Infinity,
    filter: (path: string, entry: ReadEntry | import('node:fs').Stats) => {
      const e = entry as ReadEntry;
      const base = posix.basename(path);
      if (base.startsWith(WH)) {
        const dir = posix.dirname(path);
        if (base === OPQ) opaques.push(dir);
        else whiteouts.push(posix.join(dir, base.slice(WH.length)));
        return false;
      }
      if (e.type === 'CharacterDevice' || e.type === 'BlockDevice' || e.type === 'FIFO') return false; // unprivileged-safe: device nodes are not unpacked
      if (e.type === 'File' || e.type === 'OldFile' || e.type === 'ContiguousFile') size += e.size ?? 0;
      return true;
    },
    onwarn: (code: string, message: string | Error, data?: { entry?: ReadEntry; path?: string }) => {
      if (code === 'TAR_ENTRY_INFO') return;
      const p = data?.entry?.path ?? data?.path ?? '';
      problems.push(`${p ? `${p}: ` : ''}${message instanceof Error ? message.message : message}`);
    },
  } as ConstructorParameters<typeof Unpack>[0]);
  const hasher = new HashingStream();
  const done = new Promise<void>((resolve, reject) => {
    unpack.on('close', () => resolve());
    unpack.on('error', (e: Error) => reject(e));
  });
  try {
    await Promise.all([pipeline(source, decompressor(compression), hasher, unpack as unknown as NodeJS.WritableStream), done]);
  } catch (e) {
    throw invalid(`invalid layer archive: ${(e as Error).message.replace(/^TAR_BAD_ARCHIVE: /, '')}`);
  }
  if (hasher.bytes === 0) throw invalid('invalid layer archive: empty');
  if (problems.length > 0) throw invalid(`unsafe or invalid layer entry: ${problems[0]}`);
  // Whiteouts and opaque markers were filtered out before node-tar's checks: check them here,
  // every component of their path (a symlinked directory would point them at the host).
  for (const d of opaques) {
    const abs = dirname(joinNoSymlinks(dest, posix.join(d, OPQ)));
    mkdirSync(abs, { recursive: true });
    markOpaque(abs);
  }
  const whPaths = whiteouts.map((w) => joinNoSymlinks(dest, w));
  for (const p of whPaths) {
    if (p === dest || !p.startsWith(join(dest, '/'))) throw invalid(`unsafe or invalid layer entry: whiteout of ${p}`);
    mkdirSync(dirname(p), { recursive: true });
  }
  makeWhiteouts(whPaths);
  return { diffId: hasher.digest(), size };
}
