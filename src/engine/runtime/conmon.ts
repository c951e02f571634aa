/**
 * Creates a container under conmon, the per-container monitor, driven as podman 4.3 drives it.
 * conmon runs `runc create`, keeps the container's stdio (log file, attach socket, tty), writes
 * the exit code to --exit-dir/ID when the container ends and then runs the exit command. It
 * double-forks into its own session, so it outlives the berth process that started it.
 *
 * Protocol: conmon gets a pipe as fd 3 (`_OCI_SYNCPIPE=3`) and writes one JSON line
 * `{"data": PID}` on it once `runc create` is done; a negative value (or EOF without a line) is a
 * failure whose reason is in runc's --log file. Only then may `runc start` run: starting earlier
 * races with create ("container does not exist").
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { invalid, runtimeError } from '../errors.js';
import { debug } from '../log.js';
import { Runc, checkId, type RuntimeConfig } from './runc.js';
import { classifyRuntimeError, lastRuntimeError } from './runtime-error.js';
import { findConmon } from './runtime.js';
import { inScope, monitorScopeUnit } from '../../cgroups/systemd-scope.js';

export interface ConmonCreateOptions {
  id: string;
  /** Shown in conmon's own messages; the id when absent. */
  name?: string;
  /** Bundle directory holding config.json (made by writeSpec). conmon also puts its `ctl` and
   *  `winsz` FIFOs, the attach socket and the files listed in bundleFiles() here. */
  bundle: string;
  runtime: RuntimeConfig;
  /** Path of conmon; $BERTH_CONMON or conmon on PATH by default. */
  conmonPath?: string;
  /** The container's log, k8s-file format (a file, or a FIFO the log writer reads). */
  logPath: string;
  /** 'none': conmon keeps no log (docker's --log-driver none); the attach socket still works. */
  logDriver?: 'k8s-file' | 'none';
  /** conmon writes the exit code to EXITDIR/ID. */
  exitDir: string;
  /** conmon links SOCKETDIR/ID → bundle (keeps the attach socket path short). */
  socketDir: string;
  /** Must match process.terminal in config.json. */
  terminal?: boolean;
  /** Keep a pipe to the container's stdin (docker's -i). */
  stdin?: boolean;
  /** Keep the container's stdin open when an attached client goes away. Default: `terminal`
   *  (a detached tty session can be re-attached; a non-tty stdin gets EOF like docker's
   *  StdinOnce, so `echo x | berth run -i img cat` ends). */
  leaveStdinOpen?: boolean;
  /** Program + arguments conmon runs after the container exited (the engine's cleanup). */
  exitCommand?: string[];
  /** Seconds conmon waits before running the exit command. */
  exitDelay?: number;
  /** Rotate the log at this many bytes (conmon's --log-size-max). */
  logSizeMax?: number;
  /** How long to wait for `runc create` (ms). */
  timeoutMs?: number;
  /**
   * The systemd cgroup driver (config.json's cgroupsPath is "slice:prefix:name"): runc creates
   * the container's scope through systemd, and conmon runs in a scope of its own.
   */
  systemdCgroup?: boolean;
}

export interface CreatedContainer {
  /** Host pid of the container's init process. */
  pid: number;
  /** Pid of the conmon monitoring it. */
  conmonPid: number;
}

/** Where conmon and runc put their files inside the bundle. */
export function bundleFiles(bundle: string) {
  return {
    pidFile: join(bundle, 'pidfile'),
    conmonPidFile: join(bundle, 'conmon.pid'),
    runtimeLog: join(bundle, 'runtime.log'),
    conmonLog: join(bundle, 'conmon.log'),
    ctl: join(bundle, 'ctl'),
    winsz: join(bundle, 'winsz'),
    attach: join(bundle, 'attach'),
  };
}

