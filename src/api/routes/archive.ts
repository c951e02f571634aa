/** docker's /containers/{id}/archive: GET (a tar of a path), HEAD (its stat), PUT (extract a tar). */
import type { PathStat } from '../../engine/api.js';
import { isEngineError } from '../../engine/index.js';
import type { Route, RouteContext } from '../route.js';
import { boolParam } from '../body.js';
import { ApiError, badRequest } from '../errors.js';
import { pipeTo } from './containers.js';

/** Go's os.FileMode bits that docker's clients read from the stat header (IsDir, symlink). */
const GO_DIR = 0x80000000;
const GO_SYMLINK = 0x08000000;

export function statHeader(s: PathStat): string {
  let mode = s.mode & 0o777;
  if (s.isDir) mode = (mode | GO_DIR) >>> 0;
  if (s.linkTarget) mode = (mode | GO_SYMLINK) >>> 0;
  return Buffer.from(JSON.stringify({ name: s.name, size: s.size, mode, mtime: s.mtime, linkTarget: s.linkTarget })).toString('base64');
}

function pathOf(ctx: RouteContext): string {
  const p = ctx.query.get('path');
  if (!p) throw badRequest('path is required');
  return p;
}

/** docker's 404 for a missing path names the container as the client did. */
async function withPath<T>(ctx: RouteContext, path: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (isEngineError(e, 'not-found') && !/no such container/i.test(e.message))
      throw new ApiError(404, `Could not find the file ${path} in container ${ctx.params.id}`);
    throw e;
  }
}

export const routes: Route[] = [
  {
    method: 'HEAD',
    path: '/containers/{id}/archive',
    handle: async (ctx) => {
      const path = pathOf(ctx);
      const s = await withPath(ctx, path, () => ctx.engine.containers.stat(ctx.params.id!, path));
      ctx.res.writeHead(200, { 'X-Docker-Container-Path-Stat': statHeader(s), 'Content-Type': 'application/x-tar' }).end();
    },
  },
  {
    method: 'GET',
    path: '/containers/{id}/archive',
    handle: async (ctx) => {
      const path = pathOf(ctx);
      const { stream, stat } = await withPath(ctx, path, () => ctx.engine.containers.copyFrom(ctx.params.id!, path));
      ctx.res.writeHead(200, { 'X-Docker-Container-Path-Stat': statHeader(stat), 'Content-Type': 'application/x-tar' });
      await pipeTo(stream, ctx);
    },
  },
  {
    method: 'PUT',
    path: '/containers/{id}/archive',
    handle: async (ctx) => {
      const path = pathOf(ctx);
      await withPath(ctx, path, () => ctx.engine.containers.copyTo(ctx.params.id!, path, ctx.req, { copyUIDGID: boolParam(ctx.query, 'copyUIDGID') }));
      ctx.res.writeHead(200, { 'Content-Length': 0 }).end();
    },
  },
];
