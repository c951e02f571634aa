/**
 * The runtime driver as the engine uses it: one object holding the directory layout under the
 * runroot (runc root, exit files, attach socket links) and the binaries, with one method per
 * operation. Bundles, log paths and the exit command stay the engine's choice per container.
 *
 * Layout under `runRoot`:
 *   runc/      the OCI runtime's --root (berth's own; never /run/runc)
 *   exits/ID   exit code files written by conmon
 *   socket/ID  conmon's link to the bundle (attach socket at socket/ID/attach)
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { ExecOptions, LogLine, ProcessIO, TopResult } from '../api.js';
import { conflict, isEngineError } from '../errors.js';
import { attachContainer } from './attach.js';
import { conmonCreate, type CreatedContainer } from './conmon.js';
import { execInContainer } from './exec.js';
import { exitFilePath, readExitFile, waitExitFile } from './exit-file.js';
import { readLogs, type ReadLogsOptions } from './logs.js';
import { Runc, type RuncState } from './runc.js';
import { chooseRuntime, findConmon } from './runtime.js';
import { parseSignal } from './signals.js';
import { top } from './top.js';

export interface DriverConfig {
  /** berth's runroot (tmpfs-like, per boot): the driver's directories live under it. */
  runRoot: string;
  /** OCI runtime name or path (default: $BERTH_RUNTIME, else runc). */
  runtime?: string;
  /** conmon path (default: $BERTH_CONMON, else conmon on PATH). */
  conmon?: string;
}

export interface DriverCreateOptions {
  /** Bundle dir with config.json (writeSpec). */
  bundle: string;
  /** k8s-file log path. */
  logPath: string;
  name?: string;
  terminal?: boolean;
  stdin?: boolean;
  leaveStdinOpen?: boolean;
  /** Program + args conmon runs after the container exited (the engine's cleanup command). */
  exitCommand?: string[];
  exitDelay?: number;
  logSizeMax?: number;
}

export class OciDriver {
  readonly runc: Runc;
  readonly runtimeName: string;
  readonly conmonPath: string;
  readonly exitDir: string;
  readonly socketDir: string;

  constructor(cfg: DriverConfig) {
    const rt = chooseRuntime(cfg.runtime);
    this.runtimeName = rt.name;
    this.runc = new Runc({ binary: rt.binary, root: join(cfg.runRoot, 'runc') });
    this.conmonPath = findConmon(cfg.conmon);
    this.exitDir = join(cfg.runRoot, 'exits');
    this.socketDir = join(cfg.runRoot, 'socket');
  }

  exitFile(id: string): string {
    return exitFilePath(this.exitDir, id);
  }

  /** conmon + `runc create`: the container exists, its process not yet running. */
  create(id: string, o: DriverCreateOptions): Promise<CreatedContainer> {
    return conmonCreate({
      id,
      bundle: o.bundle,
      runtime: this.runc.cfg,
      conmonPath: this.conmonPath,
      logPath: o.logPath,
      exitDir: this.exitDir,
      socketDir: this.socketDir,
      ...(o.name !== undefined ? { name: o.name } : {}),
      ...(o.terminal !== undefined ? { terminal: o.terminal } : {}),
      ...(o.stdin !== undefined ? { stdin: o.stdin } : {}),
      ...(o.leaveStdinOpen !== undefined ? { leaveStdinOpen: o.leaveStdinOpen } : {}),
      ...(o.exitCommand !== undefined ? { exitCommand: o.exitCommand } : {}),
      ...(o.exitDelay !== undefined ? { exitDelay: o.exitDelay } : {}),
      ...(o.logSizeMax !== undefined ? { logSizeMax: o.logSizeMax } : {}),
    });
  }

  /** `runc start` of a created container. */
  start(id: string): Promise<void> {
    return this.runc.start(id);
  }

  /** create + start; a failed start deletes what create made. */
  async run(id: string, o: DriverCreateOptions): Promise<CreatedContainer> {
    const c = await this.create(id, o);
    try {
      await this.start(id);
    } catch (e) {
      await this.delete(id, { force: true }).catch(() => undefined);
      throw e;
    }
    return c;
  }

