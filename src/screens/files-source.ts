/**
 * Where the file browser reads from: a container through the engine API — listings by the
 * engine's listDir (nothing runs in the container, so images without `ls` list too; a stopped
 * container as well), or on hosts without it by `ls` run in the container; the archive API of
 * `berth cp` for reading and copying — or a volume (the engine's listing and archive API for
 * volumes, the same code with the volume as the root; else its mountpoint on this machine,
 * confined to it and read only).
 */
import { Writable, type Readable } from 'node:stream';
import { existsSync, lstatSync, statSync, mkdirSync, realpathSync } from 'node:fs';
import { lstat, readdir, open, realpath } from 'node:fs/promises';
import { basename, dirname, join, posix, resolve, sep } from 'node:path';
import { extract } from 'tar-stream';
import type { DirEntry, Engine, PathStat } from '../engine/api.js';
import { isEngineError } from '../engine/index.js';
import { extractOneFile, extractToHost, packHostPath } from '../engine/archive.js';

export interface FileEntry {
  name: string;
  /** A directory, or a link to one (enter opens it). */
  dir: boolean;
  /** What the engine's listDir tells (ls by exec tells only names). */
  detail?: DirEntry;
}

/** DirEntry → FileEntry, in the browser's order (directories first, then by name). */
export function fromDirEntries(list: readonly DirEntry[]): FileEntry[] {
  return sortEntries(list.map((e) => ({ name: e.name, dir: e.type === 'dir' || (e.type === 'symlink' && e.targetIsDir), detail: e })));
}

function sortEntries(list: FileEntry[]): FileEntry[] {
  return list.sort((a, b) => (a.dir === b.dir ? (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) : a.dir ? -1 : 1));
}

export interface FileSource {
  /** What the title shows: "web:/etc" or "volume data:/". */
  label: string;
  list(dir: string): Promise<FileEntry[]>;
  /** 'dir' or 'file' (a link is what it points to), with the size of a file. */
  kind(path: string): Promise<{ dir: boolean; size: number }>;
  /** `length` bytes from `offset`, and the file's whole size. */
  read(path: string, offset: number, length: number): Promise<{ data: Buffer; size: number }>;
  /** Copies `path` out to `dest` on this machine, with berth cp's rules; returns where it went. */
  copyOut(path: string, dest: string): Promise<string>;
  /** Copies `src` on this machine into directory `dir`; returns the new path. */
  copyIn(src: string, dir: string): Promise<string>;
  /** Set when this source cannot copy at all: why (the copy keys say it at once). */
  copyRefusal?: string;
}

/** Collects a process's output (an exec's stdout/stderr). */
function collector(): Writable & { text(): string } {
  const chunks: Buffer[] = [];
  const w = new Writable({
    write(chunk: Buffer, _enc, cb) {
      chunks.push(Buffer.from(chunk));
      cb();
    },
  }) as Writable & { text(): string };
  w.text = () => Buffer.concat(chunks).toString('utf8');
  return w;
}

/** `ls -1Ap` output → entries, directories first then by name (as mc and ranger list them). */
export function parseLs(out: string): FileEntry[] {
  return sortEntries(
    out
      .split('\n')
      .filter(Boolean)
      .map((l) => (l.endsWith('/') ? { name: l.slice(0, -1), dir: true } : { name: l, dir: false })),
  );
}

/** Reads the first file of a tar stream from `offset`, up to `length` bytes, then stops reading. */
async function readFromTar(tar: Readable, offset: number, length: number): Promise<Buffer> {
  return new Promise<Buffer>((res, rej) => {
    const ex = extract();
    const parts: Buffer[] = [];
    let seen = 0;
    let got = 0;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      res(Buffer.concat(parts));
      tar.destroy();
      ex.destroy();
    };
    ex.on('entry', (_h, stream, next) => {
      stream.on('data', (chunk: unknown) => {
        const c = chunk as Buffer;
        if (done) return;
        const start = Math.max(0, offset - seen);
        seen += c.length;
        if (start < c.length) {
          const piece = c.subarray(start, start + (length - got));
          parts.push(Buffer.from(piece));
          got += piece.length;
        }
        if (got >= length) finish();
      });
      stream.on('end', () => finish());
      stream.on('error', rej);
      void next;
    });
    ex.on('finish', finish);
    ex.on('error', (e) => (done ? undefined : rej(e)));
    tar.on('error', (e) => (done ? undefined : rej(e)));
    tar.pipe(ex);
  });
}

/** The engine calls a source needs beyond listing: those of containers, or of volumes. */
interface ArchiveOps {
  stat(path: string): Promise<PathStat>;
  copyFrom(path: string): Promise<{ stream: Readable; stat: PathStat }>;
  copyTo(dir: string, tar: Readable): Promise<void>;
}

