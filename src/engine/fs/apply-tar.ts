/**
 * The one tar applier: image layers (import, load, pull, build, commit), `cp` into a container
 * and `cp` out to the host all write through it, with the fidelity of containerd's and moby's
 * appliers:
 * - symlinks are created with their target exactly as archived (absolute, relative, dangling):
 *   they are resolved inside the container at run time, never here;
 * - safety comes from the entry's own path: it is cleaned to stay under the destination, and
 *   its parents are reached without following a symlink (a layer that makes `a -> /etc` and
 *   then writes `a/passwd` is refused) — or, applying onto a tree, resolved inside that tree;
 * - hardlinks only to entries inside the destination;
 * - modes exactly as archived (setuid, setgid, sticky; no umask), numeric owners, mtimes (of
 *   symlinks too), xattrs (file capabilities), FIFOs, device nodes, sparse files;
 * - in a layer, `.wh.NAME` and `.wh..wh..opq` become overlay whiteouts and opaque directories,
 *   whatever their tar type or link name.
 * node-tar's Unpack is made for npm packages and does the opposite on several of these (strips
 * the leading "/" of link targets, refuses links through links, applies the umask, drops
 * xattrs and devices), hence this module.
 *
 * Everything is synchronous per entry: one process applies one stream, and synchronous calls
 * avoid a thread-pool round trip per syscall (tens of thousands for a distribution rootfs).
 */
import {
  closeSync,
  fchmodSync,
  fchownSync,
  ftruncateSync,
  futimesSync,
  linkSync,
  lchownSync,
  lstatSync,
  lutimesSync,
  mkdirSync,
  openSync,
  chmodSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  utimesSync,
  writeSync,
  constants,
} from 'node:fs';
import { createRequire } from 'node:module';
import { posix } from 'node:path';
import { Writable } from 'node:stream';
import type { Hash } from 'node:crypto';
import { invalid, runtimeError } from '../errors.js';
import { TarFormatError, TarParser, type TarEntry, type TarSink } from '../tar/reader.js';
import type { TarType } from '../tar/header.js';
import { bytesPath, isUtf8Path, textPath, toBytes } from '../tar/bytes-path.js';
import { makeSpecialFiles, type SpecialFile } from './special-files.js';
import { OPAQUE_XATTR } from './whiteout.js';

export interface ApplyOptions {
  /** Words for error messages: "invalid layer archive", "refused to copy". */
  what: string;
  /** A layer: `.wh.` entries become overlay whiteouts and opaque markers. */
  whiteouts?: boolean;
  /**
   * Applying onto an existing tree: maps a directory (relative to the destination, '' for the
   * destination itself) to the host path a process inside would reach, following symlinks
   * inside the tree. Without it, parents are never followed and a symlinked parent is refused.
   * Both paths are byte strings (tar/bytes-path.ts).
   */
  resolveDir?: (rel: string) => string;
  /** Owners for every entry; default: the archive's numeric owners. */
  owner?: { uid: number; gid: number };
  /** Leading path components dropped from each entry (and from hardlink targets). */
  strip?: number;
  /** Entry types to apply; others are skipped. Default: all. */
  types?: readonly TarType[];
  /** Apply the archive's metadata to the destination directory itself ("./"). Default: false. */
  rootMeta?: boolean;
}

export interface ApplyResult {
  /** Bytes of regular-file content (docker's layer size). */
  size: number;
  entries: number;
}

const WH = '.wh.';
const OPQ = '.wh..wh..opq';
const O_CREATE_FILE = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

type XattrLib = typeof import('@napi-rs/xattr');
let xattrLib: XattrLib | undefined;
const xattrs = (): XattrLib => (xattrLib ??= createRequire(import.meta.url)('@napi-rs/xattr') as XattrLib);

interface Pending {
  rel: string;
  abs: string;
  e: TarEntry;
}

/** Applies one tar stream onto a directory, entry by entry (a TarParser sink). */
export class TarApplier implements TarSink {
  private readonly dirs: Pending[] = [];
  /** Special files and whiteouts, made in one spawn at the end (by relative path). */
  private readonly specials = new Map<string, Pending & { special: SpecialFile; whiteout: boolean }>();
  private readonly lateLinks: { rel: string; abs: string; target: string; e: TarEntry }[] = [];
  /** Directories (relative) known to be real directories made or checked by this apply. */
  private readonly known = new Set<string>(['']);
  private fd = -1;
  private file?: Pending;
  private size = 0;
  private count = 0;

