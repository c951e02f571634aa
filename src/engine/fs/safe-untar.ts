/**
 * Extracting a tar stream under a directory with node-tar's protections (no `..`, no absolute
 * paths, nothing written through a symlink) — and, unlike node-tar's default, failing the whole
 * operation on any refused entry instead of skipping it with a warning. Device nodes are never
 * created. Used for image archives, `cp` into containers and `cp` out to the host.
 */
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Unpack } from 'tar';
import { invalid } from '../errors.js';

export interface SafeUntarOptions {
  cwd: string;
  /** What the user was doing, for the error line ("invalid image archive", "refused to copy"). */
  what: string;
  strip?: number;
  /** Keep the archive's owners (default: files belong to the extracting user, as docker cp). */
  preserveOwner?: boolean;
  /** Entry types to extract (default: everything but devices). */
  types?: string[];
}

export async function safeUntar(src: Readable, o: SafeUntarOptions): Promise<void> {
  const problems: string[] = [];
  const unpack = new Unpack({
    cwd: o.cwd,
    strip: o.strip ?? 0,
    preserveOwner: o.preserveOwner ?? false,
    maxDecompressionRatio: Infinity,
    filter: (_p: string, e: unknown) => {
      const t = (e as { type?: string }).type ?? '';
      return o.types ? o.types.includes(t) : t !== 'CharacterDevice' && t !== 'BlockDevice';
    },
    onwarn: (code: string, msg: string | Error) => {
      if (code !== 'TAR_ENTRY_INFO') problems.push(msg instanceof Error ? msg.message : msg);
    },
  } as ConstructorParameters<typeof Unpack>[0]);
  const done = new Promise<void>((res, rej) => {
    unpack.on('close', () => res());
    unpack.on('error', rej);
  });
  try {
    await Promise.all([pipeline(src, unpack as unknown as NodeJS.WritableStream), done]);
  } catch (e) {
    throw invalid(`${o.what}: ${(e as Error).message.replace(/^TAR_BAD_ARCHIVE: /, '')}`);
  }
  if (problems.length) throw invalid(`${o.what}: ${problems[0]}`);
}