/** Reading and copying through the engine's archive API (`berth cp`'s), for a container or a volume. */
function archiveSource(label: string, list: (dir: string) => Promise<FileEntry[]>, ops: ArchiveOps): FileSource {
  const kind = async (path: string) => {
    let st = await ops.stat(path);
    if (st.linkTarget) st = await ops.stat(posix.isAbsolute(st.linkTarget) ? st.linkTarget : posix.join(posix.dirname(path), st.linkTarget));
    return { dir: st.isDir, size: st.size };
  };
  const read = async (path: string, offset: number, length: number): Promise<{ data: Buffer; size: number }> => {
    const { stream, stat } = await ops.copyFrom(path);
    // A link is read as what it points to (copyFrom gives the link itself).
    if (stat.linkTarget) {
      stream.destroy();
      const target = posix.isAbsolute(stat.linkTarget) ? stat.linkTarget : posix.join(posix.dirname(path), stat.linkTarget);
      return read(target, offset, length);
    }
    return { data: await readFromTar(stream, offset, length), size: stat.size };
  };
  return {
    label,
    list,
    kind,
    read,
    // berth cp CONTAINER:path dest: an existing directory receives it inside; else dest is created.
    async copyOut(path, dest) {
      const { stream, stat } = await ops.copyFrom(path);
      const target = resolve(dest);
      if (existsSync(target) && statSync(target).isDirectory()) {
        await extractToHost(stream, target, 0);
        return join(target, posix.basename(path));
      }
      if (!existsSync(dirname(target))) {
        stream.destroy();
        throw new Error(`no such directory: ${dirname(dest)}`);
      }
      if (stat.isDir) {
        mkdirSync(target);
        await extractToHost(stream, target, 1);
      } else await extractOneFile(stream, target);
      return target;
    },
    // berth cp src CONTAINER:dir/: the source goes inside the directory under its own name.
    async copyIn(src, dir) {
      const given = resolve(src);
      if (!lstatSync(given, { throwIfNoEntry: false })) throw new Error(`could not find the file ${src} on the host`);
      await ops.copyTo(dir, packHostPath(given, basename(given)));
      return posix.join(dir, basename(given));
    },
  };
}

export function containerSource(engine: Engine, id: string, name: string): FileSource {
  const list = async (dir: string): Promise<FileEntry[]> => {
    if (engine.containers.listDir) return fromDirEntries(await engine.containers.listDir(id, dir));
    // A Docker/Podman host: only a process in the container can list it.
    const out = collector();
    const err = collector();
    let code: number;
    try {
      code = await engine.containers.exec(id, { cmd: ['ls', '-1Ap', '--', dir] }, { stdout: out, stderr: err });
    } catch (e) {
      if (isEngineError(e, 'cmd-not-found') || isEngineError(e, 'cmd-not-executable')) code = 127;
      else throw e;
    }
    if (code === 127 || code === 126)
      throw new Error(`the image has no ls, and this host lists a directory only by running ls in the container (o still copies out)`);
    if (code !== 0) throw new Error(err.text().trim() || `ls exited with ${code}`);
    return parseLs(out.text());
  };
  return archiveSource(name, list, {
    stat: (path) => engine.containers.stat(id, path),
    copyFrom: (path) => engine.containers.copyFrom(id, path),
    copyTo: (dir, tar) => engine.containers.copyTo(id, dir, tar),
  });
}

/** Why a volume's files cannot be copied on a host whose API has no file access to volumes. */
export function volumeCopyRefusal(name: string): string {
  return `volume ${name}: this host's API has no file access to volumes; copy from a container that mounts it (F on it)`;
}

/**
 * A volume: through the engine's own listing and archive API when it has them (the embedded
 * engine: links resolved inside the volume, as `cp` resolves them inside a container);
 * otherwise (a Docker/Podman host) read at its mountpoint on this machine, without copies.
 */
export function volumeSource(engine: Engine, name: string, mountpoint: string): FileSource {
  const v = engine.volumes;
  const label = `volume ${name}`;
  if (v.listDir && v.stat && v.copyFrom && v.copyTo) {
    const { listDir, stat, copyFrom, copyTo } = v;
    return archiveSource(label, async (dir) => fromDirEntries(await listDir.call(v, name, dir)), {
      stat: (path) => stat.call(v, name, path),
      copyFrom: (path) => copyFrom.call(v, name, path),
      copyTo: (dir, tar) => copyTo.call(v, name, dir, tar),
    });
  }
  return hostDirSource(mountpoint, label, v.listDir ? (dir) => v.listDir!(name, dir) : undefined, volumeCopyRefusal(name));
}

/**
 * A volume's mountpoint on this machine, read only. Paths never leave it (links leading out
 * are refused). `listDir`: the engine's own listing of the volume (same confinement, with
 * modes and sizes). Copies are refused with `refusal`: a host-side copy would not resolve links
 * inside the volume as berth cp does, and a link could carry it out of the volume.
 */
export function hostDirSource(root: string, label: string, listDir: ((dir: string) => Promise<DirEntry[]>) | undefined, refusal: string): FileSource {
  const inside = async (p: string) => {
    const full = join(root, p);
    const real = await realpath(full);
    const realRoot = realpathSync(root);
    if (real !== realRoot && !real.startsWith(realRoot + sep)) throw new Error(`${p} points outside the volume`);
    return real;
  };
  return {
    label,
    async list(dir) {
      if (listDir) return fromDirEntries(await listDir(dir));
      const d = await inside(dir);
      const ents = await readdir(d, { withFileTypes: true });
      const out: FileEntry[] = [];
      for (const e of ents) {
        let dirLike = e.isDirectory();
        if (e.isSymbolicLink())
          dirLike = await inside(posix.join(dir, e.name)).then(
            (r) => lstatSync(r).isDirectory(),
            () => false,
          );
        out.push({ name: e.name, dir: dirLike });
      }
      return parseLs(out.map((e) => (e.dir ? `${e.name}/` : e.name)).join('\n'));
    },
    async kind(p) {
      const st = await lstat(await inside(p));
      return { dir: st.isDirectory(), size: st.size };
    },
    async read(p, offset, length) {
      const fh = await open(await inside(p), 'r');
      try {
        const size = (await fh.stat()).size;
        const buf = Buffer.alloc(Math.max(0, Math.min(length, size - offset)));
        await fh.read(buf, 0, buf.length, offset);
        return { data: buf, size };
      } finally {
        await fh.close();
      }
    },
    copyRefusal: refusal,
    copyOut: () => Promise.reject(new Error(refusal)),
    copyIn: () => Promise.reject(new Error(refusal)),
  };
}