  private readonly dest: string;

  constructor(
    dest: string,
    private readonly o: ApplyOptions,
  ) {
    this.dest = toBytes(dest);
  }

  entry(e: TarEntry): void {
    const rel = this.clean(e.path);
    if (rel === undefined) return;
    this.count++;
    if (rel === '') {
      if (this.o.rootMeta && e.type === 'dir') {
        this.meta(this.dest, e, 'dir');
        this.dirs.push({ rel, abs: this.dest, e });
      }
      return;
    }
    if (this.o.types && !this.o.types.includes(e.type)) return;
    const base = posix.basename(rel);
    const parentRel = posix.dirname(rel) === '.' ? '' : posix.dirname(rel);
    const parent = this.dir(parentRel, e);
    if (this.o.whiteouts && base.startsWith(WH)) return this.whiteout(parent, parentRel, base, e);
    const abs = `${parent}/${base}`;
    this.specials.delete(rel);
    switch (e.type) {
      case 'file':
        return this.openFile(rel, abs, e);
      case 'dir':
        return this.mkdir(rel, abs, e);
      case 'symlink':
        this.replace(rel, abs, () => symlinkSync(bytesPath(e.linkname), bytesPath(abs)));
        this.meta(abs, e, 'symlink');
        return;
      case 'link':
        return this.hardlink(rel, abs, e);
      case 'fifo':
      case 'char':
      case 'block':
        this.clear(rel, abs);
        this.specials.set(rel, { rel, abs, e, whiteout: false, special: { path: abs, kind: e.type, major: e.devmajor, minor: e.devminor } });
        return;
    }
  }

  data(chunk: Buffer, offset: number): void {
    let done = 0;
    while (done < chunk.length) done += writeSync(this.fd, chunk, done, chunk.length - done, offset + done);
  }

  end(): void {
    if (this.fd < 0) return;
    const { abs, e } = this.file!;
    const fd = this.fd;
    this.fd = -1;
    this.file = undefined;
    try {
      if (e.sparse && e.realSize > 0) ftruncateSync(fd, e.realSize);
      const { uid, gid } = this.owner(e);
      fchownSync(fd, uid, gid);
      fchmodSync(fd, e.mode);
      this.setXattrs(abs, e);
      futimesSync(fd, atimeOf(e), e.mtime);
    } finally {
      closeSync(fd);
    }
  }

  /** After the last entry: special files, late hardlinks, then directory times (last, since
   *  creating anything inside a directory changes its mtime). */
  finish(): ApplyResult {
    const specials = [...this.specials.values()];
    makeSpecialFiles(specials.map((s) => s.special));
    for (const s of specials) this.meta(s.abs, s.whiteout ? { ...s.e, mode: 0 } : s.e, 'special');
    for (const l of this.lateLinks) {
      this.replace(l.rel, l.abs, () => linkSync(bytesPath(l.target), bytesPath(l.abs)));
      this.meta(l.abs, l.e, 'link');
    }
    for (const d of this.dirs) utimesSync(bytesPath(d.abs), atimeOf(d.e), d.e.mtime);
    return { size: this.size, entries: this.count };
  }

  /** Closes an open file after a failure. */
  abort(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }

  // ------------------------------------------------------------ paths

  /** The entry's path cleaned under the destination ('' = the destination), or undefined
   *  when `strip` removes it whole. `..` that would climb out is refused. */
  private clean(p: string, forLink = false): string | undefined {
    let parts = p.split('/');
    const strip = this.o.strip ?? 0;
    if (strip) {
      parts = parts.filter((x) => x !== '' && x !== '.');
      if (parts.length <= strip) return forLink ? '' : undefined;
      parts = parts.slice(strip);
    }
    const joined = parts.join('/');
    const norm = posix.normalize(joined.startsWith('/') ? joined.slice(1) || '.' : joined || '.');
    if (norm === '..' || norm.startsWith('../')) throw invalid(`${this.o.what}: unsafe entry ${JSON.stringify(textPath(p))}: path escapes its root`);
    return norm === '.' || norm === './' ? '' : norm.replace(/\/$/, '');
  }

