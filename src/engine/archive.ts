/**
 * Tar streams on the host side of `cp` (part of the engine's public surface): a host path
 * packed as docker packs it, and a container's tar applied onto the host with the same
 * applier and safety as layers (nothing written through a symlink, nothing outside).
 */
import { createWriteStream, chownSync, lchownSync, symlinkSync } from 'node:fs';
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

/** Applies a tar onto directory `dir`, owned by the calling user (as docker cp does) unless
 *  `keepOwners` (cp -a), without device nodes; `strip` leading components are dropped. */
export async function extractToHost(tar: Readable, dir: string, strip = 0, keepOwners = false): Promise<void> {
  const owner = keepOwners ? undefined : { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 };
  await pipeline(tar, new ApplyStream(dir, { what: 'refused', strip, ...(owner ? { owner } : {}), types: ['file', 'dir', 'symlink', 'link', 'fifo'] }));
}

/** Writes the first regular file (or symlink) of a tar to `dest` (copied to a new name); the
 *  archive's owners are kept with `keepOwners` (cp -a). */
export async function extractOneFile(tar: Readable, dest: string, keepOwners = false): Promise<void> {
  let out: ReturnType<typeof createWriteStream> | undefined;
  let state: 'before' | 'in' | 'after' = 'before';
  let owners = { uid: 0, gid: 0 };
  const pending: Promise<void>[] = [];
  const parser = new TarParser({
    entry(e: TarEntry) {
      if (state === 'before' && e.type === 'file') {
        state = 'in';
        out = createWriteStream(dest, { mode: e.mode & 0o7777 });
        owners = { uid: e.uid, gid: e.gid };
      } else if (state === 'before' && e.type === 'symlink') {
        state = 'after';
        symlinkSync(e.linkname, dest);
        if (keepOwners) lchownSync(dest, e.uid, e.gid);
      }
    },
    data(chunk: Buffer) {
      if (state === 'in') out!.write(Buffer.from(chunk));
    },
    end() {
      if (state === 'in') {
        state = 'after';
        const o = out!;
        const { uid, gid } = owners;
        pending.push(
          new Promise<void>((res, rej) => o.end((e?: Error | null) => (e ? rej(e) : res()))).then(() => {
            if (keepOwners) chownSync(dest, uid, gid);
          }),
        );
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
  if (state === 'before') throw invalid('refused: the archive holds no regular file or link');
}
