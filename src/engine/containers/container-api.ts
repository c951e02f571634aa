/** The embedded engine's ContainerApi: thin glue over create/lifecycle/present and the runtime. */
import { randomBytes } from 'node:crypto';
import { containerEvent } from './events.js';
import { lastExitCode, seqAt } from '../events/journal.js';
import { existsSync, writeFileSync } from 'node:fs';
import type { Readable } from 'node:stream';
import type {
  CommitOptions,
  ContainerApi,
  ContainerChange,
  ContainerUpdateOptions,
  ContainerCreateOptions,
  ContainerPruneReport,
  ContainerSummary,
  DockerContainerInspect,
  ExecOptions,
  LogLine,
  LogOptions,
  PathStat,
  DirEntry,
  ProcessIO,
  PruneFilters,
  StatsSampler,
  TopResult,
} from '../api.js';
import { conflict, EngineError, invalid } from '../errors.js';
import { treeSize } from '../fs/tree-size.js';
import { readExitFile, waitExitFile } from '../runtime/exit-file.js';
import type { LimitHost } from '../../cgroups/index.js';
import type { ContainerContext } from './context.js';
import type { CreateNetworking } from './create.js';
import { sync } from './sync.js';
import { CONTAINER_PRUNE_FILTERS, pruneFilter } from '../prune-filter.js';
import { trace } from '../trace.js';
import { claimForeground, currentRunToken, releaseForeground } from './run-token.js';
import { toInspect, toSummary } from './present.js';
import { logSource } from './log-source.js';
import type { Container } from './records.js';

// Loaded by the operations that change containers: listing and inspecting (most commands,
// the dashboard's first screen) need none of the runtime, spec, cgroup and network code.
const lifecycle = () => import('./lifecycle.js');

export class EmbeddedContainers implements ContainerApi {
  constructor(
    readonly ctx: ContainerContext,
    private readonly limitHost: () => LimitHost,
    private readonly networking: CreateNetworking & { ensureBuiltins(): Promise<void> },
  ) {}

  private view(c: Container) {
    return this.ctx.network?.describe(c.id) ?? { networks: {}, ports: [], sandboxKey: '' };
  }

  private async get(idOrName: string): Promise<Container> {
    return sync(this.ctx, this.ctx.records.find(idOrName));
  }

  async create(opts: ContainerCreateOptions): Promise<{ id: string; warnings: string[] }> {
    await this.networking.ensureBuiltins();
    const { createContainer } = await import('./create.js');
    const { container, warnings } = createContainer(
      {
        networking: this.networking,
        store: this.ctx.store,
        records: this.ctx.records,
        volumes: this.ctx.volumes,
        limitHost: this.limitHost,
        cgroupDriver: () => this.ctx.cgroupDriver,
        cgroups: () => this.ctx.cgroups,
        containerDir: (id) => this.ctx.dir(id),
      },
      opts,
    );
    containerEvent(this.ctx.db, container, 'create');
    return { id: container.id, warnings };
  }

  async start(idOrName: string): Promise<void> {
    const { start } = await lifecycle();
    const c = await this.get(idOrName);
    await start(this.ctx, c).catch((e: unknown) => this.failedStart(c, e));
  }

  /**
   * A start that failed (runc could not exec the command, a mount source is gone): a --rm
   * container is removed, as dockerd does, so that a client waiting for `condition=removed`
   * (docker run --rm) sees it go. Rethrows the start's error.
   */
  private async failedStart(c: Container, e: unknown): Promise<never> {
    if (c.spec.autoRemove) await this.remove(c.id, { force: true }).catch(() => undefined);
    throw e;
  }

  async stop(idOrName: string, opts: { timeout?: number; signal?: string } = {}): Promise<void> {
    const { stop } = await lifecycle();
    await stop(this.ctx, await this.get(idOrName), opts.timeout, opts.signal);
  }

  async restart(idOrName: string, opts: { timeout?: number } = {}): Promise<void> {
    const c = await this.get(idOrName);
    const { start, stop } = await lifecycle();
    await stop(this.ctx, c, opts.timeout);
    const after = this.ctx.records.byId(c.id);
    if (!after) throw conflict(`container ${c.name} was removed when it stopped (--rm)`);
    await start(this.ctx, after);
    containerEvent(this.ctx.db, after, 'restart');
  }

  async kill(idOrName: string, signal = 'SIGKILL'): Promise<void> {
    const { kill } = await lifecycle();
    await kill(this.ctx, await this.get(idOrName), signal);
  }

