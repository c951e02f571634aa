/**
 * The OCI runtime's command line (runc, or crun which speaks the same): start, kill, delete,
 * state, pause/resume, ps. Always with berth's own `--root` (under berth's runroot), never the
 * runtime's default /run/runc, so berth's containers and anyone else's never mix.
 */
import { invalid, isEngineError, runtimeError } from '../errors.js';
import { signalInit } from './init-signal.js';

// Loaded by the first runtime call: every container listing makes a Runc and most never call it.
const proc = () => Promise.all([import('./proc.js'), import('./runtime-error.js')]);

export interface RuntimeConfig {
  /** Path of the runtime binary, e.g. /usr/sbin/runc. */
  binary: string;
  /** The runtime's state directory (`--root`), owned by berth. */
  root: string;
}

export type RuncStatus = 'creating' | 'created' | 'running' | 'paused' | 'stopped';

/** `runc state` (validated). */
export interface RuncState {
  id: string;
  pid: number;
  status: RuncStatus;
  bundle: string;
  rootfs: string;
  created: string;
}

const STATUSES = new Set<string>(['creating', 'created', 'running', 'paused', 'stopped']);

/** runc's ids: what it accepts, checked before we hand anything to a command line. */
export function checkId(id: string): void {
  if (!/^[\w+\-.]+$/.test(id) || id.length > 1024) throw invalid(`invalid container id: ${JSON.stringify(id)}`);
}

export class Runc {
  constructor(readonly cfg: RuntimeConfig) {}

  /** Global arguments every invocation gets; JSON logs so errors can be parsed. */
  globalArgs(): string[] {
    return ['--root', this.cfg.root, '--log-format', 'json'];
  }

  private async run(what: string, id: string, args: string[]): Promise<string> {
    checkId(id);
    const [{ runProc }, { lastRuntimeError, classifyRuntimeError }] = await proc();
    const r = await runProc(this.cfg.binary, [...this.globalArgs(), ...args]);
    if (r.code !== 0) throw classifyRuntimeError(lastRuntimeError(r.stderr), id, what);
    return r.stdout;
  }

  /** Runs the user process of a created container (after conmon's create). */
  async start(id: string): Promise<void> {
    await this.run('start', id, ['start', id]);
  }

  /** Sends a signal ("SIGTERM", "TERM", "15", 15) to the init process, or to all with `all`. */
  async kill(id: string, signal: string | number = 'SIGTERM', opts: { all?: boolean } = {}): Promise<void> {
    const { parseSignal } = await import('./signals.js');
    const n = parseSignal(signal);
    checkId(id);
    // the init alone: signalled as runc would, without starting it (init-signal.ts)
    if (!opts.all && signalInit(this.cfg.root, id, n)) return;
    await this.run('kill', id, ['kill', ...(opts.all ? ['--all'] : []), id, String(n)]);
  }

  /** Removes the container's runtime state and its cgroup; `force` kills it first if running. */
  async delete(id: string, opts: { force?: boolean } = {}): Promise<void> {
    await this.run('delete', id, ['delete', ...(opts.force ? ['--force'] : []), id]);
  }

  async pause(id: string): Promise<void> {
    await this.run('pause', id, ['pause', id]);
  }

  async resume(id: string): Promise<void> {
    await this.run('resume', id, ['resume', id]);
  }

  /** Changes a live container's cgroup limits (`runc update -r`, as dockerd does through
   *  containerd): runc knows the container's cgroup driver and version from its state, and
   *  orders memory against memsw on v1. Zero fields are left unchanged by runc. */
  async update(id: string, resources: Record<string, unknown>): Promise<void> {
    checkId(id);
    const [{ runProc }, { lastRuntimeError, classifyRuntimeError }] = await proc();
    const r = await runProc(this.cfg.binary, [...this.globalArgs(), 'update', '-r', '-', id], { input: JSON.stringify(resources) });
    if (r.code !== 0) throw classifyRuntimeError(lastRuntimeError(r.stderr), id, 'update');
  }

  async state(id: string): Promise<RuncState> {
    const out = await this.run('state', id, ['state', id]);
    return parseState(out);
  }

  /** State, or undefined when the runtime does not know the container. */
  async tryState(id: string): Promise<RuncState | undefined> {
    try {
      return await this.state(id);
    } catch (e) {
      if (isEngineError(e, 'not-found')) return undefined;
      throw e;
    }
  }

  /** Host pids of every process in the container (runc reads them from its cgroup). */
  async pids(id: string): Promise<number[]> {
    const out = await this.run('ps', id, ['ps', '--format', 'json', id]);
    let v: unknown;
    try {
      v = JSON.parse(out);
    } catch (e) {
      throw runtimeError(`runc ps: malformed output`, e);
    }
    // runc prints `null` for an empty cgroup.
    if (v === null) return [];
    if (!Array.isArray(v) || !v.every((p) => Number.isInteger(p) && p > 0)) throw runtimeError('runc ps: malformed output');
    return v as number[];
  }
}

export function parseState(text: string): RuncState {
  let j: Record<string, unknown>;
  try {
    j = JSON.parse(text) as Record<string, unknown>;
  } catch (e) {
    throw runtimeError('runc state: malformed JSON', e);
  }
  const ok =
    j !== null &&
    typeof j === 'object' &&
    typeof j.id === 'string' &&
    Number.isInteger(j.pid) &&
    typeof j.status === 'string' &&
    STATUSES.has(j.status) &&
    typeof j.bundle === 'string' &&
    typeof j.rootfs === 'string' &&
    typeof j.created === 'string';
  if (!ok) throw runtimeError(`runc state: unexpected document: ${text.slice(0, 200)}`);
  return {
    id: j.id as string,
    pid: j.pid as number,
    status: j.status as RuncStatus,
    bundle: j.bundle as string,
    rootfs: j.rootfs as string,
    created: j.created as string,
  };
}
