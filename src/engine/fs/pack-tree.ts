/**
 * Writes a directory tree (or one file) into a tar, the way docker writes a layer: sorted
 * names, numeric owners, modes, whole-second mtimes (moby truncates them), symlinks and
 * hardlinks as links, FIFOs and device nodes, and xattrs (file capabilities) — all but
 * overlayfs' own `trusted.overlay.*`. With `whiteouts`, overlay's deletion markers (0/0 char
 * devices) and opaque directories become `.wh.` entries (commit). The reverse of apply-tar.ts.
 */
import { lstatSync, readdirSync, readlinkSync, type Stats } from 'node:fs';
import { createRequire } from 'node:module';
import type { Readable } from 'node:stream';
import { TarWriter, type PackEntry } from '../tar/writer.js';
import { bytesPath, fromBytes, isUtf8Path, textPath, toBytes } from '../tar/bytes-path.js';
import { OPAQUE_XATTR } from './whiteout.js';

type XattrLib = typeof import('@napi-rs/xattr');
let xattrLib: XattrLib | undefined;
const xattrs = (): XattrLib => (xattrLib ??= createRequire(import.meta.url)('@napi-rs/xattr') as XattrLib);

export interface PackTreeOptions {
  /** Name of `src` inside the archive ('' = its contents at the top). */
  as: string;
  whiteouts?: boolean;
  /** Paths (relative to `src`) left out of the archive. */
  exclude?: (rel: string) => boolean;
  /** Owners for every entry (cp from a host); default: each file's own. */
  owner?: { uid: number; gid: number };
  /** With `as: ''`: a directory every name is put under (ADD's archive at its destination). */
  under?: string;
}

/** A file's xattrs worth carrying (overlay's bookkeeping never leaves the upper dir). */
export function readXattrs(path: string): Map<string, Buffer> | undefined {
  if (!isUtf8Path(path)) return undefined;
  let names: string[];
  try {
    names = xattrs().listAttributesSync(textPath(path));
  } catch {
    return undefined; // a filesystem without xattrs
  }
  let out: Map<string, Buffer> | undefined;
  for (const n of names) {
    if (n.startsWith('trusted.overlay.')) continue;
    const v = xattrs().getAttributeSync(textPath(path), n);
    if (v) (out ??= new Map()).set(Buffer.from(n, 'utf8').toString('latin1'), v);
  }
  return out;
}

/** Linux's dev_t split into major and minor. */
export function devNumbers(rdev: number): { devmajor: number; devminor: number } {
  return { devmajor: ((rdev >>> 8) & 0xfff) | (Math.floor(rdev / 2 ** 32) & ~0xfff), devminor: (rdev & 0xff) | ((rdev >>> 12) & 0xfff00) };
}

export async function packTree(src: string, w: TarWriter, opts: PackTreeOptions): Promise<void> {
  const hardlinks = new Map<string, string>();
  const join2 = (a: string, b: string) => (a ? `${a}/${b}` : b);
  const one = async (abs: string, name: string, leaf: string, parentName: string): Promise<void> => {
    const st = lstatSync(bytesPath(abs));
    const base = entryBase(st, name, opts.owner);
    if (opts.whiteouts && st.isCharacterDevice() && st.rdev === 0) {
      await w.entry({ ...base, name: join2(parentName, `.wh.${leaf}`), type: 'file', mode: 0o600, size: 0 });
      return;
    }
    const x = st.isSymbolicLink() ? undefined : readXattrs(abs);
    if (x) base.xattrs = x;
    if (st.isDirectory()) {
      if (name) await w.entry({ ...base, type: 'dir' });
      if (opts.whiteouts && name && xattrs().getAttributeSync(textPath(abs), OPAQUE_XATTR)?.toString() === 'y') {
        await w.entry({ ...base, xattrs: undefined, name: `${name}/.wh..wh..opq`, type: 'file', mode: base.mode & 0o777, size: 0 });
      }
      const names = (readdirSync(bytesPath(abs), { encoding: 'buffer' }) as Buffer[]).map(fromBytes).sort();
      for (const n of names) {
        const r = join2(name, n);
        if (!opts.exclude?.(r)) await one(`${abs}/${n}`, r, n, name);
      }
    } else if (st.isSymbolicLink()) {
      await w.entry({ ...base, type: 'symlink', linkname: fromBytes(readlinkSync(bytesPath(abs), { encoding: 'buffer' })) });
    } else if (st.isFile()) {
      const key = `${st.dev}:${st.ino}`;
      const first = st.nlink > 1 ? hardlinks.get(key) : undefined;
      if (first) await w.entry({ ...base, type: 'link', linkname: first });
      else {
        if (st.nlink > 1) hardlinks.set(key, name);
        await w.entry({ ...base, type: 'file', size: st.size }, { file: abs });
      }
    } else if (st.isFIFO()) {
      await w.entry({ ...base, type: 'fifo' });
    } else if (st.isCharacterDevice() || st.isBlockDevice()) {
      await w.entry({ ...base, type: st.isCharacterDevice() ? 'char' : 'block', ...devNumbers(st.rdev) });
    }
    // sockets are not archived (docker skips them too)
  };
  // Names from here on are byte strings (see tar/bytes-path.ts).
  const as = opts.under ? toBytes(opts.under.replace(/^\/+|\/+$/g, '')) : toBytes(opts.as);
  if (opts.under) {
    // the directory itself is the caller's; its contents go under `under`
    const root = toBytes(src.replace(/\/+$/, '') || '/');
    for (const n of (readdirSync(bytesPath(root), { encoding: 'buffer' }) as Buffer[]).map(fromBytes).sort()) await one(`${root}/${n}`, join2(as, n), n, as);
    return;
  }
  await one(toBytes(src.replace(/\/+$/, '') || '/'), as, as, '');
}

function entryBase(st: Stats, name: string, owner?: { uid: number; gid: number }): Omit<PackEntry, 'type'> {
  return {
    name,
    mode: st.mode & 0o7777,
    uid: owner?.uid ?? st.uid,
    gid: owner?.gid ?? st.gid,
    mtime: Math.floor(st.mtimeMs / 1000),
  };
}

/**
 * Packs `src` into a tar that `consume` reads (a pipeline to its destination), and resolves
 * when both are done. The first real failure is reported: a consumer's (a full disk) rather
 * than the packer's "stream closed" that follows it.
 */
export async function packInto(src: string, opts: PackTreeOptions, consume: (tar: Readable) => Promise<unknown>): Promise<void> {
  const w = new TarWriter();
  const consuming = consume(w.stream);
  const consumed = consuming.then(
    () => undefined,
    (e: unknown) => e as Error,
  );
  try {
    await packTree(src, w, opts);
    await w.finalize();
  } catch (e) {
    w.abort(e as Error);
    throw (await consumed) ?? e;
  }
  const err = await consumed;
  if (err) throw err;
}

/** A tar stream of `src` (errors while packing end the stream with that error). */
export function packStream(src: string, opts: PackTreeOptions, done?: () => void): Readable {
  const w = new TarWriter();
  packTree(src, w, opts)
    .then(() => w.finalize())
    .catch((e: Error) => w.abort(e))
    .finally(() => done?.());
  return w.stream;
}
