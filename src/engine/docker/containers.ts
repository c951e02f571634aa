/** ContainerApi over the Docker API. */
import type { Readable } from 'node:stream';
import type {
  CommitOptions,
  ContainerChange,
  ContainerUpdateOptions,
  ContainerApi,
  ContainerCreateOptions,
  ContainerPruneReport,
  ContainerSummary,
  DockerContainerInspect,
  ExecOptions,
  HealthConfig,
  LogLine,
  LogOptions,
  PathStat,
  ProcessIO,
  StatsSampler,
  TopResult,
  PruneFilters,
} from '../api.js';
import { EngineError, isEngineError } from '../errors.js';
import type { DockerClient } from './client.js';
import type { DockerImages } from './images.js';
import { splitReference } from './images.js';
import { containerInspect, containerSummary } from './map.js';
import { endpointConfigDoc } from './networks.js';
import { exposedPorts, runOptionsConfig, runOptionsHostConfig } from './run-options.js';
import { parseTimeArg, unixArg } from '../runtime/time-arg.js';
import { createSampler } from './stats.js';
import { Demuxer, LineSplitter, pumpHijacked, text } from './streams.js';
import { arr, num, obj, optObj, str, strs } from './wire.js';

const enc = encodeURIComponent;
const DETACH_KEYS = 'ctrl-p,ctrl-q';

/** LogOptions.since/until (docker's forms: durations, RFC 3339, unix seconds) → what the API takes. */
export function unixTime(v: string | undefined, now = Date.now()): string | undefined {
  if (!v) return undefined;
  try {
    return unixArg(parseTimeArg(v, now));
  } catch (e) {
    throw new EngineError('invalid', (e as Error).message);
  }
}

/** The healthcheck's status, which docker's list gives only inside Status ("Up 1 minute (healthy)"). */
function withHealth(c: ContainerSummary): ContainerSummary {
  const m = /\((healthy|unhealthy|health: starting)\)$/.exec(c.status);
  return m ? { ...c, health: m[1] === 'health: starting' ? 'starting' : (m[1] as 'healthy' | 'unhealthy') } : c;
}

/** How many ms one step of docker's "Up …" wording spans ("Up 3 minutes": 3 to 4 minutes). */
const GRAIN_MS: Record<string, number> = { second: 1e3, minute: 6e4, hour: 3.6e6, day: 8.64e7, week: 6.048e8, month: 2.592e9, year: 3.1536e10 };

/**
 * Restart counts for a Docker/Podman host. /containers/json has no RestartCount (inspect has),
 * and one inspect per container per list is too dear on a remote daemon. A container can only
 * have been restarted if it started later than it was created, which its list entry tells
 * ("Restarting (1) …", or "Up 3 minutes" on a container created an hour ago): only those are
 * inspected, once per start (the count cannot change while it keeps running). Containers run
 * and never restarted, the usual case, cost nothing; their count is left unset (unknown = 0).
 */
export class RestartCounts {
  private readonly seen = new Map<string, { startedAt: number; count: number }>();

  /** Whether `c`'s entry may hide a restart the cache does not know about. */
  needsInspect(c: ContainerSummary): boolean {
    if (c.state === 'restarting') return true;
    const m = /^Up (?:(Less than a second)|About an? (minute|hour)|(\d+) (second|minute|hour|day|week|month|year)s?)/.exec(c.status);
    if (!m || !c.startedAt) return false;
    const grain = m[1] ? 1e3 : GRAIN_MS[m[2] ?? m[4]!]!;
    const started = Date.parse(c.startedAt); // now - the wording's lower bound
    const created = Date.parse(c.created) + 1e3; // the list gives whole seconds
    // Started within the first moments of its life (docker run): never restarted.
    if (started - grain - created <= 1.5e3) return false;
    const known = this.seen.get(c.id);
    // The start inspect saw still fits the wording: the same run, the same count.
    return !known || known.startedAt <= started - grain - 2e3 || known.startedAt > started + 2e3;
  }

  record(id: string, startedAt: string, count: number): void {
    this.seen.set(id, { startedAt: Date.parse(startedAt) || 0, count });
  }

  /** `c` with the count known for it, if any. */
  apply(c: ContainerSummary): ContainerSummary {
    const k = this.seen.get(c.id);
    return k && k.count > 0 ? { ...c, restartCount: k.count } : c;
  }

