/**
 * Tar streams on the host side of `cp` (part of the engine's public surface): a host path
 * packed as docker packs it, and a container's tar applied onto the host with the same
 * applier and safety as layers (nothing written through a symlink, nothing outside).
 */
import { createWriteStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Writable } from 'node:stream';
import { ApplyStream } from './fs/apply-tar.js';
import { packStream } from './fs/pack-tree.js';
import { TarParser, type TarEntry } from './tar/reader.js';
import { invalid } from './errors.js';

/** `src` (a file or directory on the host) as a tar stream whose top entry is named `as`
 *  ('' = the directory's contents). */
export function packHostPath(src: string, as: string): Readable {
  return packStream(src, { as });
}

/** Applies a tar onto directory `dir`, owned by the calling user (as docker cp does), without
 *  device nodes; `strip` leading components are dropped from each name. */
export async function extractToHost(tar: Readable, dir: string, strip = 0): Promise<void> {
  const owner = { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 };
  await pipeline(tar, new ApplyStream(dir, { what: 'refused', strip, owner, types: ['file', 'dir', 'symlink', 'link', 'fifo'] }));
}

/** Writes the first regular file of a tar to `dest` (a file copied to a new name). */
export async function extractOneFile(tar: Readable, dest: string): Promise<void> {
  let out: ReturnType<typeof createWriteStream> | undefined;
  let state: 'before' | 'in' | 'after' = 'before';
  const pending: Promise<void>[] = [];
  const parser = new TarParser({
    entry(e: TarEntry) {
      if (state === 'before' && e.type === 'file') {
        state = 'in';
        out = createWriteStream(dest, { mode: e.mode & 0o7777 });
      }
    },
    data(chunk: Buffer) {
      if (state === 'in') out!.write(Buffer.from(chunk));
    },
    end() {
      if (state === 'in') {
        state = 'after';
        const o = out!;
        pending.push(new Promise<void>((res, rej) => o.end((e?: Error | null) => (e ? rej(e) : res()))));
      }
    },
  });
  await pipeline(
    tar,
    new Writable({
      write(chunk: Buffer, _e, cb) {
        try {
          parser.write(chunk);
          cb();
        } catch (e) {
          cb(e as Error);
        }
      },
      final(cb) {
        try {
          parser.end();
          cb();
        } catch (e) {
          cb(e as Error);
        }
      },
    }),
  );
  await Promise.all(pending);
  if (state === 'before') throw invalid('refused: the archive holds no regular file');
}