  async pause(idOrName: string): Promise<void> {
    const c = await this.get(idOrName);
    if (c.state === 'paused') throw conflict(`Container ${c.id} is already paused`);
    if (c.state !== 'running') throw conflict(`Container ${c.id} is not running`);
    await this.ctx.runc.pause(c.id);
    this.ctx.db.tx(() => {
      this.ctx.records.update(c.id, { state: 'paused' });
      containerEvent(this.ctx.db, c, 'pause');
    });
  }

  async unpause(idOrName: string): Promise<void> {
    const c = await this.get(idOrName);
    if (c.state !== 'paused') throw conflict(`Container ${c.id} is not paused`);
    await this.ctx.runc.resume(c.id);
    this.ctx.db.tx(() => {
      this.ctx.records.update(c.id, { state: 'running' });
      containerEvent(this.ctx.db, c, 'unpause');
    });
  }

  async remove(idOrName: string, opts: { force?: boolean; volumes?: boolean } = {}): Promise<void> {
    const c = await this.get(idOrName);
    if ((c.state === 'running' || c.state === 'paused') && !opts.force) {
      throw conflict(`cannot remove container "/${c.name}": container is running: stop the container before removing or force remove`);
    }
    if (c.state === 'restarting') {
      if (!opts.force) throw conflict(`You cannot remove a restarting container ${c.id}. Stop the container before attempting removal or force remove`);
      // its policy's wait is cancelled (or the run it started stopped) before the removal
      const { stop } = await lifecycle();
      await stop(this.ctx, c, 0);
    }
    // no restart policy may bring it back while it is being removed
    writeFileSync(this.ctx.stoppedMarker(c.id), '');
    const { killRun, removeRecord } = await lifecycle();
    if (c.state === 'running' || c.state === 'paused') await killRun(this.ctx, c);
    await removeRecord(this.ctx, this.ctx.records.byId(c.id), !!opts.volumes);
  }

  async rename(idOrName: string, newName: string): Promise<void> {
    const c = await this.get(idOrName);
    const { checkName } = await import('./names.js');
    const n = checkName(newName);
    if (n === c.name) throw invalid(`Renaming a container with the same name as its current name`);
    this.ctx.db.tx(() => {
      const taken = this.ctx.records.nameTaken(n);
      if (taken)
        throw conflict(
          `Error when allocating new name: Conflict. The container name "/${n}" is already in use by container "${taken}". You have to remove (or rename) that container to be able to reuse that name.`,
        );
      this.ctx.records.update(c.id, { name: n });
      containerEvent(this.ctx.db, { ...c, name: n }, 'rename', { oldName: `/${c.name}` });
    });
    await this.ctx.network?.syncHosts();
  }

  async list(opts: { all?: boolean; filters?: Record<string, string[]>; size?: boolean } = {}): Promise<ContainerSummary[]> {
    const now = Date.now();
    const rows: Container[] = [];
    for (const r of this.ctx.records.all()) {
      const c = await sync(this.ctx, r);
      // the row is re-read only when sync acted on it (it may have removed it)
      if (c === r || this.ctx.records.byId(c.id)) rows.push(c);
    }
    // one pass over the endpoints instead of a query per container
    const views = this.ctx.network?.describeAll();
    const none = { networks: {}, ports: [], sandboxKey: '' };
    let out = rows.map((c) => {
      const v = views ? (views.get(c.id) ?? none) : this.view(c);
      const s = toSummary(c, now, this.ctx.dir(c.id));
      const names = Object.keys(v.networks);
      return { ...s, ports: v.ports.length ? v.ports : s.ports.filter(() => false), networks: names.length ? names : s.networks };
    });
    const f = opts.filters ?? {};
    const explicitStatus = !!f.status?.length;
    // docker lists a restarting container with the running ones (it counts as running there)
    if (!opts.all && !explicitStatus) out = out.filter((c) => c.state === 'running' || c.state === 'paused' || c.state === 'restarting');
    if (f.status?.length) out = out.filter((c) => f.status!.includes(c.state));
    if (f.name?.length) out = out.filter((c) => f.name!.some((n) => new RegExp(n).test(c.names[0]!)));
    if (f.id?.length) out = out.filter((c) => f.id!.some((i) => c.id.startsWith(i)));
    if (f.label?.length)
      out = out.filter((c) =>
        f.label!.every((l) => {
          const eq = l.indexOf('=');
          return eq < 0 ? l in c.labels : c.labels[l.slice(0, eq)] === l.slice(eq + 1);
        }),
      );
    if (f.ancestor?.length) {
      const ids = f.ancestor.map((a) => this.ctx.store.tryResolve(a)?.id);
      out = out.filter((c) => ids.includes(c.imageId));
    }
    if (f.exited?.length) out = out.filter((c) => c.state === 'exited' && f.exited!.includes(String(c.exitCode)));
    if (f.volume?.length) out = out.filter((c) => c.mounts.some((m) => f.volume!.includes(m)));
    if (f.health?.length) {
      // docker: starting, healthy, unhealthy, or none (no healthcheck, or not running)
      for (const h of f.health) if (!['starting', 'healthy', 'unhealthy', 'none'].includes(h)) throw invalid(`Unrecognised filter value for health: ${h}`);
      out = out.filter((c) => f.health!.includes(c.health ?? 'none'));
    }
    if (opts.size) out = out.map((c) => ({ ...c, ...this.sizes(c.id, c.imageId) }));
    return out;
  }