  /** Forgets containers no longer listed (a complete list only). */
  keepOnly(ids: ReadonlySet<string>): void {
    for (const id of this.seen.keys()) if (!ids.has(id)) this.seen.delete(id);
  }
}

/** Config.Healthcheck as docker's API takes it (durations in ns; zero = the image's or the default). */
function healthcheckBody(h: HealthConfig): Record<string, unknown> {
  return {
    ...(h.test ? { Test: h.test } : {}),
    ...(h.interval ? { Interval: h.interval } : {}),
    ...(h.timeout ? { Timeout: h.timeout } : {}),
    ...(h.startPeriod ? { StartPeriod: h.startPeriod } : {}),
    ...(h.retries ? { Retries: h.retries } : {}),
  };
}

/** Go's os.FileMode (docker's archive stat) → a unix st_mode. */
export function unixMode(goMode: number): number {
  const perm = goMode & 0o777;
  const suid = goMode & (1 << 23) ? 0o4000 : 0;
  const sgid = goMode & (1 << 22) ? 0o2000 : 0;
  const sticky = goMode & (1 << 20) ? 0o1000 : 0;
  const type = goMode & (2 ** 31) ? 0o040000 : goMode & (1 << 27) ? 0o120000 : 0o100000;
  return (type | suid | sgid | sticky | perm) >>> 0;
}

function pathStatOf(header: string | string[] | undefined): PathStat {
  if (typeof header !== 'string') throw new EngineError('runtime', 'the daemon sent no path stat');
  const o = obj(JSON.parse(Buffer.from(header, 'base64').toString()), 'path stat');
  const mode = unixMode(num(o.mode));
  return { name: str(o.name), size: num(o.size), mode, mtime: str(o.mtime), isDir: (mode & 0o170000) === 0o040000, linkTarget: str(o.linkTarget) };
}

/**
 * docker top's answer as a table. Podman, when its own ps descriptors do not apply (busybox),
 * runs `ps` in the container and sends the header as ONE title and each line as ONE field:
 * those are split on blanks here, the last column keeping the rest of the line (the command).
 */
export function topResult(titles: string[], processes: string[][]): TopResult {
  if (titles.length !== 1 || !/\S\s+\S/.test(titles[0]!)) return { titles, processes };
  const cols = titles[0]!.trim().split(/\s+/);
  const split = (line: string): string[] => {
    const out: string[] = [];
    let rest = line.trim();
    for (let i = 0; i < cols.length - 1 && rest; i++) {
      const m = /^(\S+)\s*(.*)$/.exec(rest)!;
      out.push(m[1]!);
      rest = m[2]!;
    }
    out.push(rest);
    return out;
  };
  return { titles: cols, processes: processes.map((p) => (p.length === 1 ? split(p[0]!) : p)) };
}

