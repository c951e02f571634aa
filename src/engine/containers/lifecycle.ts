/**
 * Running, stopping and cleaning up a container. The order of steps is the crash-safety story:
 * the row says `mounted` before the overlay is mounted and the runtime state exists only after
 * conmon reported, so `sync` (run by every listing) and `cleanup` can always tell what is left
 * and undo it, whoever died where.
 */
import { containerEvent } from './events.js';
import { existsSync, rmSync, writeFileSync, unlinkSync } from 'node:fs';
import { hostname as osHostname } from 'node:os';
import { conflict, invalid, isEngineError, runtimeError } from '../errors.js';
import { buildSpec, writeSpec, type SpecMount } from '../runtime/spec.js';
import { conmonCreate, isConmon } from '../runtime/conmon.js';
import { endExecSessions, execSessionsDir } from '../runtime/conmon-exec.js';
import { readExitFile, waitExitFile } from '../runtime/exit-file.js';
import { parseSignal } from '../runtime/signals.js';
import { trace } from '../trace.js';
import { withHostLock } from '../../net/cni-lock.js';
import { removeContainerCgroup } from '../../cgroups/cleanup.js';
import { driverOf } from '../../cgroups/paths.js';
import { etcPaths, type ContainerContext } from './context.js';
import type { Container } from './records.js';
import { mountRootfs, unmountRootfs } from './rootfs.js';
import { writeEtcFiles } from './etc-files.js';
import { awaitStartInFlight, claimStart, currentRunToken, foregroundClaim, newRunToken, releaseStart, startInFlight } from './run-token.js';
import { hostSpecInput } from './run-spec.js';
import { unmountShm } from './shm.js';
import { logPlan } from '../runtime/log-config.js';
import { awaitLogPump, startLogPump, stopLogPump } from '../runtime/log-pump.js';
import { probeArgv, startHealthCheck, stopHealthCheck } from './health.js';
import { alive, liveProcess, processState } from '../process-alive.js';
import { sync } from './sync.js';
import { clearRestarter, nextRestartDelay, readDelay, writeDelay, writeRestarter } from './restart-backoff.js';

/** The network namespace to join, per network mode. */
async function networkFor(ctx: ContainerContext, c: Container): Promise<SpecInputNetwork> {
  const mode = c.spec.networkMode;
  if (mode === 'host') return undefined;
  if (mode.startsWith('container:')) {
    const other = await sync(ctx, ctx.records.find(mode.slice(10)));
    if (other.state !== 'running' && other.state !== 'paused') throw conflict(`cannot join network of a non running container: ${other.name}`);
    return { path: `/proc/${other.pid}/ns/net` };
  }
  if (mode === 'none' || !ctx.network) return 'new';
  const path = await ctx.network.setup(c.id);
  return path ? { path } : 'new';
}
type SpecInputNetwork = 'new' | { path: string } | undefined;

function specMounts(ctx: ContainerContext, c: Container): SpecMount[] {
  const etc = etcPaths(ctx.dir(c.id));
  const out: SpecMount[] = [];
  const has = (t: string) => c.spec.mounts.some((m) => m.target === t);
  // read-only with the rootfs, as docker's (its network files are mounted writable otherwise)
  const ro = c.spec.host.readOnly;
  if (!has('/etc/hostname')) out.push({ type: 'bind', source: etc.hostname, destination: '/etc/hostname', recursive: false, readOnly: ro });
  if (!has('/etc/hosts')) out.push({ type: 'bind', source: etc.hosts, destination: '/etc/hosts', recursive: false, readOnly: ro });
  if (!has('/etc/resolv.conf')) out.push({ type: 'bind', source: etc.resolv, destination: '/etc/resolv.conf', recursive: false, readOnly: ro });
  for (const m of c.spec.mounts) {
    if (m.type === 'tmpfs') out.push({ type: 'tmpfs', destination: m.target, readOnly: m.readOnly, options: m.options ?? [] });
    else
      out.push({
        type: 'bind',
        source: m.source,
        destination: m.target,
        readOnly: m.readOnly,
        recursive: true,
        options: m.options ?? [],
        ...(m.propagation ? { propagation: m.propagation } : {}),
      });
  }
  return out;
}

