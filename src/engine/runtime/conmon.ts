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
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync } from 'node:fs';
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

/** What every conmon of berth's is told: its ids, the runtime, its directory's files, the log. */
export interface MonitorArgs {
  id: string;
  /** The session's id: the container's own, or an exec session's. */
  uuid: string;
  name: string;
  runtime: RuntimeConfig;
  /** conmon's bundle directory: its pid files, FIFOs and attach socket. */
  dir: string;
  /** conmon's -l: "none" or "k8s-file:PATH". */
  log: string;
  exitDir: string;
  socketDir: string;
  runtimeLog: string;
}

export function monitorArgs(m: MonitorArgs): string[] {
  const f = bundleFiles(m.dir);
  return [
    '--api-version',
    '1',
    '-c',
    m.id,
    '-u',
    m.uuid,
    '-n',
    m.name,
    '-r',
    m.runtime.binary,
    '--runtime-arg',
    '--root',
    '--runtime-arg',
    m.runtime.root,
    '-b',
    m.dir,
    '-p',
    f.pidFile,
    '-l',
    m.log,
    '--exit-dir',
    m.exitDir,
    '--socket-dir-path',
    m.socketDir,
    '--conmon-pidfile',
    f.conmonPidFile,
    '--log-level',
    'warning',
    '--runtime-arg',
    '--log-format=json',
    '--runtime-arg',
    '--log',
    `--runtime-arg=${m.runtimeLog}`,
  ];
}

export function conmonArgs(o: ConmonCreateOptions): string[] {
  const args = monitorArgs({
    id: o.id,
    uuid: o.id,
    name: o.name ?? o.id,
    runtime: o.runtime,
    dir: o.bundle,
    log: o.logDriver === 'none' ? 'none' : `k8s-file:${o.logPath}`,
    exitDir: o.exitDir,
    socketDir: o.socketDir,
    runtimeLog: bundleFiles(o.bundle).runtimeLog,
  });
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

  debug(() => `conmon: ${conmon} ${conmonArgs(o).join(' ')}`);
  const argv = [conmon, ...conmonArgs(o)];
  const reply = await spawnMonitor(
    o.systemdCgroup ? inScope(argv, { unit: monitorScopeUnit(o.id), description: `berth monitor of ${o.name ?? o.id}` }) : argv,
    o.bundle,
    o.timeoutMs ?? 30_000,
  );

  const data = parseSyncReply(reply);
  if (data === undefined || data < 0) {
    const reason = lastRuntimeError(readText(f.runtimeLog)) || extractMessage(reply) || lastRuntimeError(readText(f.conmonLog));
    await undoCreate(o);
    throw classifyRuntimeError(reason || 'conmon exited without creating the container', o.id, 'create');
  }
  const conmonPid = conmonPidIn(o.bundle);
  if (conmonPid === undefined) {
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

/** The JSON "message" of conmon's sync line, '' without one. */
export function extractMessage(line: string): string {
  try {
    const j = JSON.parse(line) as { message?: unknown };
    return typeof j.message === 'string' ? j.message : '';
  } catch {
    return '';
  }
}

/**
 * Starts conmon (argv) in its own session, its sync pipe as fd 3, and resolves with the line it
 * reports there ('' when it ended without one). conmon's own complaints (bad arguments, ...) go
 * to its log file in `dir`: a pipe to us would break (and SIGPIPE conmon) once we are gone.
 */
export async function spawnMonitor(argv: string[], dir: string, timeoutMs: number): Promise<string> {
  const errFd = openSync(bundleFiles(dir).conmonLog, 'a');
  let child;
  try {
    child = spawn(argv[0]!, argv.slice(1), {
      detached: true, // own session: not killed with our terminal or process group
      stdio: ['ignore', 'ignore', errFd, 'pipe'],
      env: { ...process.env, _OCI_SYNCPIPE: '3' },
      cwd: dir,
    });
  } finally {
    closeSync(errFd);
  }
  child.unref();
  const sync = child.stdio[3] as NodeJS.ReadableStream & { destroy(): void };
  try {
    return await readSyncLine(sync, child, timeoutMs);
  } finally {
    sync.destroy();
  }
}

/** The pid conmon wrote into its directory's pid file, undefined without one. */
export function conmonPidIn(dir: string): number | undefined {
  const pid = Number(readText(bundleFiles(dir).conmonPidFile).trim());
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/** SIGKILL for this pid if it is a live conmon (a reused pid is never signalled). */
export function killConmon(pid: number | undefined): void {
  if (pid === undefined || !isConmon(pid)) return;
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // gone meanwhile
  }
}

export function readText(p: string): string {
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
  killConmon(conmonPidIn(o.bundle));
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
