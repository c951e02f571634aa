/** docker's /containers routes over engine.containers (exec and archive live in their own files). */
import type { Engine, StatsSample } from '../../engine/api.js';
import { isEngineError } from '../../engine/index.js';
import type { Route, RouteContext } from '../route.js';
import { boolParam, checkFilterKeys, filtersParam, intParam, readJson } from '../body.js';
import { badRequest, ApiError, messageOf, statusOf } from '../errors.js';
import { sendJson, startJsonStream } from '../reply.js';
import { createOptionsOf, updateOptionsOf } from '../container-config.js';
import { inspectDoc, listDoc, statsDoc } from '../container-docs.js';
import { sessionsOf, type PendingAttach } from '../sessions.js';
import type { PeerAnswer, PeerRequest } from '../attach-peers.js';
import { closed, connIO, type ConnIO } from '../streams.js';
import { frame } from '../stdcopy.js';

const LIST_FILTERS = [
  'ancestor',
  'before',
  'expose',
  'exited',
  'health',
  'id',
  'isolation',
  'is-task',
  'label',
  'name',
  'network',
  'publish',
  'since',
  'status',
  'volume',
] as const;
const STATES = ['created', 'restarting', 'running', 'removing', 'paused', 'exited', 'dead'];

const notModified = (ctx: RouteContext) => void ctx.res.writeHead(304).end();
const noContent = (ctx: RouteContext) => void ctx.res.writeHead(204).end();

