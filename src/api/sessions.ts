/**
 * What the server remembers between requests (the engine keeps no such thing): attaches that
 * wait for their container to start (docker's run: attach, then start), the terminals of live
 * attach and exec streams (for resize), and exec instances with their state (create → start →
 * json). One Sessions per server.
 */
import { randomBytes } from 'node:crypto';
import type { ExecOptions } from '../engine/api.js';
import type { ConnIO } from './streams.js';

export interface PendingAttach {
  io: ConnIO;
  opts: { detachKeys?: string; stdin?: boolean };
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
  resizeContainer(containerId: string, columns: number, rows: number): void {
    for (const io of this.terminals.get(containerId) ?? []) io.stdout.resize(columns, rows);
  }

  newExec(e: Omit<ExecInstance, 'id' | 'running' | 'started' | 'exitCode' | 'pid'>): ExecInstance {
    const inst: ExecInstance = { ...e, id: randomBytes(32).toString('hex'), running: false, started: false, exitCode: null, pid: 0 };
    this.execs.set(inst.id, inst);
    // Finished instances are forgotten after a while, as docker's (which drops them with the container).
    if (this.execs.size > 1000) for (const [id, x] of this.execs) if (!x.running && x.started && this.execs.size > 500) this.execs.delete(id);
    return inst;
  }
}

const byServer = new WeakMap<object, Sessions>();
/** The Sessions of the server that owns `engine` (routes get the engine, not the server). */
export function sessionsOf(engine: object): Sessions {
  let s = byServer.get(engine);
  if (!s) byServer.set(engine, (s = new Sessions()));
  return s;
}