function writeEtc(ctx: ContainerContext, c: Container): void {
  const host = c.spec.networkMode === 'host';
  writeEtcFiles(ctx.dir(c.id), {
    id: c.id,
    name: c.name,
    hostname: c.spec.hostname || (host ? osHostname() : c.id.slice(0, 12)),
    hostNetwork: host,
    dns: c.spec.dns,
    dnsSearch: c.spec.host.dnsSearch,
    dnsOptions: c.spec.host.dnsOptions,
    extraHosts: c.spec.extraHosts,
  });
}

/**
 * Creates the runtime side (overlay mounted, spec written, conmon + `runc create`), leaving the
 * container ready for `runc start`. On failure everything done is undone.
 */
export async function prepare(ctx: ContainerContext, c: Container, o: { byPolicy?: boolean } = {}): Promise<{ pid: number; conmonPid: number }> {
  const rootfs = ctx.rootfs(c.id);
  // The new run's token is written under the container's lock: the previous run's cleanup
  // (conmon's exit command) either finished before, or finds the token changed and backs off.
  const runToken = await withHostLock(ctx.lockFile(c.id), async () => {
    claimStart(ctx, c.id);
    // A restart policy yields to the user's stop (which marks first, then waits for claims).
    if (o.byPolicy && existsSync(ctx.stoppedMarker(c.id))) {
      releaseStart(ctx, c.id);
      throw conflict(`container ${c.name} was stopped by the user`);
    }
    // A user's start re-arms the policy and its backoff, as dockerd's start resets its restart manager.
    if (!o.byPolicy) for (const f of [ctx.stoppedMarker(c.id), ctx.restartDelayFile(c.id)]) rmSync(f, { force: true });
    // The previous run is recorded by now (start syncs first): its exit file must not make
    // anyone take this run for an exited one.
    rmSync(ctx.exitFile(c.id), { force: true });
    return newRunToken(ctx, c.id);
  });
  trace('prepare: locked, token written');
  ctx.db.tx(() => ctx.records.update(c.id, { mounted: 1, error: '' }));
  try {
    await mountRootfs(rootfs, ctx.paths.layers, ctx.store.layersOf(c.image_id));
    for (const m of c.spec.mounts) {
      if (m.type !== 'tmpfs' && !existsSync(m.source)) throw invalid(`invalid mount config: source path does not exist: ${m.source}`);
    }
    trace('prepare: rootfs mounted');
    writeEtc(ctx, c);
    const fromHost = await hostSpecInput(ctx, c);
    const network = await networkFor(ctx, c);
    const ownUts = c.spec.host.utsMode !== 'host' && c.spec.networkMode !== 'host' && !c.spec.networkMode.startsWith('container:');
    const { spec } = buildSpec({
      ...fromHost,
      args: [c.spec.path, ...c.spec.args],
      env: c.spec.env,
      cwd: c.spec.workdir,
      user: c.spec.user || undefined,
      hostname: ownUts ? c.spec.hostname : undefined,
      // a UTS namespace of its own (also with the host's network): the domain name is its own
      ...(c.spec.host.utsMode === 'host' ? { domainname: undefined } : {}),
      terminal: c.spec.tty,
      rootfs: rootfs.merged,
      mounts: specMounts(ctx, c),
      network,
      cgroupsPath: c.spec.cgroupsPath,
      annotations: { 'io.berth.name': c.name },
    });
    writeSpec(ctx.dir(c.id), spec);
    trace('prepare: network ready, spec written');
    const log = logPlan(c.spec.host.logConfig, ctx.dir(c.id), c.id);
    // json-file, or rotation across files: conmon writes into the log writer's FIFO
    const logPath = log.writer ? startLogPump(ctx.dir(c.id), log) : log.path;
    return await conmonCreate({
      id: c.id,
      name: c.name,
      bundle: ctx.dir(c.id),
      runtime: ctx.runc.cfg,
      logPath,
      ...(log.driver === 'none' ? { logDriver: 'none' as const } : {}),
      ...(!log.writer && log.maxSize > 0 ? { logSizeMax: log.maxSize } : {}),
      exitDir: ctx.paths.exits,
      socketDir: ctx.paths.sockets,
      terminal: c.spec.tty,
      stdin: c.spec.openStdin,
      exitCommand: ctx.exitCommand(c.id, runToken),
      systemdCgroup: driverOf(c.spec.cgroupsPath) === 'systemd',
    });
  } catch (e) {
    stopLogPump(ctx.dir(c.id), { force: true }); // one waiting for a conmon that never came
    await releaseRuntime(ctx, c).catch(() => undefined);
    const msg = (e as Error).message;
    ctx.db.tx(() =>
      ctx.records.update(c.id, {
        mounted: 0,
        error: msg,
        ...(isEngineError(e, 'cmd-not-found') ? { exit_code: 127 } : isEngineError(e, 'cmd-not-executable') ? { exit_code: 126 } : {}),
      }),
    );
    releaseStart(ctx, c.id);
    throw e;
  }
}

