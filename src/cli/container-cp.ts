/**
 * `berth cp CONTAINER:SRC DEST|-` and `berth cp SRC|- CONTAINER:DEST`, with docker's rules:
 * an existing directory receives the source inside it, a missing destination is created with
 * the source's content, "SRC/." copies a directory's contents, "-" is a tar stream.
 */
import type { Command } from 'commander';
import { existsSync, statSync, mkdirSync, realpathSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { posix } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { CliContext } from './context.js';
import type { Engine } from '../engine/api.js';
import { isEngineError } from '../engine/errors.js';
import { extractOneFile, extractToHost, packHostPath } from '../engine/archive.js';

function splitArg(a: string): { container?: string; path: string } {
  if (a === '-' || a.startsWith('/') || a.startsWith('.')) return { path: a };
  const i = a.indexOf(':');
  return i > 0 ? { container: a.slice(0, i), path: a.slice(i + 1) } : { path: a };
}

interface CpOptions {
  archive?: boolean;
  followLink?: boolean;
}

async function fromContainer(engine: Engine, ctr: string, src: string, dst: string, o: CpOptions): Promise<void> {
  if (o.followLink) {
    // -L: a link named as the source is replaced by what it points to, as docker's CLI does
    const st = await engine.containers.stat(ctr, src);
    if (st.linkTarget) src = st.linkTarget.startsWith('/') ? st.linkTarget : posix.join(posix.dirname(src), st.linkTarget);
  }
  const { stream, stat } = await engine.containers.copyFrom(ctr, src);
  if (dst === '-') return pipeline(stream, process.stdout);
  const target = resolve(dst);
  const contentsOnly = src.endsWith('/.');
  if (existsSync(target) && statSync(target).isDirectory() && !contentsOnly) return extractToHost(stream, target, 0);
  if (stat.isDir) {
    if (existsSync(target) && !statSync(target).isDirectory()) throw new Error(`cannot copy a directory to a file: ${dst}`);
    if (!existsSync(dirname(target))) throw new Error(`no such directory: ${dirname(dst)}`);
    mkdirSync(target, { recursive: true });
    return extractToHost(stream, target, 1);
  }
  if (dst.endsWith('/')) throw new Error(`no such directory: ${dst}`);
  if (!existsSync(dirname(target))) throw new Error(`no such directory: ${dirname(dst)}`);
  return extractOneFile(stream, target);
}

async function toContainer(engine: Engine, src: string, ctr: string, dst: string, o: CpOptions): Promise<void> {
  const copyOpts = { copyUIDGID: !!o.archive };
  if (src === '-') return engine.containers.copyTo(ctr, dst, process.stdin, copyOpts);
  let source = resolve(src);
  if (!existsSync(source)) throw new Error(`could not find the file ${src} on the host`);
  if (o.followLink) source = realpathSync(source);
  const srcIsDir = statSync(source).isDirectory();
  let destDir = dst;
  let name = basename(source);
  try {
    const st = await engine.containers.stat(ctr, dst);
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
  await engine.containers.copyTo(ctr, contentsOnly ? dst : destDir, packHostPath(source, contentsOnly ? '' : name), copyOpts);
}

export function define(cmd: Command, ctx: CliContext): void {
  cmd
    .argument('<src>', 'CONTAINER:SRC_PATH or SRC_PATH|-')
    .argument('<dest>', 'DEST_PATH|- or CONTAINER:DEST_PATH')
    .option('-a, --archive', 'Archive mode (copy all uid/gid information)')
    .option('-L, --follow-link', 'Always follow symbol link in SRC_PATH')
    .action(async (srcArg: string, dstArg: string, o: CpOptions) => {
      const s = splitArg(srcArg);
      const d = splitArg(dstArg);
      if (s.container && d.container) throw new Error('copying between containers is not supported');
      if (!s.container && !d.container) throw new Error("must specify at least one container source");
      const engine = await ctx.engine();
      if (s.container) await fromContainer(engine, s.container, s.path, d.path, o);
      else await toContainer(engine, s.path, d.container!, d.path, o);
    });
}
