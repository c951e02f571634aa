/**
 * docker's image routes: list, pull and import (images/create), inspect, history, tag, push,
 * delete, prune, save (get), load, commit and search, over the engine's ImageApi.
 */
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import type { Engine, RegistryCredentials } from '../../engine/api.js';
import { canonical, familiar, parseReference } from '../../engine/index.js';
import { searchRegistry } from '../../engine/registry/search.js';
import { ApiError, messageOf } from '../errors.js';
import { commitChanges } from '../image-commit.js';
import { deleteReport, historyRow, imageListRow } from '../image-docs.js';
import { JsonMessages } from '../image-progress.js';
import { boolParam, filtersParam, readJson } from '../body.js';
import { boolFilter, labelsMatch, objectBody, parseFilters } from '../image-wire.js';
import { sendJson } from '../reply.js';
import type { Route, RouteContext } from '../route.js';

/** X-Registry-Auth: base64(url) JSON with username/password (or `auth` = base64 "user:pass"); `{}` = none. */
export function registryAuth(req: IncomingMessage): RegistryCredentials | undefined {
  const h = req.headers['x-registry-auth'];
  if (typeof h !== 'string' || h === '') return undefined;
  let v: Record<string, unknown>;
  try {
    v = JSON.parse(Buffer.from(h.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8')) as Record<string, unknown>;
  } catch {
    throw new ApiError(400, 'invalid X-Registry-Auth header: not base64-encoded JSON');
  }
  if (typeof v !== 'object' || v === null) throw new ApiError(400, 'invalid X-Registry-Auth header: not a JSON object');
  if (typeof v.username === 'string' && v.username !== '' && typeof v.password === 'string') return { username: v.username, password: v.password };
  if (typeof v.auth === 'string' && v.auth !== '') {
    const plain = Buffer.from(v.auth, 'base64').toString('utf8');
    const colon = plain.indexOf(':');
    if (colon > 0) return { username: plain.slice(0, colon), password: plain.slice(colon + 1) };
  }
  return undefined;
}

const EMPTY_CONTAINER_CONFIG = {
  Hostname: '',
  Domainname: '',
  User: '',
  AttachStdin: false,
  AttachStdout: false,
  AttachStderr: false,
  Tty: false,
  OpenStdin: false,
  StdinOnce: false,
  Env: null,
  Cmd: null,
  Image: '',
  Volumes: null,
  WorkingDir: '',
  Entrypoint: null,
  OnBuild: null,
  Labels: null,
};

/** `repo` + `tag` query values as one reference (a digest "tag" makes `repo@sha256:…`). */
function joinRef(repo: string, tag: string | null): string {
  if (!tag) return repo;
  return /^[a-z0-9]+:[0-9a-f]{32,}$/.test(tag) ? `${repo}@${tag}` : `${repo}:${tag}`;
}

function hasTag(name: string): boolean {
  return name.includes('@') || name.includes(':', name.lastIndexOf('/') + 1);
}

async function list({ engine, query, res }: RouteContext): Promise<void> {
  const f = parseFilters(query, ['dangling', 'label', 'label!', 'reference', 'before', 'since']);
  const dangling = boolFilter(f, 'dangling');
  const engineFilters: Record<string, string[]> = {};
  if (dangling !== undefined) engineFilters.dangling = [String(dangling)];
  if (f.reference?.length) engineFilters.reference = f.reference;
  let rows = await engine.images.list({ all: boolParam(query, 'all'), filters: engineFilters });
  rows = rows.filter((r) => labelsMatch(r.labels, f));
  for (const [key, keep] of [
    ['before', (t: number, ref: number) => t < ref],
    ['since', (t: number, ref: number) => t > ref],
  ] as const) {
    for (const ref of f[key] ?? []) {
      const at = Date.parse((await engine.images.inspect(ref)).Created);
      rows = rows.filter((r) => keep(Date.parse(r.created), at));
    }
  }
  rows.sort((a, b) => Date.parse(b.created) - Date.parse(a.created));
  sendJson(res, 200, rows.map(imageListRow));
}

async function create(ctx: RouteContext): Promise<void> {
  const { engine, query, req, res } = ctx;
  const fromSrc = query.get('fromSrc');
  const fromImage = query.get('fromImage');
  if (fromSrc !== null) {
    let source: Readable | URL = req;
    if (fromSrc !== '-') {
      // dockerd downloads a URL itself; anything but http(s) is refused before any work
      const url = URL.canParse(fromSrc) ? new URL(fromSrc) : undefined;
      if (!url || !['http:', 'https:'].includes(url.protocol)) throw new ApiError(400, `fromSrc must be "-" or an http(s) URL, not ${JSON.stringify(fromSrc)}`);
      source = url;
    }
    const repo = query.get('repo');
    const reference = repo ? joinRef(repo, query.get('tag')) : undefined;
    const changes = query.getAll('changes').filter((c) => c !== '');
    const out = new JsonMessages(res);
    try {
      const id = await engine.images.import(source, {
        ...(reference ? { reference } : {}),
        ...(query.get('message') ? { message: query.get('message')! } : {}),
        changes,
        ...(query.get('platform') ? { platform: query.get('platform')! } : {}),
      });
      out.write({ status: id });
      out.end();
    } catch (e) {
      out.end(e);
    }
    return;
  }
  if (!fromImage) throw new ApiError(400, 'fromImage or fromSrc is required');
  if (!engine.images.pull) throw new ApiError(501, 'this engine cannot pull');
  // dockerd: no tag at all means every tag of the repository (the CLIs send "latest" themselves)
  const allTags = !hasTag(fromImage) && !query.get('tag');
  const ref = hasTag(fromImage) ? fromImage : joinRef(fromImage, query.get('tag') || 'latest');
  const name = familiar(canonical(parseReference(ref)));
  const credentials = registryAuth(req);
  const had = await engine.images.inspect(ref).then(
    (d) => d.Id,
    () => undefined,
  );
  const out = new JsonMessages(res);
  // A client that goes away cancels the pull (as dockerd does): nothing of it stays.
  const gone = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) gone.abort();
  });
  try {
    if (allTags) {
      const before = new Map((await engine.images.list({ filters: { reference: [fromImage] } })).flatMap((i) => i.repoTags.map((t) => [t, i.id] as const)));
      const pulled = await engine.images.pullAllTags(fromImage, {
        progress: (e) => out.progress(e),
        ...(credentials ? { credentials } : {}),
        signal: gone.signal,
      });
      let fresh = false;
      for (const r of pulled) if ((await engine.images.inspect(r)).Id !== before.get(familiar(canonical(parseReference(r))))) fresh = true;
      out.write({ status: `Status: ${fresh ? 'Downloaded newer image' : 'Image is up to date'} for ${name.replace(/:[^:/]*$/, '')}` });
      return out.end();
    }
    const platform = query.get('platform');
    const id = await engine.images.pull(ref, {
      ...(platform ? { platform } : {}),
      progress: (e) => out.progress(e),
      ...(credentials ? { credentials } : {}),
      signal: gone.signal,
    });
    out.write({ status: `Status: ${had === id ? 'Image is up to date' : 'Downloaded newer image'} for ${name}` });
    out.end();
  } catch (e) {
    out.end(e);
  }
}