/** After `runc start` succeeded: the row says running, and its healthcheck is armed. */
export async function markRunning(ctx: ContainerContext, c: Container, pids: { pid: number; conmonPid: number }): Promise<void> {
  ctx.db.tx(() => {
    ctx.records.update(c.id, {
      state: 'running',
      pid: pids.pid,
      conmon_pid: pids.conmonPid,
      started_at: new Date().toISOString(),
      finished_at: '',
      exit_code: 0,
      error: '',
    });
    containerEvent(ctx.db, c, 'start');
  });
  releaseStart(ctx, c.id);
  const argv = probeArgv(c.spec.healthcheck);
  if (argv && c.spec.healthcheck) {
    // The container runs whatever happens here (dockerd's start never fails for its health
    // monitor either): a check that could not be armed stays "starting", and the next start of
    // a healthchecked container, which starts the monitor, re-arms it if its job was written.
    await startHealthCheck(ctx.paths, { id: c.id, pid: pids.pid, startedAt: Date.now(), runtime: ctx.runc.cfg.binary, argv }, c.spec.healthcheck).catch(
      (e: unknown) => trace(`healthcheck not armed: ${(e as Error).message}`),
    );
  }
}

/** A start that failed after prepare: undo it (no exit command is owed to anyone). */
export async function abandonStart(ctx: ContainerContext, c: Container, e: unknown): Promise<void> {
  await releaseRuntime(ctx, c).catch(() => undefined);
  ctx.db.tx(() => ctx.records.update(c.id, { mounted: 0, error: (e as Error).message }));
  releaseStart(ctx, c.id);
}

export async function start(ctx: ContainerContext, c: Container, o: { byPolicy?: boolean } = {}): Promise<void> {
  c = await sync(ctx, c);
  if (c.state === 'running' || c.state === 'paused') return; // docker: starting a running container is a no-op
  // so is starting one that waits out its restart delay (docker counts it as running)
  if (c.state === 'restarting' && !o.byPolicy) return;
  if (c.state === 'removing' || c.state === 'dead') throw conflict(`container ${c.name} is ${c.state}`);
  const pids = await prepare(ctx, c, o);
  try {
    await ctx.runc.start(c.id);
  } catch (e) {
    await abandonStart(ctx, c, e);
    throw e;
  }
  await markRunning(ctx, c, pids);
}

/**
 * Undoes the runtime side: runc state, cgroup, network, rootfs mount. Idempotent. The three
 * parts touch different things (runc's state and cgroup, the netns, the overlay mount in the
 * host's namespace), so they run side by side; the first failure is reported after all ran.
 */
export async function releaseRuntime(ctx: ContainerContext, c: Container): Promise<void> {
  trace('release: begin');
  // the log writer ends when conmon is gone: let it write its last lines first
  await awaitLogPump(ctx.dir(c.id), 2000);
  stopLogPump(ctx.dir(c.id), { force: true });
  stopHealthCheck(ctx.paths, c.id);
  const part = <T>(name: string, p: Promise<T> | undefined) => p?.finally(() => trace(`release: ${name} done`));
  const results = await Promise.allSettled([
    part('runtime', releaseProcess(ctx, c)),
    ctx.network && c.spec.networkMode !== 'host' && c.spec.networkMode !== 'none' && !c.spec.networkMode.startsWith('container:')
      ? part('network', ctx.network.teardown(c.id))
      : undefined,
    part('rootfs', unmountRootfs(ctx.rootfs(c.id))),
    part('shm', unmountShm(ctx.dir(c.id))),
  ]);
  trace('release: done');
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}