export function createBody(o: ContainerCreateOptions): Record<string, unknown> {
  const exposed: Record<string, object> = exposedPorts(o);
  const bindings: Record<string, { HostIp: string; HostPort: string }[]> = {};
  for (const p of o.ports ?? []) {
    const key = `${p.containerPort}/${p.protocol}`;
    exposed[key] = {};
    (bindings[key] ??= []).push({ HostIp: p.hostIp, HostPort: p.hostPort ? String(p.hostPort) : '' });
  }
  const binds: string[] = [];
  const mounts: Record<string, unknown>[] = [];
  for (const m of o.mounts ?? []) {
    // -v host:ctr creates a missing host directory; only Binds does that (Mounts refuses).
    const modes = [...(m.readOnly ? ['ro'] : []), ...(m.propagation ? [m.propagation] : [])];
    if (m.type === 'bind' && m.createHostPath) binds.push(`${m.source}:${m.target}${modes.length ? `:${modes.join(',')}` : ''}`);
    else if (m.type === 'tmpfs') mounts.push({ Type: 'tmpfs', Target: m.target, ReadOnly: m.readOnly });
    else
      mounts.push({
        Type: m.type,
        ...(m.source ? { Source: m.source } : {}),
        Target: m.target,
        ReadOnly: m.readOnly,
        ...(m.propagation ? { BindOptions: { Propagation: m.propagation } } : {}),
      });
  }
  const network = o.network ?? 'default';
  const userNet = !['default', 'bridge', 'host', 'none'].includes(network) && !network.startsWith('container:');
  return {
    Image: o.image,
    ...(o.cmd ? { Cmd: o.cmd } : {}),
    ...(o.entrypoint !== undefined ? { Entrypoint: o.entrypoint === null ? [''] : o.entrypoint } : {}),
    Env: o.env ?? [],
    WorkingDir: o.workdir ?? '',
    User: o.user ?? '',
    Hostname: o.hostname ?? '',
    Tty: o.tty ?? false,
    OpenStdin: o.openStdin ?? false,
    StdinOnce: o.openStdin ?? false,
    AttachStdin: o.openStdin ?? false,
    AttachStdout: true,
    AttachStderr: true,
    Labels: o.labels ?? {},
    ...(o.stopSignal ? { StopSignal: o.stopSignal } : {}),
    ...(o.stopTimeout !== undefined ? { StopTimeout: o.stopTimeout } : {}),
    ExposedPorts: exposed,
    ...(o.healthcheck ? { Healthcheck: healthcheckBody(o.healthcheck) } : {}),
    ...runOptionsConfig(o),
    HostConfig: {
      ...runOptionsHostConfig(o),
      AutoRemove: o.autoRemove ?? false,
      ...(o.restartPolicy
        ? { RestartPolicy: { Name: o.restartPolicy.name === 'no' ? '' : o.restartPolicy.name, MaximumRetryCount: o.restartPolicy.maximumRetryCount ?? 0 } }
        : {}),
      Binds: binds,
      Mounts: mounts,
      VolumesFrom: o.volumesFrom ?? [],
      ...(o.memory ? { Memory: o.memory } : {}),
      ...(o.memorySwap ? { MemorySwap: o.memorySwap } : {}),
      ...(o.nanoCpus ? { NanoCpus: o.nanoCpus } : {}),
      ...(o.cpuShares ? { CpuShares: o.cpuShares } : {}),
      ...(o.pidsLimit ? { PidsLimit: o.pidsLimit } : {}),
      NetworkMode: network,
      PortBindings: bindings,
      PublishAllPorts: o.publishAll ?? false,
      ExtraHosts: o.extraHosts ?? [],
      Dns: o.dns ?? [],
    },
    ...(userNet || o.ip || o.networkAliases?.length || o.endpoint
      ? {
          NetworkingConfig: {
            EndpointsConfig: {
              [network]: endpointConfigDoc({
                ...o.endpoint,
                ...(o.ip ? { ip: o.ip } : {}),
                ...(o.networkAliases?.length ? { aliases: o.networkAliases } : {}),
              }),
            },
          },
        }
      : {}),
  };
}

export class DockerContainers implements ContainerApi {
  private readonly restarts = new RestartCounts();

  constructor(
    private readonly c: DockerClient,
    private readonly images: DockerImages,
  ) {}

  private p(id: string, rest = ''): string {
    return `/containers/${enc(id)}${rest}`;
  }

  async create(o: ContainerCreateOptions): Promise<{ id: string; warnings: string[] }> {
    if (o.pull === 'always') await this.images.pull(o.image);
    const go = async () => optObj(await this.c.json('POST', '/containers/create', { query: { name: o.name, platform: o.platform }, body: createBody(o) }));
    let r;
    try {
      r = await go();
    } catch (e) {
      if (!(o.pull === 'missing' && isEngineError(e, 'not-found') && /no such image/i.test(e.message))) throw e;
      await this.images.pull(o.image);
      r = await go();
    }
    return { id: str(r.Id), warnings: strs(r.Warnings) };
  }

  async start(id: string): Promise<void> {
    await this.c.json('POST', this.p(id, '/start'));
  }
  async stop(id: string, opts: { timeout?: number; signal?: string } = {}): Promise<void> {
    await this.c.json('POST', this.p(id, '/stop'), { query: { t: opts.timeout, signal: this.c.atLeast('1.42') ? opts.signal : undefined } });
  }
  async restart(id: string, opts: { timeout?: number } = {}): Promise<void> {
    await this.c.json('POST', this.p(id, '/restart'), { query: { t: opts.timeout } });
  }
  async kill(id: string, signal?: string): Promise<void> {
    await this.c.json('POST', this.p(id, '/kill'), { query: { signal } });
  }
  async pause(id: string): Promise<void> {
    await this.c.json('POST', this.p(id, '/pause'));
  }
  async unpause(id: string): Promise<void> {
    await this.c.json('POST', this.p(id, '/unpause'));
  }
  async remove(id: string, opts: { force?: boolean; volumes?: boolean } = {}): Promise<void> {
    await this.c.json('DELETE', this.p(id), { query: { force: opts.force, v: opts.volumes } });
  }
  async rename(id: string, newName: string): Promise<void> {
    await this.c.json('POST', this.p(id, '/rename'), { query: { name: newName } });
  }