export function conmonArgs(o: ConmonCreateOptions): string[] {
  const f = bundleFiles(o.bundle);
  const args = [
    '--api-version',
    '1',
    '-c',
    o.id,
    '-u',
    o.id,
    '-n',
    o.name ?? o.id,
    '-r',
    o.runtime.binary,
    '--runtime-arg',
    '--root',
    '--runtime-arg',
    o.runtime.root,
    '-b',
    o.bundle,
    '-p',
    f.pidFile,
    '-l',
    o.logDriver === 'none' ? 'none' : `k8s-file:${o.logPath}`,
    '--exit-dir',
    o.exitDir,
    '--socket-dir-path',
    o.socketDir,
    '--conmon-pidfile',
    f.conmonPidFile,
    '--log-level',
    'warning',
    '--runtime-arg',
    '--log-format=json',
    '--runtime-arg',
    '--log',
    `--runtime-arg=${f.runtimeLog}`,
  ];
  // conmon passes --systemd-cgroup on to `runc create` (not to exec).
  if (o.systemdCgroup) args.push('--systemd-cgroup');
  if (o.terminal) args.push('-t');
  if (o.stdin) args.push('-i');
  if (o.stdin && (o.leaveStdinOpen ?? !!o.terminal)) args.push('--leave-stdin-open');
  if (o.logSizeMax !== undefined) args.push('--log-size-max', String(o.logSizeMax));
  if (o.exitCommand && o.exitCommand.length > 0) {
    args.push('--exit-command', o.exitCommand[0]!);
    for (const a of o.exitCommand.slice(1)) args.push('--exit-command-arg', a);
    if (o.exitDelay !== undefined) args.push('--exit-delay', String(o.exitDelay));
  }
  return args;
}

/**
 * Runs conmon → `runc create`; resolves once the container exists (state 'created').
 * On failure nothing is left behind: runc state deleted, conmon gone.
 */
export async function conmonCreate(o: ConmonCreateOptions): Promise<CreatedContainer> {
  checkId(o.id);
  const conmon = o.conmonPath ?? findConmon();
  if (!existsSync(join(o.bundle, 'config.json'))) throw invalid(`no config.json in bundle ${o.bundle}`);
  checkTerminalMatches(o);
  for (const d of [o.exitDir, o.socketDir, o.runtime.root]) mkdirSync(d, { recursive: true });
  mkdirSync(join(o.logPath, '..'), { recursive: true });
  const f = bundleFiles(o.bundle);
  // Leftovers of an earlier run of the same bundle would be mistaken for this one's.
  for (const p of [f.pidFile, f.conmonPidFile, f.runtimeLog, join(o.exitDir, o.id)]) rmSync(p, { force: true });

  // conmon's own complaints (bad arguments, ...) go to a file: a pipe to us would break (and
  // SIGPIPE conmon) once we are gone.
  const errFd = openSync(f.conmonLog, 'a');
  debug(() => `conmon: ${conmon} ${conmonArgs(o).join(' ')}`);
  let child;
  try {
    const argv = [conmon, ...conmonArgs(o)];
    const [bin, ...args] = o.systemdCgroup ? inScope(argv, { unit: monitorScopeUnit(o.id), description: `berth monitor of ${o.name ?? o.id}` }) : argv;
    child = spawn(bin!, args, {
      detached: true, // own session: not killed with our terminal or process group
      stdio: ['ignore', 'ignore', errFd, 'pipe'],
      env: { ...process.env, _OCI_SYNCPIPE: '3' },
      cwd: o.bundle,
    });
  } finally {
    closeSync(errFd);
  }
  child.unref();
  const sync = child.stdio[3] as NodeJS.ReadableStream & { destroy(): void; unref?(): void };

  let reply: string;
  try {
    reply = await readSyncLine(sync, child, o.timeoutMs ?? 30_000);
  } finally {
    sync.destroy();
  }

  const data = parseSyncReply(reply);
  if (data === undefined || data < 0) {
    const reason = lastRuntimeError(readText(f.runtimeLog)) || extractMessage(reply) || lastRuntimeError(readText(f.conmonLog));
    await undoCreate(o);
    throw classifyRuntimeError(reason || 'conmon exited without creating the container', o.id, 'create');
  }
  const conmonPid = Number(readText(f.conmonPidFile).trim());
  if (!Number.isInteger(conmonPid) || conmonPid <= 0) {
    await undoCreate(o);
    throw runtimeError(`conmon did not write its pid file ${f.conmonPidFile}`);
  }
  return { pid: data, conmonPid };
}