async function list(ctx: RouteContext): Promise<void> {
  const { engine, query, res } = ctx;
  const f = filtersParam(query);
  checkFilterKeys(f, LIST_FILTERS);
  for (const s of f.status ?? []) if (!STATES.includes(s)) throw badRequest(`Invalid filter 'status=${s}'`);
  for (const h of f.health ?? []) if (!['starting', 'healthy', 'unhealthy', 'none'].includes(h)) throw badRequest(`Unrecognised filter value for health: ${h}`);
  const engineFilters = Object.fromEntries(Object.entries(f).filter(([k]) => ['ancestor', 'exited', 'id', 'label', 'name', 'status', 'volume'].includes(k)));
  // since/before are relative to another container: list all, then cut. A positive limit lists
  // every state, as docker's `ps -n`; docker-py sends limit=-1 by default, which means none.
  const limit = intParam(query, 'limit') ?? 0;
  const all = boolParam(query, 'all') || !!f.before || !!f.since || limit > 0;
  let rows = await engine.containers.list({ all, filters: engineFilters, size: boolParam(query, 'size') });
  rows.sort((a, b) => b.created.localeCompare(a.created));
  const find = (ref: string) => {
    const c = rows.find((r) => r.id.startsWith(ref) || r.names.includes(ref.replace(/^\//, '')));
    if (!c) throw new ApiError(404, `No such container: ${ref}`);
    return c;
  };
  if (f.before?.length) {
    const t = find(f.before[0]!).created;
    rows = rows.filter((r) => r.created < t);
  }
  if (f.since?.length) {
    const t = find(f.since[0]!).created;
    rows = rows.filter((r) => r.created > t);
  }
  if (f.network?.length) rows = rows.filter((r) => r.networks.some((n) => f.network!.includes(n)));
  if (f.health?.length) rows = rows.filter((r) => f.health!.includes(r.health ?? 'none'));
  if (f.publish?.length)
    rows = rows.filter((r) => r.ports.some((p) => f.publish!.some((x) => x === String(p.hostPort) || x === `${p.hostPort}/${p.protocol}`)));
  if (f.expose?.length)
    rows = rows.filter((r) => r.ports.some((p) => f.expose!.some((x) => x === String(p.containerPort) || x === `${p.containerPort}/${p.protocol}`)));
  if (f['is-task']?.includes('true')) rows = [];
  if (!boolParam(query, 'all') && limit <= 0 && (f.before || f.since) && !f.status) rows = rows.filter((r) => r.state === 'running' || r.state === 'paused');
  if (limit > 0) rows = rows.slice(0, limit);
  sendJson(
    res,
    200,
    rows.map((r) => listDoc(r, r.networks[0] ?? 'default')),
  );
}

async function create(ctx: RouteContext): Promise<void> {
  const body = await readJson(ctx.req);
  const name = ctx.query.get('name') ?? undefined;
  if (name !== undefined && name !== '' && !/^\/?[a-zA-Z0-9][a-zA-Z0-9_.-]+$/.test(name))
    throw badRequest(`Invalid container name (${name}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`);
  const opts = createOptionsOf(body, { name, platform: ctx.query.get('platform') ?? undefined });
  // docker's clients pull on 404 themselves (docker run's "Unable to find image"), then create again
  opts.pull = 'never';
  try {
    const r = await ctx.engine.containers.create(opts);
    sendJson(ctx.res, 201, { Id: r.id, Warnings: r.warnings });
  } catch (e) {
    if (isEngineError(e, 'not-found') && !/no such image/i.test(e.message) && /image/i.test(e.message)) throw new ApiError(404, `No such image: ${opts.image}`);
    throw e;
  }
}

async function state(engine: Engine, id: string) {
  return (await engine.containers.inspect(id)).State;
}

type ContainerDoc = Awaited<ReturnType<Engine['containers']['inspect']>>;

/**
 * Starts the container. Attaches that waited for this start get its streams from the first
 * byte: those of this process, else those another server process holds (attach-peers.ts: that
 * process makes the start); the attaches of the other processes then follow the running container.
 */
async function start(ctx: RouteContext): Promise<void> {
  const { engine, params } = ctx;
  const before = await engine.containers.inspect(params.id!);
  if (before.State.Running) return notModified(ctx);
  const peers = peersOf(engine);
  const ask = (r: PeerRequest, untilTaken = false) =>
    peers
      ? peers.ask(before.Id, r, untilTaken).catch((e: Error & { status?: number }) => {
          throw new ApiError(e.status ?? 500, e.message);
        })
      : Promise.resolve(false);
  if (!(await startWithAttaches(engine, before)) && !(await ask({ op: 'start' }, true))) await engine.containers.start(before.Id);
  await ask({ op: 'attach' }).catch(() => false);
  noContent(ctx);
}

/** Starts `before` with this process's attaches that wait for it; false when none wait here. */
async function startWithAttaches(engine: Engine, before: ContainerDoc): Promise<boolean> {
  const sessions = sessionsOf(engine);
  const [first, ...others] = sessions.takePending(before.Id);
  if (!first) return false;
  const run = engine.containers.startAttached(before.Id, first.io, first.opts);
  first.begin(run);
  let failed: unknown;
  let settled = false;
  run.then(
    () => (settled = true),
    (e: unknown) => {
      settled = true;
      failed = e;
    },
  );
  // The answer waits for the container to be started (or to have run already, or failed).
  for (const end = Date.now() + 120_000; Date.now() < end;) {
    if (failed) throw failed;
    if (settled) break; // it ran already (the attach may be ending, and its process with it)
    try {
      const s = await state(engine, before.Id);
      if (s.Running || s.StartedAt !== before.State.StartedAt) break;
    } catch (e) {
      if (!isEngineError(e, 'not-found')) throw e;
      break; // --rm, and already gone
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  if (failed) throw failed;
  for (const p of others) p.begin(attachOrFollow(engine, before.Id, p));
  return true;
}

/** Attaches `p` to the running container, or (it ended meanwhile) gives it the run's output. */
async function attachOrFollow(engine: Engine, id: string, p: PendingAttach): Promise<'detached' | number> {
  try {
    return await engine.containers.attach(id, p.io, p.opts);
  } catch {
    const s = await state(engine, id).catch(() => undefined);
    return s ? followFrom(engine, id, s.StartedAt, p.io, p.signal) : 0;
  }
}

/** Answers the other server processes (attach-peers.ts) about this process's attaches. */
function peersOf(engine: Engine) {
  const sessions = sessionsOf(engine);
  return sessions.attachPeers(async (id, r): Promise<PeerAnswer> => {
    try {
      if (r.op === 'resize') return { ok: true, took: sessions.resizeContainer(id, r.columns, r.rows) };
      if (r.op === 'attach') {
        const waiting = sessions.takePending(id);
        for (const p of waiting) p.begin(attachOrFollow(engine, id, p));
        return { ok: true, took: waiting.length > 0 };
      }
      const before = await engine.containers.inspect(id);
      if (before.State.Running) return { ok: true, took: false };
      return { ok: true, took: await startWithAttaches(engine, before) };
    } catch (e) {
      return { ok: false, status: statusOf(e), message: messageOf(e) };
    }
  });
}

async function stop(ctx: RouteContext): Promise<void> {
  const s = await state(ctx.engine, ctx.params.id!);
  if (!s.Running && !s.Paused && !s.Restarting) return notModified(ctx);
  const t = intParam(ctx.query, 't');
  const signal = ctx.query.get('signal') || undefined;
  await ctx.engine.containers.stop(ctx.params.id!, { ...(t !== undefined ? { timeout: t } : {}), ...(signal ? { signal } : {}) });
  noContent(ctx);
}

/** docker's wait: condition not-running (default), next-exit, removed; headers go out at once. */
async function wait(ctx: RouteContext): Promise<void> {
  const { engine, params, query, res, signal } = ctx;
  const condition = query.get('condition') || 'not-running';
  if (!['not-running', 'next-exit', 'removed'].includes(condition)) throw badRequest(`invalid condition: "${condition}"`);
  const ac = new AbortController();
  const stopAll = () => ac.abort();
  signal.addEventListener('abort', stopAll);
  try {
    // Subscribe before looking, so an exit between the look and the wait is not missed.
    const events = engine.system
      .events(ac.signal, { since: Date.now() - 1, filters: { type: ['container'], event: ['die', 'destroy'] } })
      [Symbol.asyncIterator]();
    const doc = await engine.containers.inspect(params.id!);
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.flushHeaders();
    let code = doc.State.ExitCode;
    const running = doc.State.Running || doc.State.Paused || doc.State.Restarting;
    if (condition === 'not-running' && !running) return void res.end(`${JSON.stringify({ StatusCode: code, Error: null })}\n`);
    if (condition === 'not-running') {
      code = await engine.containers.wait(doc.Id, ac.signal);
      return void res.end(`${JSON.stringify({ StatusCode: code, Error: null })}\n`);
    }
    for (;;) {
      const n = await events.next();
      if (n.done) return void res.end();
      const e = n.value;
      if (e.id !== doc.Id) continue;
      if (e.action === 'die') {
        code = Number(e.attributes?.exitCode ?? code);
        if (condition === 'next-exit') break;
      }
      if (e.action === 'destroy' && condition === 'removed') break;
    }
    res.end(`${JSON.stringify({ StatusCode: code, Error: null })}\n`);
  } finally {
    signal.removeEventListener('abort', stopAll);
    ac.abort();
  }
}

/** Hijacked attach: past output with logs=1, live streams with stream=1, stdin with stdin=1. */
async function attach(ctx: RouteContext): Promise<void> {
  const { engine, params, query } = ctx;
  const doc = await engine.containers.inspect(params.id!);
  const tty = !!doc.Config.Tty;
  const wantStdin = boolParam(query, 'stdin');
  const wantOut = boolParam(query, 'stdout');
  const wantErr = boolParam(query, 'stderr');
  if (!wantStdin && !wantOut && !wantErr && !boolParam(query, 'stream') && !boolParam(query, 'logs'))
    throw badRequest('Bad parameters: you must choose at least one stream');
  const detachKeys = query.get('detachKeys') || undefined;
  // Other server processes must find this attach (a start or resize through them) before the
  // client, told 101, sends them.
  const peers = boolParam(query, 'stream') ? peersOf(engine) : undefined;
  const release = await peers?.hold(doc.Id);
  try {
    await attachStreams(ctx, doc, { tty, wantOut, wantErr, wantStdin, detachKeys }, () => peers?.answered(doc.Id));
  } finally {
    release?.();
  }
}

async function attachStreams(
  ctx: RouteContext,
  doc: ContainerDoc,
  o: { tty: boolean; wantOut: boolean; wantErr: boolean; wantStdin: boolean; detachKeys: string | undefined },
  peersAnswered: () => Promise<void> | undefined,
): Promise<void> {
  const { engine, query } = ctx;
  const { tty, wantOut, wantErr, wantStdin, detachKeys } = o;
  const conn = ctx.hijack();
  const io = connIO(conn, { tty, stdin: wantStdin, detachOnClose: detachKeys ?? 'ctrl-p,ctrl-q' });
  if (boolParam(query, 'logs')) {
    for await (const l of engine.containers.logs(doc.Id, {}, ctx.signal)) {
      if ((l.stream === 'stdout' && !wantOut) || (l.stream === 'stderr' && !wantErr)) continue;
      const data = Buffer.from(l.complete ? `${l.text}\n` : l.text);
      conn.write(tty ? data : frame(l.stream === 'stdout' ? 1 : 2, data));
    }
  }
  if (!boolParam(query, 'stream')) return void conn.end();
  const opts = { stdin: wantStdin, ...(detachKeys ? { detachKeys } : {}) };
  const sessions = sessionsOf(engine);
  const dropTerminal = sessions.addTerminal(doc.Id, io);
  let run: Promise<'detached' | number>;
  const gone = closed(conn);
  if (doc.State.Running || doc.State.Paused) run = engine.containers.attach(doc.Id, io, opts);
  else {
    // docker's run and start -a attach first, then start: the start request begins the stream.
    let drop = () => undefined as void;
    let begun = false;
    run = new Promise((resolve, reject) => {
      drop = sessions.addPending(doc.Id, {
        io,
        opts,
        signal: ctx.signal,
        begin: (r) => {
          begun = true;
          r.then(resolve, reject);
        },
      });
    });
    void gone.then(() => drop());
    // Started by something that is no API server (berth start, another engine client): follow
    // the container from its start instead.
    const elsewhere = startedElsewhere(engine, doc.Id, doc.State.StartedAt, () => begun, gone).then(async (started) => {
      if (!started || begun) return run;
      drop();
      return started.Running
        ? engine.containers.attach(doc.Id, io, opts).catch(() => followFrom(engine, doc.Id, started.StartedAt, io, ctx.signal))
        : followFrom(engine, doc.Id, started.StartedAt, io, ctx.signal);
    });
    const local = run;
    run = Promise.race([local, elsewhere]);
  }
  run.catch(() => undefined);
  try {
    await Promise.race([run, gone]);
  } finally {
    dropTerminal();
    // the start another process asked for is answered before this stream (maybe its process) ends
    await peersAnswered();
    // output that the engine wrote is out; then the client sees the end of the stream
    if (!conn.destroyed) conn.end();
  }
}

/** Polls until the container was started by someone else (its StartedAt moves); undefined
 *  when this server's start took the attach, or the client left. */
async function startedElsewhere(engine: Engine, id: string, startedAt: string, begun: () => boolean, gone: Promise<void>) {
  let left = false;
  void gone.then(() => (left = true));
  while (!left && !begun()) {
    await new Promise((r) => setTimeout(r, 100));
    const s = await state(engine, id).catch(() => undefined);
    if (!s) return undefined;
    if (s.StartedAt !== startedAt && !begun()) return s;
  }
  return undefined;
}

/** The container's output from `since` to its exit (an attach that came too late to attach). */
async function followFrom(engine: Engine, id: string, since: string, io: ConnIO, signal: AbortSignal): Promise<number> {
  for await (const l of engine.containers.logs(id, { follow: true, since }, signal)) {
    const data = Buffer.from(l.complete ? `${l.text}\n` : l.text);
    (l.stream === 'stderr' ? io.stderr : io.stdout).write(data);
  }
  return (await state(engine, id).catch(() => undefined))?.ExitCode ?? 0;
}

async function logs(ctx: RouteContext): Promise<void> {
  const { engine, params, query, res } = ctx;
  const out = boolParam(query, 'stdout');
  const err = boolParam(query, 'stderr');
  if (!out && !err) throw badRequest('Bad parameters: you must choose at least one stream');
  const doc = await engine.containers.inspect(params.id!);
  const tailRaw = query.get('tail');
  const tail = tailRaw === null || tailRaw === '' || tailRaw === 'all' ? undefined : Number(tailRaw);
  if (tail !== undefined && (!Number.isInteger(tail) || tail < 0)) throw badRequest(`invalid value for "tail": "${tailRaw}"`);
  const time = (k: string) => {
    const v = query.get(k);
    return v && v !== '0' ? v : undefined;
  };
  const timestamps = boolParam(query, 'timestamps');
  const iter = engine.containers.logs(
    doc.Id,
    {
      follow: boolParam(query, 'follow'),
      ...(tail !== undefined ? { tail } : {}),
      timestamps,
      since: time('since'),
      until: time('until'),
      details: boolParam(query, 'details'),
    },
    ctx.signal,
  );
  const tty = !!doc.Config.Tty;
  res.writeHead(200, { 'Content-Type': tty ? 'application/vnd.docker.raw-stream' : 'application/vnd.docker.multiplexed-stream' });
  res.flushHeaders();
  try {
    for await (const l of iter) {
      if ((l.stream === 'stdout' && !out) || (l.stream === 'stderr' && !err)) continue;
      const data = Buffer.from(`${timestamps ? `${l.time} ` : ''}${l.text}${l.complete ? '\n' : ''}`);
      if (res.destroyed) break;
      if (!res.write(tty ? data : frame(l.stream === 'stdout' ? 1 : 2, data))) await new Promise((r) => res.once('drain', r).once('close', r));
    }
  } catch (e) {
    if (!ctx.signal.aborted) throw e;
  }
  res.end();
}

/** Stats: a stream (a document a second) or one document (two readings, or one with one-shot). */
async function stats(ctx: RouteContext): Promise<void> {
  const { engine, params, query, res, signal } = ctx;
  const doc = await engine.containers.inspect(params.id!);
  const name = doc.Name.replace(/^\//, '');
  const stream = query.get('stream') === null ? true : boolParam(query, 'stream');
  const oneShot = boolParam(query, 'one-shot');
  if (oneShot && stream) throw badRequest('cannot have stream=true and one-shot=true');
  const sampler = await engine.containers.sampler();
  const read = async () => (doc.State.Running || doc.State.Paused ? (await sampler.sample([doc.Id])).find((s) => s.id === doc.Id) : undefined);
  const pause = (ms: number) =>
    new Promise<void>((r) => {
      const t = setTimeout(r, ms);
      signal.addEventListener('abort', () => (clearTimeout(t), r()), { once: true });
    });
  try {
    if (!stream) {
      let prev: StatsSample | undefined;
      let cur = await read();
      if (!oneShot && cur) {
        await pause(1000);
        prev = cur;
        cur = (await read()) ?? cur;
      }
      return sendJson(res, 200, statsDoc(doc.Id, name, cur, prev));
    }
    const send = startJsonStream(res);
    let prev: StatsSample | undefined;
    while (!signal.aborted) {
      const cur = await read();
      if (!send(statsDoc(doc.Id, name, cur, prev))) if (res.destroyed) break;
      prev = cur;
      await pause(1000);
      if (!cur) {
        // a stopped container: docker sends zeros until it runs again
        const s = await state(engine, doc.Id).catch(() => undefined);
        if (!s) break;
        doc.State = s;
      }
    }
    res.end();
  } finally {
    await sampler.close();
  }
}

function dims(ctx: RouteContext): { columns: number; rows: number } {
  const h = intParam(ctx.query, 'h');
  const w = intParam(ctx.query, 'w');
  if (h === undefined || w === undefined || h < 0 || w < 0) throw badRequest('invalid resize: h and w must be non-negative integers');
  return { columns: w, rows: h };
}

const simple = (method: Route['method'], path: string, fn: (ctx: RouteContext) => Promise<void>): Route => ({ method, path, handle: fn });

export const routes: Route[] = [
  simple('GET', '/containers/json', list),
  simple('POST', '/containers/create', create),
  simple('GET', '/containers/{id}/json', async (ctx) =>
    sendJson(ctx.res, 200, inspectDoc(await ctx.engine.containers.inspect(ctx.params.id!, { size: boolParam(ctx.query, 'size') }))),
  ),
  simple('POST', '/containers/{id}/start', start),
  simple('POST', '/containers/{id}/stop', stop),
  simple('POST', '/containers/{id}/restart', async (ctx) => {
    const t = intParam(ctx.query, 't');
    await ctx.engine.containers.restart(ctx.params.id!, t !== undefined ? { timeout: t } : {});
    noContent(ctx);
  }),
  simple('POST', '/containers/{id}/kill', async (ctx) => {
    await ctx.engine.containers.kill(ctx.params.id!, ctx.query.get('signal') || undefined);
    noContent(ctx);
  }),
  simple('POST', '/containers/{id}/pause', async (ctx) => {
    await ctx.engine.containers.pause(ctx.params.id!);
    noContent(ctx);
  }),
  simple('POST', '/containers/{id}/unpause', async (ctx) => {
    await ctx.engine.containers.unpause(ctx.params.id!);
    noContent(ctx);
  }),
  simple('POST', '/containers/{id}/wait', wait),
  simple('POST', '/containers/{id}/attach', attach),
  simple('GET', '/containers/{id}/logs', logs),
  simple('GET', '/containers/{id}/top', async (ctx) => {
    const psArgs = ctx.query.get('ps_args');
    const t = await ctx.engine.containers.top(ctx.params.id!, psArgs ? psArgs.split(/\s+/).filter(Boolean) : undefined);
    sendJson(ctx.res, 200, { Titles: t.titles, Processes: t.processes });
  }),
  simple('GET', '/containers/{id}/stats', stats),
  simple('POST', '/containers/{id}/resize', async (ctx) => {
    const { columns, rows } = dims(ctx);
    const doc = await ctx.engine.containers.inspect(ctx.params.id!);
    if (!doc.State.Running) throw new ApiError(409, `Container ${doc.Id} is not running`);
    sessionsOf(ctx.engine).resizeContainer(doc.Id, columns, rows);
    // the terminal may be held by another server process (dial-stdio: one per connection)
    await peersOf(ctx.engine)
      ?.ask(doc.Id, { op: 'resize', columns, rows })
      .catch(() => false);
    ctx.res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': 0 }).end();
  }),
  simple('POST', '/containers/{id}/rename', async (ctx) => {
    const name = ctx.query.get('name');
    if (!name) throw badRequest('Neither old nor new names may be empty');
    await ctx.engine.containers.rename(ctx.params.id!, name.replace(/^\//, ''));
    noContent(ctx);
  }),
  simple('POST', '/containers/{id}/update', async (ctx) => {
    const r = await ctx.engine.containers.update(ctx.params.id!, updateOptionsOf(await readJson(ctx.req)));
    sendJson(ctx.res, 200, { Warnings: r.warnings });
  }),
  simple('GET', '/containers/{id}/changes', async (ctx) => {
    const list = await ctx.engine.containers.changes(ctx.params.id!);
    sendJson(ctx.res, 200, list.length ? list.map((c) => ({ Path: c.path, Kind: c.kind })) : null);
  }),
  simple('GET', '/containers/{id}/export', async (ctx) => {
    const tar = await ctx.engine.containers.export(ctx.params.id!);
    ctx.res.writeHead(200, { 'Content-Type': 'application/x-tar' });
    await pipeTo(tar, ctx);
  }),
  simple('POST', '/containers/prune', async (ctx) => {
    // docker's filters (until, label, label!) are checked by the engine: a bad one is a 400
    const r = await ctx.engine.containers.prune({ filters: filtersParam(ctx.query) });
    sendJson(ctx.res, 200, { ContainersDeleted: r.deleted.length ? r.deleted : null, SpaceReclaimed: r.spaceReclaimed });
  }),
  simple('DELETE', '/containers/{id}', async (ctx) => {
    if (boolParam(ctx.query, 'link')) throw new ApiError(501, 'legacy container links are not supported');
    await ctx.engine.containers.remove(ctx.params.id!, { force: boolParam(ctx.query, 'force'), volumes: boolParam(ctx.query, 'v') });
    noContent(ctx);
  }),
];

/** Streams `src` into the answer, stopping it when the client leaves. */
export async function pipeTo(src: NodeJS.ReadableStream & { destroy?(): void }, ctx: RouteContext): Promise<void> {
  const { pipeline } = await import('node:stream/promises');
  try {
    await pipeline(src, ctx.res, { signal: ctx.signal });
  } catch (e) {
    if (!ctx.signal.aborted) throw e;
  }
}
