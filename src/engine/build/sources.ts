/**
 * COPY/ADD sources: resolved inside their root (the build context, or a stage's / image's
 * filesystem), never outside it; globbed as docker does; .dockerignore honoured for the
 * context. `packSources` writes one layer tar of them at the destination, with the owners,
 * modes and parent directories docker gives, and a content hash for the build cache (names,
 * modes, owners and bytes; not mtimes, so a fresh checkout still hits the cache).
 */
import { createHash } from 'node:crypto';
import {
  openSync,
  readSync,
  closeSync,
  createReadStream,
  createWriteStream,
  lstatSync,
  mkdtempSync,
  readdirSync,
  readlinkSync,
  realpathSync,
  rmSync,
  type Stats,
} from 'node:fs';
import { join, posix } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { ApplyStream } from '../fs/apply-tar.js';
import { packTree } from '../fs/pack-tree.js';
import { TarWriter, type PackEntry } from '../tar/writer.js';
import { invalid } from '../errors.js';
import { decompressor, detectFileCompression } from '../image/compression.js';
import type { DockerIgnore } from './dockerignore.js';

export interface SourceRoot {
  root: string;
  ignore?: DockerIgnore;
  /** For messages: "build context" or "stage b1". */
  what: string;
}

export interface Source {
  abs: string;
  rel: string;
  st: Stats;
}

