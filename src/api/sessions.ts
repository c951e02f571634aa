/**
 * What the server remembers between requests (the engine keeps no such thing): attaches that
 * wait for their container to start (docker's run: attach, then start), the terminals of live
 * attach and exec streams (for resize), and exec instances with their state (create → start →
 * json). One Sessions per server.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, unwatchFile, watchFile, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ExecOptions } from '../engine/api.js';
import type { ConnIO } from './streams.js';
import { AttachPeers, type PeerHandler } from './attach-peers.js';

export interface PendingAttach {
  io: ConnIO;
  opts: { detachKeys?: string; stdin?: boolean };
  /** Aborted when the attach's client is gone. */
  signal: AbortSignal;
  /** Called by start with the running startAttached. */
  begin(run: Promise<'detached' | number>): void;
}

export interface ExecInstance {
  id: string;
  containerId: string;
  opts: ExecOptions;
  attach: { stdin: boolean; stdout: boolean; stderr: boolean };
  detachKeys: string;
  running: boolean;
  started: boolean;
  exitCode: number | null;
  pid: number;
  io?: ConnIO;
  /** A resize that came before the stream (docker's CLI may send it first). */
  size?: { columns: number; rows: number };
}

export class Sessions {
  private readonly pending = new Map<string, PendingAttach[]>();
  private readonly terminals = new Map<string, Set<ConnIO>>();
  readonly execs = new Map<string, ExecInstance>();

  addPending(containerId: string, p: PendingAttach): () => void {
    const list = this.pending.get(containerId) ?? [];
    list.push(p);
    this.pending.set(containerId, list);
    return () => {
      const l = this.pending.get(containerId);
      if (!l) return;
      const i = l.indexOf(p);
      if (i >= 0) l.splice(i, 1);
      if (l.length === 0) this.pending.delete(containerId);
    };
  }
  takePending(containerId: string): PendingAttach[] {
    const l = this.pending.get(containerId) ?? [];
    this.pending.delete(containerId);
    return l;
  }

  addTerminal(containerId: string, io: ConnIO): () => void {
    const set = this.terminals.get(containerId) ?? new Set();
    set.add(io);
    this.terminals.set(containerId, set);
    return () => {
      set.delete(io);
      if (set.size === 0) this.terminals.delete(containerId);
    };
  }
  /** Resizes this process's terminals of the container; false when it holds none. */
  resizeContainer(containerId: string, columns: number, rows: number): boolean {
    const set = this.terminals.get(containerId);
    for (const io of set ?? []) io.stdout.resize(columns, rows);
    return !!set?.size;
  }

  private peers?: AttachPeers;
  /**
   * The other server processes holding attaches (attach-peers.ts), beside the exec files
   * (`<runroot>/api/attach`); `handle` answers their requests. None without a shared directory.
   */
  attachPeers(handle: PeerHandler): AttachPeers | undefined {
    if (!this.execDir) return undefined;
    this.peers ??= new AttachPeers(join(dirname(this.execDir), 'attach'), handle);
    return this.peers;
  }

  /**
   * Where exec instances are also written, so that another server process on the same engine
   * finds them: `berth system dial-stdio` serves one connection per process, and docker's
   * clients create, start, resize and inspect an exec on separate connections.
   */
  execDir?: string;

  newExec(e: Omit<ExecInstance, 'id' | 'running' | 'started' | 'exitCode' | 'pid'>): ExecInstance {
    const inst: ExecInstance = { ...e, id: randomBytes(32).toString('hex'), running: false, started: false, exitCode: null, pid: 0 };
    this.execs.set(inst.id, inst);
    // Finished instances are forgotten after a while, as docker's (which drops them with the container).
    if (this.execs.size > 1000) for (const [id, x] of this.execs) if (!x.running && x.started && this.execs.size > 500) this.execs.delete(id);
    this.sweepExecFiles();
    this.saveExec(inst);
    return inst;
  }

  /**
   * The instance as it is now. One this process runs is current here; any other is read from
   * its file when there is one (another process may have started or finished it since).
   */
  getExec(id: string): ExecInstance | undefined {
    const own = this.execs.get(id);
    if (own?.io || !this.execDir || !EXEC_ID.test(id)) return own;
    let doc: ExecInstance;
    try {
      doc = JSON.parse(readFileSync(join(this.execDir, `${id}.json`), 'utf8')) as ExecInstance;
    } catch {
      return own;
    }
    if (!own) return { ...doc, io: undefined };
    Object.assign(own, { running: doc.running, started: doc.started, exitCode: doc.exitCode, pid: doc.pid, size: doc.size });
    return own;
  }

  /** Records the instance's state for the other processes (atomically: they read it any time). */
  saveExec(x: ExecInstance): void {
    if (!this.execDir) return;
    mkdirSync(this.execDir, { recursive: true, mode: 0o700 });
    const { io: _io, ...doc } = x;
    const tmp = join(this.execDir, `.${x.id}.${process.pid}`);
    writeFileSync(tmp, JSON.stringify(doc), { mode: 0o600 });
    renameSync(tmp, join(this.execDir, `${x.id}.json`));
  }

  /** A terminal size for an instance another process runs (it picks it up: watchSize). */
  saveSize(id: string, size: { columns: number; rows: number }): void {
    if (!this.execDir) return;
    const tmp = join(this.execDir, `.${id}.size.${process.pid}`);
    writeFileSync(tmp, JSON.stringify(size), { mode: 0o600 });
    renameSync(tmp, join(this.execDir, `${id}.size`));
  }

  /** Follows sizes other processes record for this process's running instance; returns the stop. */
  watchSize(id: string, onSize: (size: { columns: number; rows: number }) => void): () => void {
    if (!this.execDir) return () => undefined;
    const f = join(this.execDir, `${id}.size`);
    const listener = () => {
      try {
        const v = JSON.parse(readFileSync(f, 'utf8')) as { columns?: unknown; rows?: unknown };
        if (typeof v.columns === 'number' && typeof v.rows === 'number') onSize({ columns: v.columns, rows: v.rows });
      } catch {
        // not there yet, or being replaced
      }
    };
    listener(); // one recorded before the start
    watchFile(f, { interval: 200 }, listener);
    return () => unwatchFile(f, listener);
  }

  /** Files of finished instances older than an hour go (the runroot is a tmpfs). */
  private sweepExecFiles(): void {
    if (!this.execDir) return;
    let names: string[];
    try {
      names = readdirSync(this.execDir);
    } catch {
      return;
    }
    const old = Date.now() - 3600_000;
    for (const n of names) {
      const f = join(this.execDir, n);
      try {
        if (statSync(f).mtimeMs < old) rmSync(f, { force: true });
      } catch {
        // gone meanwhile
      }
    }
  }
}

const EXEC_ID = /^[a-f0-9]{64}$/;

const byServer = new WeakMap<object, Sessions>();
/** The Sessions of the server that owns `engine` (routes get the engine, not the server). */
export function sessionsOf(engine: object): Sessions {
  let s = byServer.get(engine);
  if (!s) byServer.set(engine, (s = new Sessions()));
  return s;
}
