/**
 * `berth cp CONTAINER:SRC DEST|-` and `berth cp SRC|- CONTAINER:DEST`, with docker's rules:
 * an existing directory receives the source inside it, a missing destination is created with
 * the source's content, "SRC/." copies a directory's contents, "-" is a tar stream.
 */
import type { Command } from 'commander';
import { existsSync, lstatSync, mkdirSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { posix } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { CliContext } from './context.js';
import type { Engine } from '../engine/api.js';
import { isEngineError } from '../engine/index.js';
import { extractOneFile, extractToHost, packHostPath } from '../engine/archive.js';

function splitArg(a: string): { container?: string; path: string } {
  if (a === '-' || a.startsWith('/') || a.startsWith('.')) return { path: a };
  const i = a.indexOf(':');
  return i > 0 ? { container: a.slice(0, i), path: a.slice(i + 1) } : { path: a };
}

interface CpFlags {
  /** -a: keep the source's owners (uid/gid) instead of the copying side's. */
  archive: boolean;
  /** -L: a symlink as the source is copied as what it points to, under the link's name. */
  followLink: boolean;
}

/** Host-side extraction, as safe as the engine's (a container's tar may carry hostile links). */
function untar(stream: Readable, cwd: string, strip: number, f: CpFlags): Promise<void> {
  return extractToHost(stream, cwd, strip, f.archive);
}

/** Where a link inside the container points, as an absolute path (docker cp -L's resolution). */
function linkTargetOf(src: string, linkTarget: string): string {
  return posix.isAbsolute(linkTarget) ? linkTarget : posix.join(posix.dirname(src.replace(/\/+$/, '')), linkTarget);
}

async function fromContainer(engine: Engine, ctr: string, src: string, dst: string, f: CpFlags): Promise<void> {
  // -L: copy what the link points to, named as the link (docker's "rebase")
  let from = src;
  let rebase: string | undefined;
  if (f.followLink) {
    const st = await engine.containers.stat(ctr, src);
    if (st.linkTarget) {
      from = linkTargetOf(src, st.linkTarget);
      rebase = posix.basename(src.replace(/\/+$/, ''));
    }
  }
  const { stream, stat } = await engine.containers.copyFrom(ctr, from);
  if (dst === '-') return pipeline(stream, process.stdout);
  let target = resolve(dst);
  const contentsOnly = from.endsWith('/.');
  if (existsSync(target) && statSync(target).isDirectory() && !contentsOnly) {
    if (!rebase) return untar(stream, target, 0, f);
    target = join(target, rebase); // entries carry the target's name: written under the link's
  }
  if (stat.isDir) {
    if (existsSync(target) && !statSync(target).isDirectory()) throw new Error(`cannot copy a directory to a file: ${dst}`);
    if (!existsSync(dirname(target))) throw new Error(`no such directory: ${dirname(dst)}`);
    mkdirSync(target, { recursive: true });
    return untar(stream, target, 1, f);
  }
  if (dst.endsWith('/')) throw new Error(`no such directory: ${dst}`);
  if (!existsSync(dirname(target))) throw new Error(`no such directory: ${dirname(dst)}`);
  return extractOneFile(stream, target, f.archive);
}

async function toContainer(engine: Engine, src: string, ctr: string, dst: string, f: CpFlags): Promise<void> {
  if (src === '-') return engine.containers.copyTo(ctr, dst, process.stdin, { copyUIDGID: f.archive });
  const given = resolve(src);
  if (!lstatSync(given, { throwIfNoEntry: false })) throw new Error(`could not find the file ${src} on the host`);
  // -L: the link's target, under the link's name; else a link is copied as the link
  const source = f.followLink ? realpathSync(given) : given;
  const srcIsDir = (f.followLink ? statSync(source) : lstatSync(source)).isDirectory();
  let destDir = dst;
  let name = basename(given);
  try {
    let st = await engine.containers.stat(ctr, dst);
    // a link as the destination is followed, as docker's cp does
    if (st.linkTarget) {
      dst = linkTargetOf(dst, st.linkTarget);
      destDir = dst;
      st = await engine.containers.stat(ctr, dst);
    }
    if (!st.isDir) {
      if (srcIsDir) throw new Error(`cannot copy a directory to a file: ${dst}`);
      destDir = posix.dirname(dst);
      name = posix.basename(dst);
    }
  } catch (e) {
    if (!isEngineError(e, 'not-found')) throw e;
    destDir = posix.dirname(dst);
    name = posix.basename(dst);
  }
  const contentsOnly = src.endsWith('/.') && srcIsDir;
  await engine.containers.copyTo(ctr, contentsOnly ? dst : destDir, packHostPath(source, contentsOnly ? '' : name), { copyUIDGID: f.archive });
}

export function define(cmd: Command, ctx: CliContext): void {
  cmd
    .argument('<src>', 'CONTAINER:SRC_PATH or SRC_PATH|-')
    .argument('<dest>', 'DEST_PATH|- or CONTAINER:DEST_PATH')
    .option('-a, --archive', 'Archive mode (copy all uid/gid information)')
    .option('-L, --follow-link', 'Always follow symbol link in SRC_PATH')
    .action(async (srcArg: string, dstArg: string, o: { archive?: boolean; followLink?: boolean }) => {
      const f: CpFlags = { archive: !!o.archive, followLink: !!o.followLink };
      const s = splitArg(srcArg);
      const d = splitArg(dstArg);
      if (s.container && d.container) throw new Error('copying between containers is not supported');
      if (!s.container && !d.container) throw new Error('must specify at least one container source');
      const engine = await ctx.engine();
      if (s.container) await fromContainer(engine, s.container, s.path, d.path, f);
      else await toContainer(engine, s.path, d.container!, d.path, f);
    });
}
