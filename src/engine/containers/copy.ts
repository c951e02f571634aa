/**
 * `cp` inside a container: paths resolve as the container sees them — symlinks followed but
 * re-rooted at the container's root, mount targets mapped to their host sources — so a link to
 * "/" inside the container never reaches the host's "/". Stopped containers get their rootfs
 * mounted for the copy.
 */
import { lstatSync, statSync, existsSync, readlinkSync } from 'node:fs';
import { posix, basename, join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { DirEntry, PathStat } from '../api.js';
import { listScoped } from '../fs/list-dir.js';
import { invalid, notFound } from '../errors.js';
import { ApplyStream } from '../fs/apply-tar.js';
import { packStream } from '../fs/pack-tree.js';
import { toBytes } from '../tar/bytes-path.js';
import { resolveScoped } from '../fs/scoped-path.js';
import { etcPaths, type ContainerContext } from './context.js';
import type { Container } from './records.js';
import { mountRootfs, unmountRootfs, isMounted } from './rootfs.js';

/** Mounts a stopped container's rootfs for the duration of `fn`. */
async function withRoot<T>(ctx: ContainerContext, c: Container, fn: (root: string) => Promise<T>): Promise<T> {
  const d = ctx.rootfs(c.id);
  const mountedHere = !isMounted(d.merged);
  if (mountedHere) await mountRootfs(d, ctx.paths.layers, ctx.store.layersOf(c.image_id));
  try {
    return await fn(d.merged);
  } finally {
    if (mountedHere && !(ctx.records.byId(c.id)?.state === 'running')) await unmountRootfs(d).catch(() => undefined);
  }
}

/** A mount as cp sees it: container path → host path (a directory, or a single file). */
interface CpMount {
  target: string;
  source: string;
}

/**
 * What is mounted over the container's root, longest target first: its binds and volumes, and
 * the /etc/hostname, /etc/hosts, /etc/resolv.conf berth writes (once it has run; before, the
 * image's own files are what the container would see). tmpfs mounts live only in the
 * container's mount namespace and cannot be reached from here.
 */
function cpMounts(ctx: ContainerContext, c: Container): CpMount[] {
  const out: CpMount[] = c.spec.mounts.filter((m) => m.type !== 'tmpfs').map((m) => ({ target: m.target, source: m.source }));
  const etc = etcPaths(ctx.dir(c.id));
  for (const [target, source] of [
    ['/etc/hostname', etc.hostname],
    ['/etc/hosts', etc.hosts],
    ['/etc/resolv.conf', etc.resolv],
  ] as const) {
    if (!out.some((m) => m.target === target) && existsSync(source)) out.push({ target, source });
  }
  return out.sort((a, b) => b.target.length - a.target.length);
}

/** The host path of an already-resolved container path: inside the mount holding it, or the root. */
function mapToHost(root: string, mounts: CpMount[], cpath: string): string {
  for (const m of mounts) {
    if (cpath === m.target) return m.source;
    if (cpath.startsWith(`${m.target}/`)) return join(m.source, cpath.slice(m.target.length));
  }
  return join(root, cpath);
}

/**
 * The host path for `path` inside the container, resolved as a process in it would: one
 * component at a time, symlinks followed relative to the container's root (an absolute link
 * starts again at its "/", ".." stops there), each step looked up in the mount that holds it —
 * so a link into a volume reaches the volume, and a link to "/" never reaches the host's "/".
 */
function hostPath(ctx: ContainerContext, c: Container, root: string, path: string, followLast: boolean, mounts = cpMounts(ctx, c), bytes = false): string {
  return resolveScoped(path, (p) => mapToHost(root, mounts, p), followLast, bytes);
}

function statOf(p: string, name: string): PathStat {
  const st = lstatSync(p);
  let link = '';
  if (st.isSymbolicLink()) link = readlinkSync(p);
  return { name, size: st.size, mode: st.mode, mtime: st.mtime.toISOString(), isDir: st.isDirectory(), linkTarget: link };
}

/** A trailing "/" (or "/.") asks for what a link as the last element points to, as in docker. */
const followsLast = (path: string) => path.endsWith('/') || path.endsWith('/.');

export async function statInContainer(ctx: ContainerContext, c: Container, path: string): Promise<PathStat> {
  return withRoot(ctx, c, async (root) => {
    const p = hostPath(ctx, c, root, path, followsLast(path));
    if (!lstatSync(p, { throwIfNoEntry: false })) throw notFound(`Could not find the file ${path} in container ${c.name}`);
    return statOf(p, basename(path));
  });
}

/** `listDir`: the entries of a directory, the rootfs mounted for a stopped container. */
export async function listInContainer(ctx: ContainerContext, c: Container, path: string): Promise<DirEntry[]> {
  return withRoot(ctx, c, async (root) => {
    const mounts = cpMounts(ctx, c);
    return listScoped(path, (p) => mapToHost(root, mounts, p), `container ${c.name}`);
  });
}

export async function copyFromContainer(ctx: ContainerContext, c: Container, path: string): Promise<{ stream: Readable; stat: PathStat }> {
  const d = ctx.rootfs(c.id);
  const mountedHere = !isMounted(d.merged);
  if (mountedHere) await mountRootfs(d, ctx.paths.layers, ctx.store.layersOf(c.image_id));
  const release = async () => {
    if (mountedHere && ctx.records.byId(c.id)?.state !== 'running') await unmountRootfs(d).catch(() => undefined);
  };
  try {
    // "/." copies the directory's contents (docker's cp semantics); a link as the last element
    // is copied as the link (`cp -L` asks for its target by name).
    const p = hostPath(ctx, c, d.merged, path.replace(/\/\.$/, '') || '/', followsLast(path));
    if (!lstatSync(p, { throwIfNoEntry: false })) throw notFound(`Could not find the file ${path} in container ${c.name}`);
    const stat = statOf(p, basename(path.replace(/\/\.?$/, '')) || '/');
    const stream = packStream(p, { as: stat.name === '/' ? '' : stat.name }, () => void release());
    return { stream, stat };
  } catch (e) {
    await release();
    throw e;
  }
}

/**
 * Applies a tar stream at `path` inside the container. Each entry's directory is resolved as
 * the container would resolve it (so `bin/x` lands in /usr/bin when /bin -> usr/bin, as with
 * docker, and a link never leads out of the container); files belong to root unless
 * `copyUIDGID` keeps the archive's owners (docker's cp -a).
 */
export async function copyToContainer(ctx: ContainerContext, c: Container, path: string, tar: Readable, opts: { copyUIDGID?: boolean } = {}): Promise<void> {
  await withRoot(ctx, c, async (root) => {
    const mounts = cpMounts(ctx, c);
    const dir = hostPath(ctx, c, root, path, true, mounts);
    if (!existsSync(dir)) throw notFound(`Could not find the file ${path} in container ${c.name}`);
    if (!statSync(dir).isDirectory()) throw invalid(`extraction point is not a directory: ${path}`);
    // The applier speaks byte strings (tar/bytes-path.ts): so does the resolver it is given, and
    // it looks names up as bytes (a link named "café" is followed inside the container too).
    const bytesMounts = mounts.map((m) => ({ target: toBytes(m.target), source: toBytes(m.source) }));
    const resolveDir = (rel: string) => (rel ? hostPath(ctx, c, toBytes(root), posix.join(toBytes(path), rel), true, bytesMounts, true) : toBytes(dir));
    const owner = opts.copyUIDGID ? undefined : { uid: 0, gid: 0 };
    await pipeline(tar, new ApplyStream(dir, { what: 'refused to copy', resolveDir, ...(owner ? { owner } : {}) }));
  });
}
