/** docker's volume routes: list, create, inspect, delete, prune. */
import type { VolumeSummary } from '../../engine/api.js';
import { volumeDoc } from '../../cli/volume-doc.js';
import { ApiError } from '../errors.js';
import { boolParam, filtersParam, readJson } from '../body.js';
import { boolFilter, labelsMatch, objectBody, parseFilters, strMap } from '../image-wire.js';
import { sendJson } from '../reply.js';
import type { Route, RouteContext } from '../route.js';

/** docker's volume document; CreatedAt in RFC 3339 whole seconds, as dockerd writes it. */
function doc(v: VolumeSummary): Record<string, unknown> {
  const t = Date.parse(v.createdAt);
  return { ...volumeDoc(v), CreatedAt: Number.isNaN(t) ? v.createdAt : new Date(Math.floor(t / 1000) * 1000).toISOString().replace('.000Z', 'Z') };
}

async function list({ engine, query, res }: RouteContext): Promise<void> {
  const f = parseFilters(query, ['dangling', 'driver', 'label', 'label!', 'name']);
  const dangling = boolFilter(f, 'dangling');
  let rows = await engine.volumes.list({ filters: f.name?.length ? { name: f.name } : {} });
  if (dangling !== undefined) rows = rows.filter((v) => (v.usedBy.length === 0) === dangling);
  if (f.driver?.length) rows = rows.filter((v) => f.driver!.includes(v.driver));
  rows = rows.filter((v) => labelsMatch(v.labels, f));
  sendJson(res, 200, { Volumes: rows.map(doc), Warnings: [] });
}

async function create({ engine, req, res }: RouteContext): Promise<void> {
  const body = objectBody(await readJson(req));
  for (const k of ['Name', 'Driver'] as const) {
    if (body[k] !== undefined && body[k] !== null && typeof body[k] !== 'string') throw new ApiError(400, `${k}: expected a string`);
  }
  const driver = (body.Driver as string | undefined) || 'local';
  if (driver !== 'local') throw new ApiError(404, `plugin "${driver}" not found`);
  const name = body.Name as string | undefined;
  const v = await engine.volumes.create({
    ...(name ? { name } : {}),
    driver,
    ...(body.Labels != null ? { labels: strMap(body.Labels, 'Labels') } : {}),
    ...(body.DriverOpts != null ? { options: strMap(body.DriverOpts, 'DriverOpts') } : {}),
  });
  sendJson(res, 201, doc(v));
}

async function inspect({ engine, params, res }: RouteContext): Promise<void> {
  sendJson(res, 200, doc(await engine.volumes.inspect(params.name!)));
}

async function remove({ engine, params, query, res }: RouteContext): Promise<void> {
  await engine.volumes.remove(params.name!, { force: boolParam(query, 'force') });
  res.writeHead(204).end();
}

/** The engine's prune, docker's filters (label, label!, all) checked by the engine. */
async function prune({ engine, query, res, version }: RouteContext): Promise<void> {
  // API ≥ 1.42 prunes only anonymous volumes unless all=true; older clients mean all unused ones
  const r = await engine.volumes.prune({ all: Number(version) < 1.42, filters: filtersParam(query) });
  sendJson(res, 200, { VolumesDeleted: r.deleted, SpaceReclaimed: r.spaceReclaimed });
}

export const routes: Route[] = [
  { method: 'GET', path: '/volumes', handle: list },
  { method: 'POST', path: '/volumes/create', handle: create },
  { method: 'POST', path: '/volumes/prune', handle: prune },
  { method: 'GET', path: '/volumes/{name}', handle: inspect },
  { method: 'DELETE', path: '/volumes/{name}', handle: remove },
];