  /** The host path of directory `rel`, made (0755, root) if missing, never through a symlink
   *  unless the tree's own resolver leads there. */
  private dir(rel: string, e: TarEntry): string {
    if (this.o.resolveDir) {
      const host = this.o.resolveDir(rel);
      if (!this.known.has(rel)) {
        mkdirSync(bytesPath(host), { recursive: true });
        this.known.add(rel);
      }
      return host;
    }
    if (this.known.has(rel)) return rel ? `${this.dest}/${rel}` : this.dest;
    let cur = '';
    for (const part of rel.split('/')) {
      cur = cur ? `${cur}/${part}` : part;
      if (this.known.has(cur)) continue;
      const abs = `${this.dest}/${cur}`;
      let st;
      try {
        st = lstatSync(bytesPath(abs));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
      if (!st) {
        mkdirSync(bytesPath(abs), 0o755);
        chmodSync(bytesPath(abs), 0o755); // not the umask's idea of 0755
        this.specials.delete(cur);
      } else if (st.isSymbolicLink()) {
        throw invalid(`${this.o.what}: unsafe entry ${JSON.stringify(textPath(e.path))}: its parent ${textPath(cur)} is a symlink`);
      } else if (!st.isDirectory()) {
        throw invalid(`${this.o.what}: entry ${JSON.stringify(textPath(e.path))}: its parent ${textPath(cur)} is not a directory`);
      }
      this.known.add(cur);
    }
    return `${this.dest}/${rel}`;
  }

  /** Runs `make`; if something is in the way, removes it (a directory with its contents, as
   *  docker does) and runs `make` again. */
  private replace(rel: string, abs: string, make: () => void): void {
    const p = bytesPath(abs);
    try {
      make();
      this.forget(rel, false);
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const st = lstatSync(p);
    if (st.isDirectory()) rmSync(p, { recursive: true, force: true });
    else unlinkSync(p);
    this.forget(rel, st.isDirectory());
    make();
  }

  /** Removes whatever is at `abs` (made at the end instead). */
  private clear(rel: string, abs: string): void {
    let st;
    try {
      st = lstatSync(bytesPath(abs));
    } catch {
      this.forget(rel, false);
      return;
    }
    if (st.isDirectory()) rmSync(bytesPath(abs), { recursive: true, force: true });
    else unlinkSync(bytesPath(abs));
    this.forget(rel, st.isDirectory());
  }

  /** `rel` is no longer a directory this apply made (a file or link took its place). */
  private forget(rel: string, wasDir: boolean): void {
    this.known.delete(rel);
    if (!wasDir) return;
    const prefix = `${rel}/`;
    for (const k of this.known) if (k.startsWith(prefix)) this.known.delete(k);
    for (const k of this.specials.keys()) if (k.startsWith(prefix)) this.specials.delete(k);
  }

  // ------------------------------------------------------------ entry kinds

  private openFile(rel: string, abs: string, e: TarEntry): void {
    this.replace(rel, abs, () => {
      this.fd = openSync(bytesPath(abs), O_CREATE_FILE, 0o600);
    });
    this.file = { rel, abs, e };
    this.size += e.realSize;
  }

  private mkdir(rel: string, abs: string, e: TarEntry): void {
    const p = bytesPath(abs);
    try {
      mkdirSync(p, 0o700);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const st = lstatSync(p);
      if (!st.isDirectory()) {
        unlinkSync(p);
        mkdirSync(p, 0o700);
      }
    }
    this.known.add(rel);
    this.meta(abs, e, 'dir');
    this.dirs.push({ rel, abs, e });
  }

  private hardlink(rel: string, abs: string, e: TarEntry): void {
    const targetRel = this.clean(e.linkname, true);
    if (!targetRel) throw invalid(`${this.o.what}: unsafe entry ${JSON.stringify(textPath(e.path))}: hardlink to the root`);
    const tParentRel = posix.dirname(targetRel) === '.' ? '' : posix.dirname(targetRel);
    const target = `${this.dir(tParentRel, e)}/${posix.basename(targetRel)}`;
    if (this.specials.has(targetRel)) {
      // its target is made at the end, and so is the link
      this.clear(rel, abs);
      this.lateLinks.push({ rel, abs, target, e });
      return;
    }
    let st;
    try {
      st = lstatSync(bytesPath(target));
    } catch {
      throw invalid(`${this.o.what}: entry ${JSON.stringify(textPath(e.path))}: hardlink to missing ${JSON.stringify(textPath(e.linkname))}`);
    }
    if (st.isDirectory()) throw invalid(`${this.o.what}: entry ${JSON.stringify(textPath(e.path))}: hardlink to a directory`);
    this.replace(rel, abs, () => linkSync(bytesPath(target), bytesPath(abs)));
    if (!st.isSymbolicLink()) this.meta(abs, e, 'link');
  }

  private whiteout(parent: string, parentRel: string, base: string, e: TarEntry): void {
    if (base === OPQ) {
      xattrs().setAttributeSync(textPath(parent), OPAQUE_XATTR, 'y');
      return;
    }
    if (base.startsWith(`${WH}${WH}`)) return; // aufs metadata (.wh..wh.plnk …): not a file
    const name = base.slice(WH.length);
    const rel = parentRel ? `${parentRel}/${name}` : name;
    const abs = `${parent}/${name}`;
    this.clear(rel, abs);
    this.specials.set(rel, { rel, abs, e: { ...e, xattrs: new Map() }, whiteout: true, special: { path: abs, kind: 'char', major: 0, minor: 0 } });
  }

  // ------------------------------------------------------------ metadata

  private owner(e: TarEntry): { uid: number; gid: number } {
    return this.o.owner ?? { uid: e.uid, gid: e.gid };
  }

  /** Owner, then mode (chown clears setuid/setgid), xattrs, then times (dirs: at the end). */
  private meta(abs: string, e: TarEntry, kind: 'dir' | 'symlink' | 'special' | 'link'): void {
    const p = bytesPath(abs);
    const { uid, gid } = this.owner(e);
    lchownSync(p, uid, gid);
    if (kind !== 'symlink') chmodSync(p, e.mode);
    this.setXattrs(abs, e);
    if (kind === 'symlink') lutimesSync(p, atimeOf(e), e.mtime);
    else if (kind !== 'dir') utimesSync(p, atimeOf(e), e.mtime);
  }

  private setXattrs(abs: string, e: TarEntry): void {
    if (e.xattrs.size === 0) return;
    for (const [name, value] of e.xattrs) {
      if (name.startsWith('trusted.overlay.')) {
        throw invalid(`${this.o.what}: unsafe entry ${JSON.stringify(textPath(e.path))}: it carries overlayfs' own xattr ${name}`);
      }
      if (!isUtf8Path(abs) || !isUtf8Path(name))
        throw runtimeError(`${this.o.what}: cannot set xattr ${textPath(name)} on ${textPath(e.path)}: name is not UTF-8`);
      try {
        xattrs().setAttributeSync(textPath(abs), textPath(name), value);
      } catch (err) {
        // As moby: a filesystem or kernel without that namespace (security.selinux on a host
        // without SELinux) is not a reason to refuse the image.
        if (!/not supported|not permitted|os error (95|1)\b/i.test((err as Error).message)) throw err;
      }
    }
  }
}

/** Access time as moby sets it: never before the modification time. */
function atimeOf(e: TarEntry): number {
  return e.atime !== undefined && e.atime > e.mtime ? e.atime : e.mtime;
}

/**
 * A writable that applies the tar written into it onto `dest`, hashing the (uncompressed) tar
 * on the way when given a hash. `result` settles when the stream has finished or failed.
 */
export class ApplyStream extends Writable {
  readonly applier: TarApplier;
  private readonly parser: TarParser;
  result?: ApplyResult;

  constructor(
    dest: string,
    private readonly opts: ApplyOptions,
    private readonly hash?: Hash,
  ) {
    super({ highWaterMark: 1 << 20 });
    this.applier = new TarApplier(dest, opts);
    this.parser = new TarParser(this.applier);
  }

  bytes = 0;

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (e?: Error | null) => void): void {
    try {
      this.hash?.update(chunk);
      this.bytes += chunk.length;
      this.parser.write(chunk);
      cb();
    } catch (e) {
      this.applier.abort();
      cb(this.mapError(e));
    }
  }

  /** A malformed archive is the caller's bad input; anything else stays what it was. */
  private mapError(e: unknown): Error {
    if (e instanceof TarFormatError) return invalid(`${this.opts.what}: ${e.message}`);
    return e as Error;
  }

  override _final(cb: (e?: Error | null) => void): void {
    try {
      this.parser.end();
      this.result = this.applier.finish();
      cb();
    } catch (e) {
      this.applier.abort();
      cb(this.mapError(e));
    }
  }

  override _destroy(err: Error | null, cb: (e?: Error | null) => void): void {
    this.applier.abort();
    cb(err);
  }
}