  /** docker's SizeRw (the writable layer) and SizeRootFs (that and the image's layers). */
  private sizes(id: string, imageId: string): { sizeRw: number; sizeRootFs: number } {
    const sizeRw = treeSize(this.ctx.rootfs(id).upper);
    return { sizeRw, sizeRootFs: sizeRw + (this.ctx.store.tryResolve(imageId)?.size ?? 0) };
  }

  async inspect(idOrName: string, opts: { size?: boolean } = {}): Promise<DockerContainerInspect> {
    const c = await this.get(idOrName);
    const v = this.view(c);
    const doc = toInspect(this.ctx, c, { networks: v.networks, sandboxKey: v.sandboxKey, ports: v.ports });
    if (!opts.size) return doc;
    const s = this.sizes(c.id, c.image_id);
    return { ...doc, SizeRw: s.sizeRw, SizeRootFs: s.sizeRootFs };
  }

  async *logs(idOrName: string, opts: LogOptions = {}, signal?: AbortSignal): AsyncIterable<LogLine> {
    const c = await this.get(idOrName);
    const src = logSource(this.ctx, c);
    if (!src) throw new EngineError('unsupported', 'configured logging driver does not support reading');
    const running = c.state === 'running' || c.state === 'paused';
    const { readLogs } = await import('../runtime/logs.js');
    const records = readLogs(src.path, {
      tail: opts.tail,
      since: opts.since,
      until: opts.until,
      follow: !!opts.follow && running,
      signal,
      format: src.format,
      rotated: src.rotated,
      done: src.done,
    });
    // docker's --details prefix: the log's attributes (berth records none), then a space.
    if (!opts.details) return yield* records;
    for await (const r of records) yield { ...r, text: ` ${r.text}` };
  }

  async wait(idOrName: string, signal?: AbortSignal): Promise<number> {
    const c = await this.get(idOrName);
    if (c.state === 'restarting') return this.nextExit(c.id, signal);
    if (c.state !== 'running' && c.state !== 'paused') return c.exit_code;
    const token = currentRunToken(this.ctx, c.id);
    const code = await this.exitOrRemoval(c.id, signal);
    const { cleanup } = await lifecycle();
    await cleanup(this.ctx, c.id, false, token || undefined).catch(() => undefined);
    return code;
  }