/** conmonCreate, then `runc start`: the container's process runs when this resolves. */
export async function conmonStart(o: ConmonCreateOptions): Promise<CreatedContainer> {
  const c = await conmonCreate(o);
  try {
    await new Runc(o.runtime).start(o.id);
  } catch (e) {
    await undoCreate(o);
    throw e;
  }
  return c;
}

function checkTerminalMatches(o: ConmonCreateOptions): void {
  let cfg: { process?: { terminal?: unknown } };
  try {
    cfg = JSON.parse(readFileSync(join(o.bundle, 'config.json'), 'utf8')) as typeof cfg;
  } catch (e) {
    throw invalid(`unreadable config.json in ${o.bundle}: ${(e as Error).message}`);
  }
  if (!!cfg.process?.terminal !== !!o.terminal) {
    throw invalid(`terminal=${!!o.terminal} does not match process.terminal in ${o.bundle}/config.json`);
  }
}

function readSyncLine(stream: NodeJS.ReadableStream, child: ReturnType<typeof spawn>, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => {
      cleanup();
      reject(runtimeError(`conmon did not report within ${timeoutMs} ms`));
    }, timeoutMs);
    const onData = (b: Buffer) => {
      buf += b.toString('utf8');
      const nl = buf.indexOf('\n');
      if (nl >= 0) {
        cleanup();
        resolve(buf.slice(0, nl));
      }
    };
    const onEnd = () => {
      cleanup();
      resolve(buf); // EOF: conmon (or runc) failed before reporting
    };
    const onError = (e: Error) => {
      cleanup();
      reject(runtimeError(`cannot run conmon: ${e.message}`, e));
    };
    const cleanup = () => {
      clearTimeout(timer);
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('close', onEnd);
      child.off('error', onError);
    };
    stream.on('data', onData);
    stream.on('end', onEnd);
    stream.on('close', onEnd);
    child.on('error', onError);
  });
}

/** `{"data": N}` (maybe with "message") → N; undefined when absent or malformed. */
export function parseSyncReply(line: string): number | undefined {
  if (!line.trim()) return undefined;
  try {
    const j = JSON.parse(line) as { data?: unknown };
    return typeof j.data === 'number' && Number.isInteger(j.data) ? j.data : undefined;
  } catch {
    return undefined;
  }
}

function extractMessage(line: string): string {
  try {
    const j = JSON.parse(line) as { message?: unknown };
    return typeof j.message === 'string' ? j.message : '';
  } catch {
    return '';
  }
}

function readText(p: string): string {
  try {
    return readFileSync(p, 'utf8');
  } catch {
    return '';
  }
}