function globRe(p: string): RegExp {
  let re = '';
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = p.indexOf(']', i);
      if (end < 0) re += '\\[';
      else {
        re += `[${p.slice(i + 1, end).replace(/^!/, '^')}]`;
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

function walk(root: string, rel: string, out: string[], ignore?: DockerIgnore): void {
  let names: string[];
  try {
    names = readdirSync(join(root, rel)).sort();
  } catch {
    return;
  }
  for (const n of names) {
    const r = rel ? `${rel}/${n}` : n;
    const st = lstatSync(join(root, r));
    if (ignore?.ignored(r) && !(st.isDirectory() && ignore.mayReincludeBelow(r))) continue;
    out.push(r);
    if (st.isDirectory()) walk(root, r, out, ignore);
  }
}

/** A path inside `root` whose parents (not the last component) are followed only within root. */
function inside(root: string, rel: string, shown: string): string {
  const abs = join(root, rel);
  const parent = posix.dirname(rel);
  if (parent !== '.') {
    let real: string;
    try {
      real = realpathSync(join(root, parent));
    } catch {
      return abs; // missing: reported by the caller
    }
    const rroot = realpathSync(root);
    if (real !== rroot && !real.startsWith(`${rroot}/`)) throw invalid(`COPY failed: forbidden path outside the build context: ${shown}`);
  }
  return abs;
}

export function resolveSources(src: SourceRoot, patterns: string[]): Source[] {
  const out: Source[] = [];
  for (const pat of patterns) {
    const norm = posix.normalize(`/${pat}`).slice(1); // "/x/../.." → "" ; keeps it within root
    const raw = posix.normalize(pat.replace(/^\/+/, ''));
    if (src.what === 'build context' && (raw === '..' || raw.startsWith('../'))) throw invalid(`COPY failed: forbidden path outside the build context: ${pat}`);
    const rel = norm.replace(/\/+$/, '');
    const notFound = () =>
      invalid(`COPY failed: file not found in ${src.what}${src.ignore ? ' or excluded by .dockerignore' : ''}: stat ${pat}: file does not exist`);
    if (/[*?[]/.test(rel)) {
      const re = globRe(rel);
      const all: string[] = [];
      walk(src.root, '', all, src.ignore);
      const hits = all.filter((r) => re.test(r) && !src.ignore?.ignored(r));
      if (hits.length === 0) throw notFound();
      for (const h of hits) out.push({ abs: inside(src.root, h, pat), rel: h, st: lstatSync(join(src.root, h)) });
      continue;
    }
    if (
      rel !== '' &&
      src.ignore?.ignored(rel) &&
      !(src.ignore.mayReincludeBelow(rel) && lstatSync(join(src.root, rel), { throwIfNoEntry: false })?.isDirectory())
    )
      throw notFound();
    const abs = rel === '' ? src.root : inside(src.root, rel, pat);
    let st: Stats;
    try {
      // the source itself: a symlink in the context is copied as a link; in an image, followed within it
      st = lstatSync(abs);
    } catch {
      throw notFound();
    }
    if (st.isSymbolicLink() && src.what !== 'build context') {
      const target = realpathSync(abs);
      const rroot = realpathSync(src.root);
      if (target.startsWith(`${rroot}/`)) {
        out.push({ abs: target, rel: target.slice(rroot.length + 1), st: lstatSync(target) });
        continue;
      }
    }
    out.push({ abs, rel, st });
  }
  return out;
}

export interface Owner {
  uid: number;
  gid: number;
}

export interface PackPlan {
  sources: Source[];
  srcRoot: SourceRoot;
  /** Absolute destination in the image (WORKDIR applied). */
  dest: string;
  destIsDir: boolean;
  owner: Owner;
  chmod?: number;
  /** ADD: local tar archives are unpacked at the destination. */
  extractArchives?: boolean;
  /** Metadata of an existing directory in the image (for parents the layer must carry). */
  parentStat: (abs: string) => { mode: number; uid: number; gid: number; mtime: Date } | undefined;
}

function isArchive(file: string): boolean {
  if (detectFileCompression(file) !== 'none') return true;
  try {
    const fd = openSync(file, 'r');
    const b = Buffer.alloc(6);
    readSync(fd, b, 0, 6, 257);
    closeSync(fd);
    return b.toString().startsWith('ustar');
  } catch {
    return false;
  }
}

/** Writes the layer tar into `file`; returns the sources' content hash. */
export async function packSources(plan: PackPlan, file: string): Promise<string> {
  const hash = createHash('sha256');
  hash.update(JSON.stringify({ dest: plan.dest, dir: plan.destIsDir, owner: plan.owner, chmod: plan.chmod ?? null }));
  // The cache key: every entry's metadata but its mtime (a fresh checkout still hits the
  // cache), and every byte of content.
  const w = new TarWriter({
    entry: ({ mtime: _m, ...meta }) =>
      hash.update(JSON.stringify({ ...meta, xattrs: meta.xattrs ? [...meta.xattrs].map(([k, v]) => [k, v.toString('base64')]) : undefined })),
    data: (chunk) => hash.update(chunk),
  });
  const writing = pipeline(w.stream, createWriteStream(file));
  writing.catch(() => undefined);
  const done = new Set<string>();
  const secs = (d: Date) => Math.floor(d.getTime() / 1000);
  const own = { uid: plan.owner.uid, gid: plan.owner.gid };
  const parents = async (abs: string) => {
    const parts = abs.split('/').filter(Boolean);
    for (let i = 1; i < parts.length; i++) {
      const d = `/${parts.slice(0, i).join('/')}`;
      if (done.has(d)) continue;
      done.add(d);
      const st = plan.parentStat(d);
      await w.entry({ name: d.slice(1), type: 'dir', mode: st?.mode ?? 0o755, uid: st?.uid ?? 0, gid: st?.gid ?? 0, mtime: secs(st?.mtime ?? new Date()) });
    }
  };
  // Excluded directories walked for an exception below them: written only once something
  // below them is (docker's context then holds them as the parents of what it re-includes).
  const pending: { target: string; entry: PackEntry }[] = [];
  const flush = async () => {
    for (const p of pending.splice(0)) {
      done.add(p.target);
      await w.entry(p.entry);
    }
  };
  const one = async (abs: string, st: Stats, target: string, ignoreRel?: string): Promise<void> => {
    const ignore = ignoreRel !== undefined ? plan.srcRoot.ignore : undefined;
    const excluded = !!ignoreRel && !!ignore?.ignored(ignoreRel);
    if (excluded && !(st.isDirectory() && ignore!.mayReincludeBelow(ignoreRel))) return;
    const name = target.replace(/^\/+/, '');
    const mode = plan.chmod ?? st.mode & 0o7777;
    if (st.isDirectory()) {
      const dirEntry = name && !done.has(target) ? { target, entry: { name, type: 'dir' as const, mode, ...own, mtime: secs(st.mtime) } } : undefined;
      if (dirEntry) {
        pending.push(dirEntry);
        if (!excluded) await flush();
      }
      for (const n of readdirSync(abs).sort()) {
        const child = join(abs, n);
        await one(child, lstatSync(child), posix.join(target, n), ignoreRel !== undefined ? (ignoreRel ? `${ignoreRel}/${n}` : n) : undefined);
      }
      const left = dirEntry ? pending.indexOf(dirEntry) : -1;
      if (left >= 0) pending.splice(left);
    } else if (st.isSymbolicLink()) {
      await flush();
      await w.entry({ name, type: 'symlink', linkname: readlinkSync(abs), mode: 0o777, ...own, mtime: secs(st.mtime) });
    } else if (st.isFile()) {
      await flush();
      await w.entry({ name, type: 'file', size: st.size, mode, ...own, mtime: secs(st.mtime) }, { file: abs });
    }
    // devices, fifos and sockets are not copied (docker skips sockets; devices need privileges)
  };
  // ADD of a local archive: applied (the one applier, so its links, modes, owners and xattrs
  // are kept as a layer keeps them) into a scratch directory, then packed under the destination.
  const extract = async (archive: string, destDir: string) => {
    const scratch = mkdtempSync(`${file}.add-`);
    try {
      await pipeline(
        createReadStream(archive),
        decompressor(detectFileCompression(archive)),
        new ApplyStream(scratch, { what: `ADD ${posix.basename(archive)}` }),
      );
      await packTree(scratch, w, { as: '', under: destDir });
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  };
  try {
    const destDir = plan.destIsDir ? plan.dest : posix.dirname(plan.dest);
    await parents(posix.join(destDir, 'x'));
    if (plan.destIsDir && destDir !== '/' && !done.has(destDir)) {
      done.add(destDir);
      const st = plan.parentStat(destDir);
      await w.entry({
        name: destDir.slice(1),
        type: 'dir',
        mode: st?.mode ?? 0o755,
        uid: st?.uid ?? own.uid,
        gid: st?.gid ?? own.gid,
        mtime: secs(st?.mtime ?? new Date()),
      });
    }
    for (const s of plan.sources) {
      const ctxRel = plan.srcRoot.ignore ? s.rel : undefined;
      if (s.st.isDirectory()) {
        await one(s.abs, s.st, plan.destIsDir ? plan.dest : plan.dest, ctxRel);
      } else if (plan.extractArchives && s.st.isFile() && isArchive(s.abs)) {
        await extract(s.abs, destDir);
      } else {
        await one(s.abs, s.st, plan.destIsDir ? posix.join(plan.dest, posix.basename(s.rel || s.abs)) : plan.dest, ctxRel);
      }
    }
    await w.finalize();
    await writing;
  } catch (e) {
    w.abort(e as Error);
    await writing.catch(() => undefined);
    throw e;
  }
  return `sha256:${hash.digest('hex')}`;
}