  async list(opts: { all?: boolean; filters?: Record<string, string[]>; size?: boolean; restartCounts?: boolean } = {}): Promise<ContainerSummary[]> {
    const r = await this.c.json('GET', '/containers/json', {
      query: { all: opts.all, size: opts.size || undefined, filters: opts.filters ? JSON.stringify(opts.filters) : undefined },
    });
    const list = arr(r).map(containerSummary).map(withHealth);
    if (!opts.restartCounts) return list; // `ps` does not show them: no inspect at all
    // Restart counts: inspect only the containers whose entry says they may have restarted.
    await Promise.all(
      list
        .filter((c) => this.restarts.needsInspect(c))
        .map((c) =>
          this.inspect(c.id).then(
            (i) => this.restarts.record(c.id, i.State.StartedAt, i.RestartCount),
            () => undefined, // gone since the list: the next list drops it
          ),
        ),
    );
    if (opts.all && !opts.filters) this.restarts.keepOnly(new Set(list.map((c) => c.id)));
    return list.map((c) => this.restarts.apply(c));
  }

  async inspect(id: string, opts: { size?: boolean } = {}): Promise<DockerContainerInspect> {
    return containerInspect(await this.c.json('GET', this.p(id, '/json'), { query: { size: opts.size || undefined } }));
  }

  async *logs(id: string, opts: LogOptions = {}, signal?: AbortSignal): AsyncIterable<LogLine> {
    const tty = (await this.inspect(id)).Config.Tty === true;
    const res = await this.c.stream('GET', this.p(id, '/logs'), {
      query: {
        stdout: true,
        stderr: true,
        follow: opts.follow,
        timestamps: true,
        tail: opts.tail === undefined ? 'all' : opts.tail,
        since: unixTime(opts.since),
        until: unixTime(opts.until),
        details: opts.details,
      },
      signal,
    });
    // Every line starts with docker's RFC 3339 timestamp (asked for, so LogLine.time is real).
    const split = new LineSplitter();
    const ready: LogLine[] = [];
    const line = (stream: 'stdout' | 'stderr', raw: string, complete: boolean) => {
      const sp = raw.indexOf(' ');
      const time = sp > 0 ? raw.slice(0, sp) : '';
      ready.push({ stream, time, text: (sp > 0 ? raw.slice(sp + 1) : raw).replace(/\r$/, ''), complete });
    };
    const demux = tty ? undefined : new Demuxer((s, d) => split.push(s, d).forEach((l) => line(s, l, true)));
    try {
      for await (const chunk of res) {
        if (demux) demux.push(chunk as Buffer);
        else split.push('stdout', chunk as Buffer).forEach((l) => line('stdout', l, true));
        while (ready.length) yield ready.shift()!;
      }
      // what is left had no newline (printf without \n): shown as it came, as docker's logs does
      for (const t of split.flush()) line(t.stream, t.text, false);
      while (ready.length) yield ready.shift()!;
    } catch (e) {
      if (!signal?.aborted) throw e;
    } finally {
      res.destroy();
    }
  }

  async wait(id: string, signal?: AbortSignal): Promise<number> {
    return this.waitFor(id, 'not-running', signal);
  }

  private async waitFor(id: string, condition: 'not-running' | 'next-exit', signal?: AbortSignal): Promise<number> {
    // A stream: the answer comes when the container exits, maybe hours later.
    const res = await this.c.stream('POST', this.p(id, '/wait'), { query: { condition }, signal });
    const body = await text(res);
    const o = optObj(JSON.parse(body || '{}'));
    const err = str(optObj(o.Error).Message);
    if (err) throw new EngineError('runtime', err);
    return num(o.StatusCode);
  }

  async top(id: string, psArgs?: string[]): Promise<TopResult> {
    const o = optObj(await this.c.json('GET', this.p(id, '/top'), { query: { ps_args: psArgs?.join(' ') } }));
    return topResult(strs(o.Titles), arr(o.Processes).map(strs));
  }