/** The container's own mounts only (its root filesystem and /dev/shm): idempotent, cheap when unmounted. */
async function releaseMounts(ctx: ContainerContext, c: Container): Promise<void> {
  await Promise.all([unmountRootfs(ctx.rootfs(c.id)), unmountShm(ctx.dir(c.id))]);
}

/** runc's state of the container, its monitor and its cgroup. */
async function releaseProcess(ctx: ContainerContext, c: Container): Promise<void> {
  const conmonPid = c.conmon_pid;
  await ctx.runc.delete(c.id, { force: true }).catch((e: unknown) => {
    if (!/does not exist|not exist|no such/i.test((e as Error).message)) throw e;
  });
  // After a normal exit (the exit file is written) conmon is only running the exit command,
  // which may be waiting for the lock we hold: it goes by itself once that returns. Without an
  // exit file (a run torn down half-way, or conmon wedged) give it 50 ms, then never leave it.
  if (conmonPid > 0 && readExitFile(ctx.exitFile(c.id)) === undefined && alive(conmonPid) && isConmon(conmonPid)) {
    for (let i = 0; i < 25 && alive(conmonPid) && isConmon(conmonPid); i++) await new Promise((r) => setTimeout(r, 2));
    if (alive(conmonPid) && isConmon(conmonPid)) {
      try {
        process.kill(conmonPid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
  }
  await endExecSessions(execSessionsDir(ctx.dir(c.id)));
  removeContainerCgroup(ctx.cgroups, c.spec.cgroupsPath);
}

/** Records the exit of the current run and releases what it held; undefined when not ours. */
async function releaseRun(
  ctx: ContainerContext,
  id: string,
  fromExitCommand: boolean,
  runToken?: string,
): Promise<{ c: Container; exitCode: number } | undefined> {
  let c = ctx.records.byId(id);
  if (!c) return undefined;
  // An exit command of an earlier run: the container has been started again since; not ours.
  if (runToken !== undefined && currentRunToken(ctx, id) !== runToken) return undefined;
  if (startInFlight(ctx, id)) {
    // A live process is starting the next run (between its token and recording it running):
    // what a caller without a token (sync) saw exit was the previous run, already released by
    // whoever is starting this one; cleaning now would unmount the new run's root filesystem.
    if (runToken === undefined) return undefined;
    // This very run is still being recorded by its starter (it exited at once): let it finish,
    // then read the row it wrote (the one read before still said "created": the exit went
    // unrecorded, no die event, and a --rm's wait reported 0).
    await awaitStartInFlight(ctx, id);
    c = ctx.records.byId(id);
    if (!c) return undefined;
  }
  // Being removed: `rm` (or the --rm of an earlier cleanup) releases it, and `sync` finishes an
  // interrupted rm.
  if (c.state === 'removing') return undefined;
  const code = readExitFile(ctx.exitFile(id));
  if (code === undefined && (c.state === 'running' || c.state === 'paused') && alive(c.pid)) return undefined; // still running
  // Released already (a stop, or a listing's sync, came first; the row is updated only once all
  // is released): conmon's exit command that follows has nothing to undo. A second release
  // would run runc delete and CNI DEL again, competing for the CNI lock and the CPU with
  // whatever the user does next (compose down's network removal); its restart policy still applies.
  const released = c.state !== 'running' && c.state !== 'paused' && !c.mounted;
  if (!released) await releaseRuntime(ctx, c);
  const exitCode = code ?? (c.state === 'running' ? 137 : c.exit_code);
  if (c.state === 'running' || c.state === 'paused') {
    ctx.db.tx(() => {
      ctx.records.update(id, { state: 'exited', pid: 0, conmon_pid: 0, exit_code: exitCode, finished_at: new Date().toISOString(), mounted: 0 });
      containerEvent(ctx.db, c, 'die', { exitCode: String(exitCode) });
    });
  } else if (c.mounted) {
    // Created by a start that died before `runc start` (its berth was killed): it never ran,
    // so it stays "Created", as docker shows it; only what that start set up is released.
    ctx.db.tx(() => ctx.records.update(id, { pid: 0, conmon_pid: 0, mounted: 0 }));
  }
  // for conmon's exit command of this run: nothing left to release (exit-hook.ts)
  const token = currentRunToken(ctx, id);
  try {
    if (token) writeFileSync(ctx.releasedMarker(id), token);
  } catch {
    /* its directory is going (rm): so is the exit command's reason to look */
  }
  return { c, exitCode };
}

/**
 * After the container's process exited (conmon's exit command, or berth noticing): record the
 * exit, release everything, and remove it (--rm) or restart it (restart policy).
 * Returns whether it was restarted.
 */
export async function cleanup(ctx: ContainerContext, id: string, fromExitCommand = false, runToken?: string, foreground = false): Promise<boolean> {
  // Under the container's lock: a late exit command of run T must never overlap the start of
  // run T+1 (it would unmount the new run's root filesystem or delete its runtime state).
  trace('cleanup: begin');
  const done = await withHostLock(ctx.lockFile(id), async () => {
    const r = await releaseRun(ctx, id, fromExitCommand, runToken);
    // --rm: claimed under the lock, so that of two cleanups of one run (conmon's exit command
    // and a wait, stop or listing) one removes it: one destroy event, one removal. A foreground
    // run still reading the output and exit code removes it itself (run-token.ts).
    const remove = !!r?.c.spec.autoRemove && (foreground || foregroundClaim(ctx, id) !== 'live');
    if (remove) ctx.db.tx(() => ctx.records.update(id, { state: 'removing' }));
    // The restart policy is decided in the same lock as the release: no reader (a kill, a
    // listing) sees the container "exited" between its exit and "restarting", as in docker.
    const delay = r && fromExitCommand && !r.c.spec.autoRemove ? enterRestarting(ctx, id, r.exitCode) : undefined;
    return r && { ...r, remove, delay };
  });
  trace('cleanup: released');
  if (!done) return false;
  if (done.c.spec.autoRemove) {
    if (!done.remove) return false;
    await removeRecord(ctx, ctx.records.byId(id), false, { released: true });
    trace('cleanup: removed');
    return false;
  }
  return done.delay === undefined ? false : restartByPolicy(ctx, id, done.delay);
}

/**
 * Under the container's lock, its run just released: "restarting", with the delay before the
 * policy's next start (restart-backoff.ts); undefined when the policy does not restart it (or
 * the user stopped it).
 */
function enterRestarting(ctx: ContainerContext, id: string, exitCode: number): number | undefined {
  const cur = ctx.records.byId(id);
  if (!cur || cur.state !== 'exited' || existsSync(ctx.stoppedMarker(id))) return undefined;
  const p = cur.spec.restartPolicy;
  const wanted =
    p.name === 'always' ||
    p.name === 'unless-stopped' ||
    (p.name === 'on-failure' && exitCode !== 0 && (p.maximumRetryCount === 0 || cur.restart_count < p.maximumRetryCount));
  if (!wanted) return undefined;
  const ranMs = Date.parse(cur.finished_at) - Date.parse(cur.started_at);
  const delay = nextRestartDelay(readDelay(ctx.restartDelayFile(id)), Number.isFinite(ranMs) ? ranMs : 0);
  writeDelay(ctx.restartDelayFile(id), delay);
  writeRestarter(ctx.restarterFile(id));
  ctx.db.tx(() => ctx.records.update(id, { restart_count: cur.restart_count + 1, state: 'restarting' }));
  return delay;
}

const RESTARTER_POLL_MS = 100;

/**
 * The restart policy's run, the container already "restarting" (enterRestarting): this process
 * (conmon's exit command) waits the delay out, then starts it again; a `stop` or `rm` meanwhile takes
 * the row out of "restarting", and the wait ends there. Returns whether the container was
 * started again.
 */
async function restartByPolicy(ctx: ContainerContext, id: string, delay: number): Promise<boolean> {
  const until = Date.now() + delay;
  while (Date.now() < until && ctx.records.byId(id)?.state === 'restarting') {
    await new Promise((r) => setTimeout(r, Math.min(RESTARTER_POLL_MS, until - Date.now())));
  }
  const go = await withHostLock(ctx.lockFile(id), async () => {
    const cur = ctx.records.byId(id);
    if (cur?.state !== 'restarting') return undefined; // stopped or removed meanwhile
    if (!existsSync(ctx.stoppedMarker(id))) return cur;
    ctx.db.tx(() => ctx.records.update(id, { state: 'exited' }));
    return undefined;
  });
  try {
    if (!go) return false;
    await start(ctx, go, { byPolicy: true });
    return true;
  } catch (e) {
    // As dockerd leaves a container whose restart failed: stopped, with the reason.
    ctx.db.tx(() => {
      if (ctx.records.byId(id)?.state === 'restarting') ctx.records.update(id, { state: 'exited', error: (e as Error).message });
    });
    return false;
  } finally {
    clearRestarter(ctx.restarterFile(id));
  }
}

export async function kill(ctx: ContainerContext, c: Container, signal = 'SIGKILL'): Promise<void> {
  c = await sync(ctx, c);
  if (c.state === 'restarting') throw conflict(`Cannot kill container: ${c.name}: Container ${c.id} is restarting, wait until the container is running`);
  if (c.state !== 'running' && c.state !== 'paused') throw conflict(`Cannot kill container: ${c.name}: Container ${c.id} is not running`);
  const n = parseSignal(signal);
  // docker: a container killed by the user (SIGKILL or its stop signal) counts as stopped by
  // the user, so its restart policy does not bring it back
  if (n === 9 || n === parseSignal(c.spec.stopSignal)) writeFileSync(ctx.stoppedMarker(c.id), '');
  await ctx.runc.kill(c.id, signal);
  containerEvent(ctx.db, c, 'kill', { signal: String(n) });
  if (n !== 9) return;
  // As dockerd's Kill: a frozen process gets its SIGKILL when thawed, and the answer waits for
  // the exit, so that the caller's next inspect or rm sees the container stopped.
  if (c.state === 'paused') await ctx.runc.resume(c.id).catch(() => undefined);
  await waitExitFile(ctx.exitFile(c.id), { timeoutMs: 10_000 }).catch(() => undefined);
}

/**
 * Stops the container for good: the user's mark comes first, so that no restart policy starts it
 * again from here on; a policy start already under way is waited for and stopped in turn.
 */
export async function stop(ctx: ContainerContext, c: Container, timeoutS?: number, signal?: string): Promise<void> {
  if (!ctx.records.byId(c.id)) return;
  writeFileSync(ctx.stoppedMarker(c.id), '');
  for (let round = 0; round < 3; round++) {
    await awaitStartInFlight(ctx, c.id);
    const cur = ctx.records.byId(c.id);
    if (!cur) return; // removed on exit (--rm)
    c = await sync(ctx, cur);
    if (c.state === 'restarting') {
      // Waiting out its restart delay: stopped there, unless the policy's start is under way
      // (then the next round waits for it and stops the run it started).
      const cancelled = await withHostLock(ctx.lockFile(c.id), async () => {
        if (ctx.records.byId(c.id)?.state !== 'restarting' || startInFlight(ctx, c.id)) return false;
        ctx.db.tx(() => ctx.records.update(c.id, { state: 'exited' }));
        return true;
      });
      if (cancelled) return;
      continue;
    }
    if (c.state !== 'running' && c.state !== 'paused') {
      if (!startInFlight(ctx, c.id)) return;
      continue;
    }
    await stopRun(ctx, c, timeoutS, signal);
  }
}

/** Signals one run, escalates to SIGKILL after the timeout, and releases that run. */
async function stopRun(ctx: ContainerContext, c: Container, timeoutS?: number, signal?: string): Promise<void> {
  const token = currentRunToken(ctx, c.id);
  const t = timeoutS ?? c.spec.stopTimeout;
  const exitFile = ctx.exitFile(c.id);
  const sig = signal ?? c.spec.stopSignal;
  try {
    if (t > 0) {
      await ctx.runc.kill(c.id, sig);
      trace('stop: signalled');
      containerEvent(ctx.db, c, 'kill', { signal: String(parseSignal(sig)) });
      if (c.state === 'paused') await ctx.runc.resume(c.id).catch(() => undefined);
      await waitExitFile(exitFile, { timeoutMs: t * 1000 }).catch(() => undefined);
      trace('stop: exit file');
    }
    if (readExitFile(exitFile) === undefined) {
      containerEvent(ctx.db, c, 'kill', { signal: '9' });
      await killRun(ctx, c);
    }
  } catch (e) {
    if (readExitFile(exitFile) === undefined && liveProcess(c.pid)) throw e;
  }
  await cleanup(ctx, c.id, false, token || undefined);
  containerEvent(ctx.db, c, 'stop');
}

/**
 * SIGKILL for a run, as dockerd's: the init first, straight (its pid namespace dies with it, and
 * no freezer is involved), a paused one thawed so that the signal lands, then every process left
 * in its cgroup (a `--pid host` container). Resolves once conmon has written the exit; a run that
 * outlives all that is an error naming the init's state, never a removal that leaves it behind.
 */
export async function killRun(ctx: ContainerContext, c: Container): Promise<void> {
  const exitFile = ctx.exitFile(c.id);
  await ctx.runc.kill(c.id, 'SIGKILL').catch(() => undefined);
  if (c.state === 'paused') await ctx.runc.resume(c.id).catch(() => undefined);
  await ctx.runc.kill(c.id, 'SIGKILL', { all: true }).catch(() => undefined);
  await waitExitFile(exitFile, { timeoutMs: 10_000 }).catch(() => undefined);
  if (readExitFile(exitFile) !== undefined || !liveProcess(c.pid)) return;
  throw runtimeError(`Could not kill running container ${c.id}: its init (pid ${c.pid}) is still ${processState(c.pid)} 10 s after SIGKILL`);
}

/**
 * rm -r that walks the tree again when something was written into it meanwhile (rmSync's own
 * retries only retry the last rmdir): a process that had the directory open, such as a conmon
 * finishing its log, is not ours to wait for.
 */
async function removeTree(dir: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      rmSync(dir, { recursive: true, force: true });
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOTEMPTY' || attempt === 5) throw e;
      await new Promise((r) => setTimeout(r, 20 * attempt));
    }
  }
}

/** Deletes the container: its runtime side, row, dir and (with `volumes`) anonymous volumes. */
export async function removeRecord(
  ctx: ContainerContext,
  row: Container | undefined,
  removeAnonVolumes: boolean,
  o: { released?: boolean; unlessStarting?: boolean } = {},
): Promise<boolean> {
  if (!row) return false;
  // Marked under the container's lock: conmon's exit command, releasing the same run, either
  // finished before (the row re-read here says so) or finds "removing" and leaves it to us. Two
  // releases at once would both run runc delete and write into the directory being removed.
  // A prune passes over a container being started (its claim is taken under the same lock), as
  // dockerd's prune, waiting on the container's lock, then finds it running.
  const c = await withHostLock(ctx.lockFile(row.id), async () => {
    const cur = ctx.records.byId(row.id);
    if (cur && o.unlessStarting && startInFlight(ctx, cur.id)) return undefined;
    if (cur) ctx.db.tx(() => ctx.records.update(cur.id, { state: 'removing' }));
    return cur;
  });
  if (!c) return false; // removed meanwhile, or being started
  // A stopped container's run was released when it stopped (the row says so only once all was):
  // its mounts are looked at again (a `cp` or `export` killed half-way leaves the rootfs mounted),
  // not runc's state and the network, which cost a runc and CNI pass per removal.
  const held = c.mounted || c.state === 'running' || c.state === 'paused';
  if (!o.released) await (held ? releaseRuntime(ctx, c) : releaseMounts(ctx, c)); // `cleanup` has just done it for --rm
  if (ctx.network) await ctx.network.release(c.id);
  trace('remove: network released');
  const anon = c.spec.mounts.filter((m) => m.type === 'volume' && m.name && /^[a-f0-9]{64}$/.test(m.name)).map((m) => m.name!);
  ctx.db.tx(() => {
    ctx.records.delete(c.id);
    containerEvent(ctx.db, c, 'destroy');
  });
  await removeTree(ctx.dir(c.id));
  rmSync(ctx.exitFile(c.id), { force: true });
  rmSync(ctx.startingFile(c.id), { force: true });
  rmSync(ctx.foregroundFile(c.id), { force: true });
  rmSync(ctx.pauseClaimFile(c.id), { force: true });
  if (removeAnonVolumes || c.spec.autoRemove) {
    for (const v of anon) {
      try {
        ctx.volumes.removeNow(v);
      } catch {
        /* shared with another container */
      }
    }
  }
  try {
    unlinkSync(`${ctx.paths.sockets}/${c.id}`);
  } catch {
    /* conmon's link may not exist */
  }
  return true;
}
