/**
 * POST /build: docker's classic-builder answer — `{"stream": "Step 1/3 : …\n"}` lines as the
 * build runs, `{"aux":{"ID":"sha256:…"}}` before "Successfully built/tagged", a failure as
 * `{"errorDetail":{"code"?,"message"},"error"}`. `rm`/`forcerm` are what berth's builder always does
 * (no intermediate container or image outlives a build, failed or not).
 */
import { once } from 'node:events';
import { Writable } from 'node:stream';
import { unpackContext } from '../build-context.js';
import { ApiError } from '../errors.js';
import { JsonMessages } from '../image-progress.js';
import { boolParam, filtersParam, intParam } from '../body.js';
import type { BuildRunSettings } from '../../engine/index.js';
import { sendJson } from '../reply.js';
import type { Route, RouteContext } from '../route.js';

/** A JSON map query value (buildargs, labels): `null` values are skipped, as docker leaves them unset. */
function jsonMap(q: URLSearchParams, name: string): Record<string, string> {
  const raw = q.get(name);
  if (raw === null || raw === '') return {};
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch (e) {
    throw new ApiError(400, `invalid ${name}: ${(e as Error).message}`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new ApiError(400, `invalid ${name}: expected a JSON object`);
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v)) {
    if (x === null) continue;
    if (typeof x !== 'string') throw new ApiError(400, `invalid ${name}: ${k} is not a string`);
    out[k] = x;
  }
  return out;
}

/** The host's platform as docker names it ("linux/amd64"). */
const HOST_PLATFORM = `linux/${process.arch === 'x64' ? 'amd64' : process.arch}`;

/**
 * The RUN containers' settings (docker's CLI sends the limits always, 0 meaning unset; extrahosts
 * repeated, or as one JSON list from podman's client) and the options berth refuses rather
 * than ignores: squash (experimental in dockerd), another platform, an isolation other than
 * Linux's default.
 */
function runSettings(q: URLSearchParams): BuildRunSettings {
  if (boolParam(q, 'squash')) throw new ApiError(400, 'squash is only supported with experimental mode');
  const platform = q.get('platform');
  if (platform && !(platform === 'linux' || platform === HOST_PLATFORM || platform.startsWith(`${HOST_PLATFORM}/`)))
    throw new ApiError(400, `berth builds for this host's platform (${HOST_PLATFORM}) only, not "${platform}"`);
  const isolation = q.get('isolation');
  if (isolation && isolation !== 'default') throw new ApiError(400, `Unsupported isolation: ${JSON.stringify(isolation)}`);
  const hosts = q
    .getAll('extrahosts')
    .flatMap((h) => (h.startsWith('[') ? jsonList(h, 'extrahosts') : h.split(',')))
    .filter((h) => h !== '');
  const r: BuildRunSettings = {};
  if (hosts.length) r.extraHosts = hosts;
  const set = <K extends keyof BuildRunSettings>(k: K, v: BuildRunSettings[K] | undefined) => {
    if (v !== undefined && v !== 0 && v !== '') r[k] = v;
  };
  set('shmSize', intParam(q, 'shmsize'));
  set('memory', intParam(q, 'memory'));
  set('memorySwap', intParam(q, 'memswap'));
  set('cpuShares', intParam(q, 'cpushares'));
  set('cpusetCpus', q.get('cpusetcpus') ?? undefined);
  set('cpuPeriod', intParam(q, 'cpuperiod'));
  set('cpuQuota', intParam(q, 'cpuquota'));
  return r;
}

function jsonList(raw: string, name: string): string[] {
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch (e) {
    throw new ApiError(400, `invalid ${name}: ${(e as Error).message}`);
  }
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw new ApiError(400, `invalid ${name}: expected a JSON list of strings`);
  return v;
}

async function build(rc: RouteContext): Promise<void> {
  try {
    await runBuildRoute(rc);
  } catch (e) {
    // Refused before the context was read: take the rest of the upload first, or the client,
    // still sending, gets EPIPE instead of the answer.
    if (!rc.req.readableEnded && !rc.res.headersSent) {
      rc.req.resume();
      await once(rc.req, 'end').catch(() => undefined);
    }
    throw e;
  }
}

async function runBuildRoute({ engine, query, req, res }: RouteContext): Promise<void> {
  if (query.get('remote')) throw new ApiError(501, 'berth builds from an uploaded context only (no remote URL or git context)');
  const buildArgs = jsonMap(query, 'buildargs');
  const labels = jsonMap(query, 'labels');
  const tags = query.getAll('t').filter((t) => t !== '');
  const quiet = boolParam(query, 'q');
  const target = query.get('target') || undefined;
  const runContainer = runSettings(query);
  // cachefrom: only these images' chains give cache hits (an empty list: the whole cache, as dockerd)
  const cacheFrom = query.get('cachefrom') ? jsonList(query.get('cachefrom')!, 'cachefrom') : [];
  const mode = query.get('networkmode');
  const network = !mode || mode === 'default' ? 'bridge' : mode;
  const ctx = await unpackContext(req, query.get('dockerfile') || 'Dockerfile');
  const out = new JsonMessages(res);
  try {
    const stream = new Writable({
      write: (chunk: Buffer, _e, cb) => {
        if (!quiet) out.write({ stream: chunk.toString() });
        cb();
      },
    });
    let told = false;
    const aux = (id: string) => {
      told = true;
      out.write({ aux: { ID: id } });
    };
    const id = await engine.build({
      context: ctx.dir,
      dockerfile: ctx.dockerfile,
      tags,
      buildArgs,
      labels,
      noCache: boolParam(query, 'nocache'),
      ...(target ? { target } : {}),
      network,
      pull: boolParam(query, 'pull'),
      runContainer,
      ...(cacheFrom.length ? { cacheFrom } : {}),
      out: stream,
      onImage: aux,
    });
    if (!told) aux(id);
    // docker's CLI prints a quiet build's stream, which is then the id alone (after aux, as dockerd)
    if (quiet) out.write({ stream: `${id}\n` });
    out.end();
  } catch (e) {
    // before any output (a bad Dockerfile) this is a plain error answer, as dockerd's
    out.end(e);
  } finally {
    await ctx.remove();
  }
}

/** POST /build/prune (`docker builder prune`, and the last step of `docker system prune`). `keep-storage`
 *  is accepted and has nothing to keep: the cache's entries hold no layer bytes (build/cache.ts). */
async function pruneCache({ engine, query, res }: RouteContext): Promise<void> {
  const r = await engine.system.pruneBuildCache({ all: boolParam(query, 'all'), filters: filtersParam(query) });
  sendJson(res, 200, { CachesDeleted: r.deleted, SpaceReclaimed: r.spaceReclaimed });
}

export const routes: Route[] = [
  { method: 'POST', path: '/build', handle: build },
  { method: 'POST', path: '/build/prune', handle: pruneCache },
];