  state(id: string): Promise<RuncState> {
    return this.runc.state(id);
  }
  tryState(id: string): Promise<RuncState | undefined> {
    return this.runc.tryState(id);
  }
  kill(id: string, signal: string | number = 'SIGKILL'): Promise<void> {
    return this.runc.kill(id, signal);
  }
  pause(id: string): Promise<void> {
    return this.runc.pause(id);
  }
  resume(id: string): Promise<void> {
    return this.runc.resume(id);
  }

  /**
   * docker stop: `signal` (default SIGTERM), then SIGKILL after `timeoutSec` (default 10).
   * Resolves with the exit code. A container that is already stopped just reports its code.
   */
  async stop(id: string, opts: { signal?: string; timeoutSec?: number } = {}): Promise<number | undefined> {
    const exited = readExitFile(this.exitFile(id));
    if (exited !== undefined) return exited;
    const sig = parseSignal(opts.signal ?? 'SIGTERM');
    try {
      await this.runc.kill(id, sig);
    } catch (e) {
      if (!isEngineError(e, 'conflict')) throw e; // not running: fall through to the exit file
    }
    const timeoutMs = Math.max(0, opts.timeoutSec ?? 10) * 1000;
    try {
      return await waitExitFile(this.exitFile(id), { timeoutMs });
    } catch {
      // still running after the grace period
    }
    try {
      await this.runc.kill(id, 'SIGKILL', { all: true });
    } catch (e) {
      if (!isEngineError(e, 'conflict')) throw e;
    }
    return waitExitFile(this.exitFile(id), { timeoutMs: 10_000 }).catch(() => undefined);
  }

  /** Removes the runtime's state (and cgroup) and the exit file; `force` kills first. */
  async delete(id: string, opts: { force?: boolean } = {}): Promise<void> {
    try {
      await this.runc.delete(id, opts);
    } catch (e) {
      if (!isEngineError(e, 'not-found')) throw e;
    }
    rmSync(this.exitFile(id), { force: true });
    rmSync(join(this.socketDir, id), { force: true });
  }

  /** The exit code once exited, else undefined. */
  exitCode(id: string): number | undefined {
    return readExitFile(this.exitFile(id));
  }

  /** Resolves with the exit code once the container exited. */
  wait(id: string, signal?: AbortSignal): Promise<number> {
    return waitExitFile(this.exitFile(id), signal ? { signal } : {});
  }

  top(id: string, psArgs?: string[]): Promise<TopResult> {
    return top(this.runc, id, psArgs);
  }

  exec(id: string, opts: ExecOptions, io: ProcessIO): Promise<number> {
    return execInContainer({ id, runtime: this.runc, opts, io });
  }

  /** Attaches to a running (or created, with onAttached starting it) container. */
  async attach(
    id: string,
    io: ProcessIO,
    opts: { tty: boolean; stdin?: boolean; detachKeys?: string; onAttached?: () => Promise<void>; signal?: AbortSignal },
  ): Promise<'detached' | number> {
    const st = await this.runc.state(id);
    if (st.status === 'stopped') throw conflict(`container ${id} is not running`);
    return attachContainer({
      id,
      socketDir: this.socketDir,
      bundle: st.bundle,
      exitFile: this.exitFile(id),
      io,
      tty: opts.tty,
      ...(opts.stdin !== undefined ? { stdin: opts.stdin } : {}),
      ...(opts.detachKeys !== undefined ? { detachKeys: opts.detachKeys } : {}),
      ...(opts.onAttached ? { onAttached: opts.onAttached } : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
  }

  /** The container's log; `follow` ends when the container exits (its exit file appears). */
  logs(id: string, logPath: string, opts: Omit<ReadLogsOptions, 'exitFile' | 'done'> = {}): AsyncGenerator<LogLine> {
    return readLogs(logPath, { ...opts, exitFile: this.exitFile(id) });
  }
}