async function inspect({ engine, params, res, version }: RouteContext): Promise<void> {
  const doc = await engine.images.inspect(params.name!);
  // API < 1.44 also carries VirtualSize, < 1.45 Container/ContainerConfig (the config of the
  // container an image was committed from): compose 1.29 reads ContainerConfig.Volumes when it
  // recreates a service. berth's images record no such container: docker's empty config.
  const v = Number(version);
  sendJson(res, 200, {
    ...doc,
    // every field of docker's config, as dockerd sends it (templates read absent ones as <no value>)
    Config: { ...EMPTY_CONTAINER_CONFIG, ...doc.Config },
    ...(v < 1.45 ? { Container: '', ContainerConfig: EMPTY_CONTAINER_CONFIG } : {}),
    ...(v < 1.44 ? { VirtualSize: doc.Size } : {}),
  });
}

async function history({ engine, params, res }: RouteContext): Promise<void> {
  const [rows, doc] = await Promise.all([engine.images.history(params.name!), engine.images.inspect(params.name!)]);
  sendJson(
    res,
    200,
    rows.map((h, i) => historyRow(h, i === 0 && doc.RepoTags.length ? doc.RepoTags : null)),
  );
}

async function tag({ engine, params, query, res }: RouteContext): Promise<void> {
  const repo = query.get('repo');
  if (!repo) throw new ApiError(400, 'repository name must have at least one component');
  await engine.images.tag(params.name!, joinRef(repo, query.get('tag')));
  res.writeHead(201).end();
}

async function push({ engine, params, query, req, res }: RouteContext): Promise<void> {
  if (!engine.images.push) throw new ApiError(501, 'this engine cannot push');
  const credentials = registryAuth(req);
  const t = query.get('tag');
  let names: string[];
  if (t) names = [joinRef(params.name!, t)];
  else if (hasTag(params.name!)) names = [params.name!];
  else {
    // no tag: every local tag of the repository, as dockerd does
    const repo = familiar(canonical(parseReference(params.name!))).replace(/:[^:/]*$/, '');
    names = (await engine.images.list())
      .flatMap((i) => i.repoTags)
      .filter((n) => n.startsWith(`${repo}:`))
      .sort();
    if (!names.length) throw new ApiError(404, `An image does not exist locally with the tag: ${params.name}`);
  }
  const out = new JsonMessages(res);
  try {
    for (const n of names) {
      await engine.images.push(n, {
        ...(credentials ? { credentials } : {}),
        progress: (e) => {
          out.progress(e);
          // docker's last push message also comes as aux, which clients read for the digest
          const m = /^(\S+): digest: (sha256:[0-9a-f]{64}) size: (\d+)$/.exec(e.status);
          if (e.id === '' && m) out.write({ progressDetail: {}, aux: { Tag: m[1], Digest: m[2], Size: Number(m[3]) } });
        },
      });
    }
    out.end();
  } catch (e) {
    out.end(e);
  }
}

