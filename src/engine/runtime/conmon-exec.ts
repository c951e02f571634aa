/**
 * `exec -d` under a conmon of its own, as podman's: conmon runs `runc exec -d` and, as a child
 * subreaper, inherits the process when runc returns and reaps it when it ends. Started by runc
 * alone, the process would be re-parented to PID 1, and a PID 1 that never reaps (node or bash
 * as a container's init, where berth itself runs in a container) would keep its zombie, and
 * with it the container's init stuck in its exit: no SIGKILL ends such a container.
 *
 * Each session has a directory in the container's bundle (execSessionsDir) for conmon's files;
 * the next `exec -d` sweeps finished ones, and the container's end takes the rest.
 */
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { debug } from '../log.js';
import { conmonPidIn, extractMessage, bundleFiles, isConmon, killConmon, monitorArgs, parseSyncReply, readText, spawnMonitor } from './conmon.js';
import { checkId, type RuntimeConfig } from './runc.js';
import { classifyRuntimeError, lastRuntimeError } from './runtime-error.js';
import { findConmon } from './runtime.js';

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

/** Where a container's detached exec sessions keep their directories (in its bundle). */
export function execSessionsDir(bundle: string): string {
  return join(bundle, 'exec-sessions');
}

/** Resolves with the process's pid once it runs; on failure nothing is left running. */
export async function conmonExecDetached(o: ConmonExecOptions): Promise<{ pid: number; conmonPid: number }> {
  checkId(o.id);
  const conmon = o.conmonPath ?? findConmon();
  mkdirSync(join(o.dir, 'exit'), { recursive: true });
  const args = [
    ...monitorArgs({
      id: o.id,
      uuid: basename(o.dir),
      name: o.id,
      runtime: o.runtime,
      dir: o.dir,
      log: 'none',
      exitDir: join(o.dir, 'exit'),
      socketDir: o.dir,
      runtimeLog: o.runtimeLog,
    }),
    '--exec',
    '--exec-process-spec',
    o.processFile,
  ];
  debug(() => `exec -d: ${conmon} ${args.join(' ')}`);
  const reply = await spawnMonitor([conmon, ...args], o.dir, o.timeoutMs ?? 30_000);
  const pid = parseSyncReply(reply);
  const conmonPid = conmonPidIn(o.dir);
  if (pid === undefined || pid <= 0) {
    killConmon(conmonPid);
    const reason = lastRuntimeError(readText(o.runtimeLog)) || extractMessage(reply) || lastRuntimeError(readText(bundleFiles(o.dir).conmonLog));
    throw classifyRuntimeError(reason || 'conmon exited without starting the process', o.id, 'exec');
  }
  return { pid, conmonPid: conmonPid ?? 0 };
}

/** Each session directory under `parent` with its conmon's pid (undefined before it wrote one). */
function sessions(parent: string): { dir: string; conmonPid: number | undefined }[] {
  try {
    return readdirSync(parent).map((n) => ({ dir: join(parent, n), conmonPid: conmonPidIn(join(parent, n)) }));
  } catch {
    return [];
  }
}

/** Removes the directories of detached exec sessions whose conmon has gone. */
export function sweepExecSessions(parent: string): void {
  for (const { dir, conmonPid } of sessions(parent)) {
    // a session being set up has no pid file yet: only ones older than a minute count as gone
    if (conmonPid !== undefined ? isConmon(conmonPid) : Date.now() - mtimeMs(dir) < 60_000) continue;
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
  const pids = sessions(parent).flatMap((s) => (s.conmonPid === undefined ? [] : [s.conmonPid]));
  const live = () => pids.filter((pid) => isConmon(pid));
  for (let i = 0; i < 50 && live().length > 0; i++) await new Promise((r) => setTimeout(r, 10));
  for (const pid of live()) killConmon(pid);
  rmSync(parent, { recursive: true, force: true });
}