/** Best effort: the runtime forgets the container; conmon (if it still lives) is stopped. */
async function undoCreate(o: ConmonCreateOptions): Promise<void> {
  try {
    await new Runc(o.runtime).delete(o.id, { force: true });
  } catch {
    // not created, or already gone: nothing to undo
  }
  const pid = Number(readText(bundleFiles(o.bundle).conmonPidFile).trim());
  if (Number.isInteger(pid) && pid > 0 && isConmon(pid)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** The pid is a live conmon (pids get reused: never signal a stranger; a zombie waiting for
 *  init to reap it is not alive). */
export function isConmon(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const open = stat.indexOf('(');
    const close = stat.lastIndexOf(')');
    const comm = stat.slice(open + 1, close);
    const state = stat.slice(close + 2, close + 3);
    return comm === 'conmon' && state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

export interface ConmonExecOptions {
  /** The running container. */
  id: string;
  /** The session's own directory: conmon's pid files, ctl FIFOs and exit file go there. */
  dir: string;
  /** The process to run (runc's --process file). */
  processFile: string;
  runtime: RuntimeConfig;
  /** runc's --log for this exec (its reason when the process could not start). */
  runtimeLog: string;
  conmonPath?: string;
  timeoutMs?: number;
}

/**
 * `exec -d` under a conmon of its own, as podman's: conmon runs `runc exec -d` and, as a child
 * subreaper, inherits the process when runc returns and reaps it when it ends. Started by runc
 * alone, the process would be re-parented to PID 1, and a PID 1 that never reaps (node or bash
 * as a container's init, where berth itself runs in a container) would keep its zombie, and
 * with it the container's init stuck in its exit: no SIGKILL ends such a container. Resolves
 * with the process's pid once it runs; on failure nothing is left running.
 */
export async function conmonExecDetached(o: ConmonExecOptions): Promise<{ pid: number; conmonPid: number }> {
  checkId(o.id);
  const conmon = o.conmonPath ?? findConmon();
  mkdirSync(join(o.dir, 'exit'), { recursive: true });
  const f = bundleFiles(o.dir);
  const session = o.dir.split('/').pop()!;
  const args = [
    '--api-version',
    '1',
    '-c',
    o.id,
    '-u',
    session,
    '-n',
    o.id,
    '-r',
    o.runtime.binary,
    '--runtime-arg',
    '--root',
    '--runtime-arg',
    o.runtime.root,
    '-b',
    o.dir,
    '-p',
    f.pidFile,
    '-l',
    'none',
    '--exit-dir',
    join(o.dir, 'exit'),
    '--socket-dir-path',
    o.dir,
    '--conmon-pidfile',
    f.conmonPidFile,
    '--log-level',
    'warning',
    '--runtime-arg',
    '--log-format=json',
    '--runtime-arg',
    '--log',
    `--runtime-arg=${o.runtimeLog}`,
    '--exec',
    '--exec-process-spec',
    o.processFile,
  ];
  const errFd = openSync(f.conmonLog, 'a');
  debug(() => `exec -d: ${conmon} ${args.join(' ')}`);
  let child;
  try {
    child = spawn(conmon, args, { detached: true, stdio: ['ignore', 'ignore', errFd, 'pipe'], env: { ...process.env, _OCI_SYNCPIPE: '3' }, cwd: o.dir });
  } finally {
    closeSync(errFd);
  }
  child.unref();
  const sync = child.stdio[3] as NodeJS.ReadableStream & { destroy(): void };
  let reply: string;
  try {
    reply = await readSyncLine(sync, child, o.timeoutMs ?? 30_000);
  } finally {
    sync.destroy();
  }
  const pid = parseSyncReply(reply);
  const conmonPid = Number(readText(f.conmonPidFile).trim());
  if (pid === undefined || pid <= 0) {
    if (Number.isInteger(conmonPid) && conmonPid > 0 && isConmon(conmonPid)) {
      try {
        process.kill(conmonPid, 'SIGKILL');
      } catch {
        // gone meanwhile
      }
    }
    const reason = lastRuntimeError(readText(o.runtimeLog)) || extractMessage(reply) || lastRuntimeError(readText(f.conmonLog));
    throw classifyRuntimeError(reason || 'conmon exited without starting the process', o.id, 'exec');
  }
  return { pid, conmonPid };
}

/** Removes the directories of detached exec sessions whose conmon has gone. */
export function sweepExecSessions(parent: string): void {
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return;
  }
  for (const n of names) {
    const dir = join(parent, n);
    const pid = Number(readText(bundleFiles(dir).conmonPidFile).trim());
    // a session being set up has no pid file yet: only ones older than a minute count as gone
    if (Number.isInteger(pid) && pid > 0 ? isConmon(pid) : Date.now() - mtimeMs(dir) < 60_000) continue;
    rmSync(dir, { recursive: true, force: true });
  }
}

function mtimeMs(p: string): number {
  try {
    return statSync(p).mtimeMs;
  } catch {
    return 0;
  }
}

/**
 * Once the container has ended: the conmons of its detached execs go too. Their processes died
 * with its pid namespace, so each is at most writing its exit file; one that is not gone within
 * half a second is killed. Their directories go with them.
 */
export async function endExecSessions(parent: string): Promise<void> {
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return;
  }
  const live = () =>
    names.map((n) => Number(readText(bundleFiles(join(parent, n)).conmonPidFile).trim())).filter((pid) => Number.isInteger(pid) && pid > 0 && isConmon(pid));
  for (let i = 0; i < 50 && live().length > 0; i++) await new Promise((r) => setTimeout(r, 10));
  for (const pid of live()) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  }
  rmSync(parent, { recursive: true, force: true });
}

/** Where a container's detached exec sessions keep their directories (in its bundle). */
export function execSessionsDir(bundle: string): string {
  return join(bundle, 'exec-sessions');
}