async function remove({ engine, params, query, res }: RouteContext): Promise<void> {
  const r = await engine.images.remove(params.name!, { force: boolParam(query, 'force'), noPrune: boolParam(query, 'noprune') });
  sendJson(res, 200, deleteReport(r));
}

/** The engine's prune, docker's filters (dangling, until, label, label!) checked by the engine. */
async function prune({ engine, query, res }: RouteContext): Promise<void> {
  const r = await engine.images.prune({ filters: filtersParam(query) });
  const entries = (r.entries ?? r.deleted.map((deleted) => ({ deleted }))).map((e) => ('deleted' in e ? { Deleted: e.deleted } : { Untagged: e.untagged }));
  sendJson(res, 200, { ImagesDeleted: entries.length ? entries : null, SpaceReclaimed: r.spaceReclaimed });
}

async function save({ engine, params, query, res }: RouteContext): Promise<void> {
  const names = params.name ? [params.name] : query.getAll('names');
  if (!names.length) throw new ApiError(400, 'no image names given');
  // resolved first, so that an unknown name is a 404 and not a cut tar stream
  for (const n of names) await engine.images.inspect(n);
  res.writeHead(200, { 'Content-Type': 'application/x-tar' });
  await engine.images.save(names, res);
  if (!res.writableEnded) res.end();
}

async function load({ engine, query, req, res }: RouteContext): Promise<void> {
  const quiet = boolParam(query, 'quiet');
  const out = new JsonMessages(res);
  try {
    const loaded = await engine.images.load(req, quiet ? undefined : (e) => out.progress(e));
    for (const line of loaded) out.write({ stream: `${/^Loaded image/.test(line) ? line : `Loaded image: ${line}`}\n` });
    out.end();
  } catch (e) {
    // dockerd answers a bad archive in the stream, with 200 (docker-py raises ImageLoadError from it)
    if (!out.begun) out.write({ errorDetail: { message: messageOf(e) }, error: messageOf(e) });
    out.end(e);
  }
}

async function commit({ engine, query, req, res }: RouteContext): Promise<void> {
  const container = query.get('container');
  if (!container) throw new ApiError(400, 'container is required');
  const config = objectBody(await readJson(req));
  const repo = query.get('repo');
  const changes = [
    ...query
      .getAll('changes')
      .flatMap((c) => c.split('\n'))
      .filter((c) => c.trim() !== ''),
    ...commitChanges(config),
  ];
  const id = await engine.containers.commit(container, {
    ...(repo ? { reference: joinRef(repo, query.get('tag')) } : {}),
    ...(query.get('comment') ? { message: query.get('comment')! } : {}),
    ...(query.get('author') ? { author: query.get('author')! } : {}),
    changes,
    // docker pauses unless told not to
    pause: boolParam(query, 'pause', true),
  });
  sendJson(res, 201, { Id: id });
}

async function search({ query, res }: RouteContext): Promise<void> {
  const term = query.get('term');
  if (!term) throw new ApiError(400, 'term is required');
  const f = parseFilters(query, ['is-official', 'is-automated', 'stars']);
  const limit = Number(query.get('limit') || 25);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw new ApiError(400, `limit ${query.get('limit')} is outside the range of [1, 100]`);
  const official = boolFilter(f, 'is-official');
  const automated = boolFilter(f, 'is-automated');
  const stars = f.stars?.length ? Number(f.stars[0]) : 0;
  if (Number.isNaN(stars)) throw new ApiError(400, `invalid filter 'stars=${f.stars![0]}'`);
  const rows = (await searchRegistry(term, limit)).filter((r) => (official === undefined || r.official === official) && automated !== true && r.stars >= stars);
  sendJson(
    res,
    200,
    rows.map((r) => ({ description: r.description, is_automated: false, is_official: r.official, name: r.name, star_count: r.stars })),
  );
}

export const routes: Route[] = [
  { method: 'GET', path: '/images/json', handle: list },
  { method: 'POST', path: '/images/create', handle: create },
  { method: 'POST', path: '/images/load', handle: load },
  { method: 'POST', path: '/images/prune', handle: prune },
  { method: 'GET', path: '/images/get', handle: save },
  { method: 'GET', path: '/images/search', handle: search },
  { method: 'POST', path: '/commit', handle: commit },
  { method: 'GET', path: '/images/{name*}/json', handle: inspect },
  { method: 'GET', path: '/images/{name*}/history', handle: history },
  { method: 'POST', path: '/images/{name*}/tag', handle: tag },
  { method: 'POST', path: '/images/{name*}/push', handle: push },
  { method: 'GET', path: '/images/{name*}/get', handle: save },
  { method: 'DELETE', path: '/images/{name*}', handle: remove },
];