  /**
   * A restarting container counts as running, as in docker: a wait ends with its next run's exit
   * (its next `die`), or when a stop or rm ends the restart.
   */
  private async nextExit(id: string, signal?: AbortSignal): Promise<number> {
    const from = seqAt(this.ctx.db);
    for (;;) {
      signal?.throwIfAborted();
      const code = lastExitCode(this.ctx.db, id, from);
      if (code !== undefined) return code;
      const c = this.ctx.records.byId(id);
      if (!c) return lastExitCode(this.ctx.db, id) ?? 0;
      if (c.state === 'exited') return c.exit_code;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** The exit code from the exit file; or, when a --rm container is removed with its exit file
   *  before this process read it, from its `die` event. */
  private async exitOrRemoval(id: string, signal?: AbortSignal): Promise<number> {
    const stop = new AbortController();
    const onAbort = () => stop.abort(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    const removed = new Promise<number>((resolve) => {
      const t = setInterval(() => {
        if (this.ctx.records.byId(id)) return;
        const code = lastExitCode(this.ctx.db, id);
        if (code === undefined) return;
        clearInterval(t);
        resolve(code);
      }, 500);
      stop.signal.addEventListener('abort', () => clearInterval(t), { once: true });
    });
    try {
      return await Promise.race([waitExitFile(this.ctx.exitFile(id), { signal: stop.signal }), removed]);
    } finally {
      signal?.removeEventListener('abort', onAbort);
      stop.abort();
    }
  }

  async top(idOrName: string, psArgs?: string[]): Promise<TopResult> {
    const c = await this.get(idOrName);
    if (c.state !== 'running' && c.state !== 'paused') throw conflict(`Container ${c.id} is not running`);
    const { top } = await import('../runtime/top.js');
    return top(this.ctx.runc, c.id, psArgs);
  }

  async prune(opts: { filters?: PruneFilters } = {}): Promise<ContainerPruneReport> {
    const filter = pruneFilter(opts.filters, CONTAINER_PRUNE_FILTERS); // bad filters: nothing removed
    const deleted: string[] = [];
    let spaceReclaimed = 0;
    const { removeRecord } = await lifecycle();
    for (const r of this.ctx.records.all()) {
      if (!filter.matches(r.created, r.spec.labels)) continue;
      const c = await sync(this.ctx, r);
      if (c.state === 'running' || c.state === 'paused' || c.state === 'restarting') continue;
      const size = treeSize(this.ctx.rootfs(c.id).upper); // docker counts the writable layers freed
      if (!(await removeRecord(this.ctx, this.ctx.records.byId(c.id), false, { unlessStarting: true }))) continue;
      deleted.push(c.id);
      spaceReclaimed += size;
    }
    return { deleted, spaceReclaimed };
  }

  async exec(idOrName: string, opts: ExecOptions, io: ProcessIO): Promise<number> {
    const c = await this.get(idOrName);
    if (c.state === 'paused') throw conflict(`Container ${c.id} is paused, unpause the container before exec`);
    if (c.state !== 'running') throw conflict(`Container ${c.id} is not running`);
    if (!opts.cmd.length) throw invalid('exec needs a command');
    const { execInContainer } = await import('../runtime/exec.js');
    const execID = randomBytes(32).toString('hex');
    const cmd = opts.cmd.join(' ');
    containerEvent(this.ctx.db, c, `exec_create: ${cmd}`, { execID });
    containerEvent(this.ctx.db, c, `exec_start: ${cmd}`, { execID });
    const code = await execInContainer({ id: c.id, runtime: this.ctx.runc, opts, io });
    if (!opts.detach) containerEvent(this.ctx.db, c, 'exec_die', { execID, exitCode: String(code) });
    return code;
  }

  /** attach needs a SEQPACKET socket (a native module): loaded only when attaching. */
  private async attachTo(
    c: Container,
    io: ProcessIO,
    opts: { detachKeys?: string; stdin?: boolean },
    onAttached?: () => Promise<void>,
  ): Promise<'detached' | number> {
    const { attachContainer } = await import('../runtime/attach.js');
    return attachContainer({
      id: c.id,
      socketDir: this.ctx.paths.sockets,
      bundle: this.ctx.dir(c.id),
      exitFile: this.ctx.exitFile(c.id),
      io,
      tty: c.spec.tty,
      stdin: (opts.stdin ?? true) && c.spec.openStdin,
      ...(opts.detachKeys !== undefined ? { detachKeys: opts.detachKeys } : {}),
      ...(onAttached ? { onAttached } : {}),
    });
  }

  async attach(idOrName: string, io: ProcessIO, opts: { detachKeys?: string; stdin?: boolean } = {}): Promise<'detached' | number> {
    const c = await this.get(idOrName);
    if (c.state === 'paused') throw conflict('You cannot attach to a paused container, unpause it first');
    if (c.state !== 'running') throw conflict('You cannot attach to a stopped container, start it first');
    const token = currentRunToken(this.ctx, c.id);
    const r = await this.attachTo(c, io, opts);
    // this run's cleanup only: a restart policy may have started the next one already
    if (r !== 'detached') await (await lifecycle()).cleanup(this.ctx, c.id, false, token || undefined).catch(() => undefined);
    return r;
  }

  async startAttached(idOrName: string, io: ProcessIO, opts: { detachKeys?: string; stdin?: boolean } = {}): Promise<'detached' | number> {
    const c = await this.get(idOrName);
    if (c.state === 'running' || c.state === 'paused') return this.attach(c.id, io, opts);
    // Output only (no terminal, no stdin): follow the log rather than attach (follow-output.ts),
    // unless the log does not keep everything (--log-driver none, a max-size that drops or
    // rotates lines faster than they may be read).
    const src = logSource(this.ctx, c);
    const outputOnly = !c.spec.tty && !((opts.stdin ?? true) && c.spec.openStdin) && !!src?.complete;
    // The attach module loads a native socket library (~90 ms): load it while conmon and runc
    // create the container, not after.
    const loading = outputOnly ? undefined : import('../runtime/attach.js').catch(() => undefined);
    const { abandonStart, cleanup, markRunning, prepare } = await lifecycle();
    // --rm: this process reads the output and the exit code after the exit, so it removes the
    // container, not conmon's exit command (run-token.ts)
    if (c.spec.autoRemove) claimForeground(this.ctx, c.id);
    const pids = await prepare(this.ctx, c)
      .catch((e: unknown) => {
        if (c.spec.autoRemove) releaseForeground(this.ctx, c.id);
        return this.failedStart(c, e);
      })
      .finally(() => loading);
    const token = currentRunToken(this.ctx, c.id);
    let started = false;
    const startIt = async () => {
      await this.ctx.runc.start(c.id);
      started = true;
      await markRunning(this.ctx, c, pids);
    };
    try {
      let r: 'detached' | number;
      if (outputOnly) {
        const { followOutput } = await import('./follow-output.js');
        await startIt();
        trace('run: started');
        r = await followOutput(src!, this.ctx.exitFile(c.id), io);
        trace('run: exited');
      } else {
        r = await this.attachTo(c, io, opts, startIt);
      }
      if (r !== 'detached') await cleanup(this.ctx, c.id, false, token, true);
      return r;
    } catch (e) {
      if (!started) {
        await abandonStart(this.ctx, c, e);
        if (c.spec.autoRemove) releaseForeground(this.ctx, c.id);
        await this.failedStart(c, e);
      } else if (readExitFile(this.ctx.exitFile(c.id)) !== undefined) {
        await cleanup(this.ctx, c.id, false, token, true).catch(() => undefined);
      }
      throw e;
    } finally {
      // detached (Ctrl-P Ctrl-Q) or failed: whoever sees the exit removes it
      if (c.spec.autoRemove) releaseForeground(this.ctx, c.id);
    }
  }

  async commit(idOrName: string, opts: CommitOptions = {}): Promise<string> {
    const c = await this.get(idOrName);
    const { commitContainer } = await import('./commit.js');
    const id = await commitContainer(this.ctx, c, opts);
    containerEvent(this.ctx.db, c, 'commit', { comment: opts.message ?? '' });
    return id;
  }

  async copyFrom(idOrName: string, path: string): Promise<{ stream: Readable; stat: PathStat }> {
    const { copyFromContainer } = await import('./copy.js');
    return copyFromContainer(this.ctx, await this.get(idOrName), path);
  }

  async copyTo(idOrName: string, path: string, tar: Readable, opts?: { copyUIDGID?: boolean }): Promise<void> {
    const { copyToContainer } = await import('./copy.js');
    return copyToContainer(this.ctx, await this.get(idOrName), path, tar, opts);
  }

  async stat(idOrName: string, path: string): Promise<PathStat> {
    const { statInContainer } = await import('./copy.js');
    return statInContainer(this.ctx, await this.get(idOrName), path);
  }

  async listDir(idOrName: string, path: string): Promise<DirEntry[]> {
    const { listInContainer } = await import('./copy.js');
    return listInContainer(this.ctx, await this.get(idOrName), path);
  }

  async sampler(listed?: ContainerSummary[]): Promise<StatsSampler> {
    const { EmbeddedSampler } = await import('./sampler.js');
    // the first pass tracks what the caller has just listed (`stats` lists before sampling:
    // listing 50 containers twice was a tenth of its time); later passes list anew
    const live = (l: ContainerSummary[]) => l.filter((c) => c.state === 'running' || c.state === 'paused');
    let first = listed && live(listed);
    const running = () => {
      const l = first ? Promise.resolve(first) : this.list({ all: false }).then(live);
      first = undefined;
      return l;
    };
    return new EmbeddedSampler(this.ctx, (ids) => running().then((l) => (ids ? l.filter((c) => ids.includes(c.id)) : l)));
  }

  async update(idOrName: string, opts: ContainerUpdateOptions): Promise<{ warnings: string[] }> {
    const { updateContainer } = await import('./update.js');
    return updateContainer(this.ctx, await this.get(idOrName), opts, this.limitHost());
  }

  async changes(idOrName: string): Promise<ContainerChange[]> {
    const { containerChanges } = await import('./changes.js');
    return containerChanges(this.ctx, await this.get(idOrName));
  }

  async export(idOrName: string): Promise<Readable> {
    const { exportContainer } = await import('./export.js');
    return exportContainer(this.ctx, await this.get(idOrName));
  }
}