  async prune(opts: { filters?: PruneFilters } = {}): Promise<ContainerPruneReport> {
    const filters = opts.filters && Object.keys(opts.filters).length ? JSON.stringify(opts.filters) : undefined;
    const o = optObj(await this.c.json('POST', '/containers/prune', { query: { filters } }));
    return { deleted: strs(o.ContainersDeleted), spaceReclaimed: num(o.SpaceReclaimed) };
  }

  async exec(id: string, o: ExecOptions, io: ProcessIO): Promise<number> {
    const attach = !o.detach;
    const created = optObj(
      await this.c.json('POST', this.p(id, '/exec'), {
        body: {
          Cmd: o.cmd,
          Tty: o.tty ?? false,
          AttachStdin: attach && (o.interactive ?? false),
          AttachStdout: attach,
          AttachStderr: attach,
          Env: o.env ?? [],
          WorkingDir: o.workdir ?? '',
          User: o.user ?? '',
          Privileged: o.privileged ?? false,
        },
      }),
    );
    const execId = str(created.Id);
    if (o.detach) {
      await this.c.json('POST', `/exec/${execId}/start`, { body: { Detach: true, Tty: o.tty ?? false } });
      return 0;
    }
    const sock = await this.c.hijack(`/exec/${execId}/start`, { body: { Detach: false, Tty: o.tty ?? false } });
    await pumpHijacked(sock, io, {
      tty: o.tty ?? false,
      stdin: o.interactive ?? false,
      onResize: (w, h) => void this.c.json('POST', `/exec/${execId}/resize`, { query: { w, h } }).catch(() => undefined),
    });
    const info = optObj(await this.c.json('GET', `/exec/${execId}/json`));
    return num(info.ExitCode);
  }

  private async attachStream(id: string, io: ProcessIO, stdin: boolean, detachKeys: string | undefined) {
    const tty = (await this.inspect(id)).Config.Tty === true;
    const sock = await this.c.hijack(this.p(id, '/attach'), {
      query: { stream: true, stdin, stdout: true, stderr: true, detachKeys: detachKeys ?? DETACH_KEYS },
    });
    return { sock, tty };
  }

  /** After the attached stream ends: detached (still running) or the exit code. */
  private async outcome(id: string, exited: Promise<number>): Promise<'detached' | number> {
    const settled = await Promise.race([
      exited.then(
        (c) => ({ c }),
        () => undefined,
      ),
      new Promise<undefined>((r) => setTimeout(r, 200, undefined)),
    ]);
    if (settled) return settled.c;
    try {
      const st = (await this.inspect(id)).State;
      if (st.Running) return 'detached';
    } catch (e) {
      if (!isEngineError(e, 'not-found')) throw e;
    }
    return exited;
  }

  async attach(id: string, io: ProcessIO, opts: { detachKeys?: string; stdin?: boolean } = {}): Promise<'detached' | number> {
    const ac = new AbortController();
    const { sock, tty } = await this.attachStream(id, io, opts.stdin ?? !!io.stdin, opts.detachKeys);
    const exited = this.waitFor(id, 'not-running', ac.signal);
    exited.catch(() => undefined);
    await pumpHijacked(sock, io, {
      tty,
      stdin: opts.stdin ?? !!io.stdin,
      onResize: (w, h) => void this.c.json('POST', this.p(id, '/resize'), { query: { w, h } }).catch(() => undefined),
    });
    const r = await this.outcome(id, exited);
    if (r === 'detached') ac.abort();
    return r;
  }

  async startAttached(id: string, io: ProcessIO, opts: { detachKeys?: string; stdin?: boolean } = {}): Promise<'detached' | number> {
    const ac = new AbortController();
    // Wait (next-exit) and attach before start: no output and no exit can be missed.
    const exited = this.waitFor(id, 'next-exit', ac.signal);
    exited.catch(() => undefined);
    const stdin = opts.stdin ?? !!io.stdin;
    const { sock, tty } = await this.attachStream(id, io, stdin, opts.detachKeys);
    const pumped = pumpHijacked(sock, io, {
      tty,
      stdin,
      onResize: (w, h) => void this.c.json('POST', this.p(id, '/resize'), { query: { w, h } }).catch(() => undefined),
    });
    try {
      await this.start(id);
    } catch (e) {
      sock.destroy();
      ac.abort();
      throw e;
    }
    await pumped;
    const r = await this.outcome(id, exited);
    if (r === 'detached') ac.abort();
    return r;
  }

