/**
 * `cp` inside a container: paths resolve as the container sees them — symlinks followed but
 * re-rooted at the container's root, mount targets mapped to their host sources — so a link to
 * "/" inside the container never reaches the host's "/". Stopped containers get their rootfs
 * mounted for the copy.
 */
import { lstatSync, statSync, existsSync, readlinkSync } from 'node:fs';
import { posix, basename } from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { pack as tarPack } from 'tar-stream';
import { Unpack } from 'tar';
import type { PathStat } from '../api.js';
import { invalid, notFound } from '../errors.js';
import { resolveInRoot } from '../fs/safe-path.js';
import { packTree } from '../fs/pack-tree.js';
import type { ContainerContext } from './context.js';
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

/** The host path for `path` inside the container. */
function hostPath(c: Container, root: string, path: string, followLast: boolean): string {
  if (!posix.isAbsolute(path)) path = `/${path}`;
  const norm = posix.normalize(path);
  const mounts = [...c.spec.mounts].filter((m) => m.type !== 'tmpfs').sort((a, b) => b.target.length - a.target.length);
  for (const m of mounts) {
    if (norm === m.target || norm.startsWith(`${m.target}/`)) {
      const rest = norm.slice(m.target.length) || '/';
      if (statSync(m.source).isFile()) return m.source;
      return resolveInRoot(m.source, rest, followLast);
    }
  }
  return resolveInRoot(root, norm, followLast);
}

function statOf(p: string, name: string): PathStat {
  const st = lstatSync(p);
  let link = '';
  if (st.isSymbolicLink()) link = readlinkSync(p);
  return { name, size: st.size, mode: st.mode, mtime: st.mtime.toISOString(), isDir: st.isDirectory(), linkTarget: link };
}

export async function statInContainer(ctx: ContainerContext, c: Container, path: string): Promise<PathStat> {
  return withRoot(ctx, c, async (root) => {
    const p = hostPath(c, root, path, true);
    if (!existsSync(p)) throw notFound(`Could not find the file ${path} in container ${c.name}`);
    return statOf(p, basename(path));
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
    // "/." copies the directory's contents (docker's cp semantics); otherwise follow the path.
    const p = hostPath(c, d.merged, path.replace(/\/\.$/, '') || '/', !path.endsWith('/'));
    if (!existsSync(p) && !lstatSync(p, { throwIfNoEntry: false })) throw notFound(`Could not find the file ${path} in container ${c.name}`);
    const stat = statOf(p, basename(path.replace(/\/\.?$/, '')) || '/');
    const pk = tarPack();
    const out = new PassThrough();
    pipeline(pk, out).catch((e) => out.destroy(e as Error));
    packTree(p, pk, { as: stat.name === '/' ? '' : stat.name })
      .then(() => pk.finalize())
      .catch((e) => pk.destroy(e as Error))
      .finally(() => void release());
    return { stream: out, stat };
  } catch (e) {
    await release();
    throw e;
  }
}

export async function copyToContainer(ctx: ContainerContext, c: Container, path: string, tar: Readable): Promise<void> {
  await withRoot(ctx, c, async (root) => {
    const dir = hostPath(c, root, path, true);
    if (!existsSync(dir)) throw notFound(`Could not find the file ${path} in container ${c.name}`);
    if (!statSync(dir).isDirectory()) throw invalid(`extraction point is not a directory: ${path}`);
    const problems: string[] = [];
    const unpack = new Unpack({
      cwd: dir,
      preserveOwner: false,
      filter: (_p: string, e: unknown) => !['CharacterDevice', 'BlockDevice'].includes((e as { type?: string }).type ?? ''),
      onwarn: (code: string, msg: string | Error) => {
        if (code !== 'TAR_ENTRY_INFO') problems.push(msg instanceof Error ? msg.message : msg);
      },
    } as ConstructorParameters<typeof Unpack>[0]);
    const done = new Promise<void>((res, rej) => {
      unpack.on('close', () => res());
      unpack.on('error', rej);
    });
    await Promise.all([pipeline(tar, unpack as unknown as NodeJS.WritableStream), done]);
    if (problems.length) throw invalid(`refused to copy: ${problems[0]}`);
  });
}
