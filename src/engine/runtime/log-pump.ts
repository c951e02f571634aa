/**
 * Starting and waiting for the log writer (log-writer.ts) of a container whose log needs one
 * (log-config.ts): a FIFO in the container's directory that conmon writes its records into, and
 * the writer process reading it, detached so that it outlives the berth command that started
 * the container, as conmon does. It ends by itself when conmon closes the FIFO.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runtimeError } from '../errors.js';
import { logPumpPath } from '../install.js';
import { alive } from '../process-alive.js';
import type { LogPlan } from './log-config.js';

export function pumpFiles(dir: string) {
  return { fifo: join(dir, 'log.fifo'), done: join(dir, 'log-writer.done'), pid: join(dir, 'log-writer.pid') };
}

/** Starts the writer; returns the FIFO conmon must log to (as k8s-file). */
export function startLogPump(dir: string, plan: LogPlan): string {
  const f = pumpFiles(dir);
  for (const p of [f.fifo, f.done, f.pid]) rmSync(p, { force: true });
  // Node cannot make a FIFO; coreutils can (util-linux and busybox too)
  const mk = spawnSync('mkfifo', ['-m', '600', f.fifo], { encoding: 'utf8' });
  if (mk.status !== 0) throw runtimeError(`cannot make the log FIFO: ${mk.stderr || mk.error?.message || 'mkfifo failed'}`);
  const child = spawn(
    process.execPath,
    [
      '--disable-warning=ExperimentalWarning',
      '--max-old-space-size=32',
      logPumpPath,
      f.fifo,
      plan.driver,
      plan.path,
      String(plan.maxSize),
      String(plan.maxFile),
      f.done,
    ],
    { detached: true, stdio: 'ignore' },
  );
  child.unref();
  if (!child.pid) throw runtimeError('cannot start the log writer');
  writeFileSync(f.pid, String(child.pid));
  return f.fifo;
}

function pumpPid(dir: string): number | undefined {
  try {
    const pid = Number(readFileSync(pumpFiles(dir).pid, 'utf8'));
    if (!Number.isInteger(pid) || pid <= 0 || !alive(pid)) return undefined;
    // pids are reused: only a writer of this very FIFO is ours
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(pumpFiles(dir).fifo) ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * After conmon is gone: a writer that never got its FIFO opened (conmon failed before logging)
 * would wait forever, so it is stopped; one that is finishing ends by itself.
 */
export function stopLogPump(dir: string, opts: { force?: boolean } = {}): void {
  const f = pumpFiles(dir);
  const pid = pumpPid(dir);
  if (pid !== undefined && (opts.force || !existsSync(f.done))) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
  rmSync(f.fifo, { force: true });
}

/** No writer is (still) copying: it wrote its last lines, or there is none. */
export function pumpFinished(dir: string): boolean {
  return existsSync(pumpFiles(dir).done) || pumpPid(dir) === undefined;
}

/** Waits (up to `ms`) until the writer has written everything conmon gave it. */
export async function awaitLogPump(dir: string, ms = 5000): Promise<void> {
  const f = pumpFiles(dir);
  const end = Date.now() + ms;
  while (!existsSync(f.done) && pumpPid(dir) !== undefined && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
}