  async commit(id: string, o: CommitOptions = {}): Promise<string> {
    const ref = o.reference ? splitReference(o.reference) : undefined;
    const r = optObj(
      await this.c.json('POST', '/commit', {
        query: { container: id, repo: ref?.repo, tag: ref?.tag, comment: o.message, author: o.author, changes: o.changes, pause: o.pause ?? true },
        // The body is the (optional) config to merge; Podman's compat API refuses an empty
        // body ("Decode(): EOF") where Docker takes none, and both take an empty object.
        body: {},
      }),
    );
    return str(r.Id);
  }

  async copyFrom(id: string, path: string): Promise<{ stream: Readable; stat: PathStat }> {
    const res = await this.c.stream('GET', this.p(id, '/archive'), { query: { path } });
    return { stream: res, stat: pathStatOf(res.headers['x-docker-container-path-stat']) };
  }

  async copyTo(id: string, path: string, tar: Readable, opts: { copyUIDGID?: boolean } = {}): Promise<void> {
    const query = opts.copyUIDGID ? { path, copyUIDGID: 'true' } : { path };
    const res = await this.c.stream('PUT', this.p(id, '/archive'), { query, file: tar, contentType: 'application/x-tar' });
    await text(res);
  }

  async stat(id: string, path: string): Promise<PathStat> {
    // HEAD answers carry no body, so a 404 has no daemon message: docker's own wording, then.
    const res = await this.c.stream('HEAD', this.p(id, '/archive'), { query: { path } }).catch(async (e: unknown) => {
      if (!isEngineError(e, 'not-found')) throw e;
      await this.inspect(id); // "No such container" when it is the container that is missing
      throw new EngineError('not-found', `Could not find the file ${path} in container ${id}`);
    });
    res.resume();
    return pathStatOf(res.headers['x-docker-container-path-stat']);
  }

  sampler(): Promise<StatsSampler> {
    return createSampler(this.c);
  }

  /** POST /containers/{id}/update: only the fields given (docker treats zero as "unchanged"). */
  async update(id: string, o: ContainerUpdateOptions): Promise<{ warnings: string[] }> {
    const body: Record<string, unknown> = {};
    if (o.memory !== undefined) body.Memory = o.memory;
    if (o.memorySwap !== undefined) body.MemorySwap = o.memorySwap;
    if (o.memoryReservation !== undefined) body.MemoryReservation = o.memoryReservation;
    if (o.nanoCpus !== undefined) body.NanoCpus = o.nanoCpus;
    if (o.cpuShares !== undefined) body.CpuShares = o.cpuShares;
    if (o.cpuPeriod !== undefined) body.CpuPeriod = o.cpuPeriod;
    if (o.cpuQuota !== undefined) body.CpuQuota = o.cpuQuota;
    if (o.cpusetCpus !== undefined) body.CpusetCpus = o.cpusetCpus;
    if (o.cpusetMems !== undefined) body.CpusetMems = o.cpusetMems;
    if (o.pidsLimit !== undefined) body.PidsLimit = o.pidsLimit;
    if (o.blkioWeight !== undefined) body.BlkioWeight = o.blkioWeight;
    if (o.restartPolicy)
      body.RestartPolicy = { Name: o.restartPolicy.name === 'no' ? 'no' : o.restartPolicy.name, MaximumRetryCount: o.restartPolicy.maximumRetryCount ?? 0 };
    const r = optObj(await this.c.json('POST', this.p(id, '/update'), { body }));
    return { warnings: strs(r.Warnings) };
  }

  /** GET /containers/{id}/changes: [{Path, Kind}] (null when nothing changed). */
  async changes(id: string): Promise<ContainerChange[]> {
    const raw = await this.c.json('GET', this.p(id, '/changes'));
    return arr(raw).map((v) => {
      const o = obj(v, 'change');
      const kind = num(o.Kind);
      if (kind !== 0 && kind !== 1 && kind !== 2) throw new EngineError('runtime', `the daemon sent a change of unknown kind ${kind}`);
      return { path: str(o.Path), kind };
    });
  }

  /** GET /containers/{id}/export: the tar as the daemon streams it. */
  async export(id: string): Promise<Readable> {
    return this.c.stream('GET', this.p(id, '/export'));
  }
}
