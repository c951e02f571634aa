/**
 * Runs a process in a running container with `runc exec --process FILE`.
 *
 * Why runc directly and not conmon's --exec (podman's way): berth is daemonless, so the berth
 * process that asked for the exec lives until it ends anyway; conmon --exec only adds an
 * attach pipe/start pipe handshake and a second socket protocol. runc exec in the foreground
 * already does what we need: without a tty it hands the process pipes it copies to its own
 * stdio; with a tty it makes the pty, puts its own stdin (when a terminal) in raw mode, copies
 * both ways and follows SIGWINCH. Its exit code is the process's. A detached exec (`-d`) is
 * the exception: it outlives us, so it runs under a conmon of its own (conmonExecDetached).
 *
 * The process inherits the container's environment, working directory, user, capabilities and
 * rlimits from the bundle's config.json, as `docker exec` does; ExecOptions override them.
 */
import { spawn, type StdioOptions } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { constants as osConstants } from 'node:os';
import { Transform } from 'node:stream';
import type { ExecOptions, ProcessIO } from '../api.js';
import { conflict, invalid, runtimeError } from '../errors.js';
import { Runc } from './runc.js';
import { conmonExecDetached, execSessionsDir, sweepExecSessions } from './conmon-exec.js';
import { classifyRuntimeError, lastRuntimeError } from './runtime-error.js';
import { buildCaps, buildEnv, parseSpecJson, toExactJson, type OciProcess } from './spec.js';
import { resolveUser } from './user.js';
import { Onlcr } from './onlcr.js';
import { debug } from '../log.js';

/** Builds the exec'd process from the container's own process and the exec options. */
export function execProcess(base: OciProcess, rootfs: string, opts: ExecOptions, hostname?: string): OciProcess {
  if (!Array.isArray(opts.cmd) || opts.cmd.length === 0 || opts.cmd[0] === '') throw invalid('no command specified');
  for (const a of opts.cmd) if (typeof a !== 'string' || a.includes('\0')) throw invalid('invalid command argument');
  const cwd = opts.workdir || base.cwd || '/';
  if (!cwd.startsWith('/')) throw invalid(`working directory must be absolute: ${cwd}`);
  const terminal = !!opts.tty && !opts.detach;

  let user = base.user;
  let home: string | undefined;
  if (opts.user) {
    const u = resolveUser(rootfs, opts.user);
    user = { uid: u.uid, gid: u.gid, ...(u.additionalGids.length ? { additionalGids: u.additionalGids } : {}) };
    home = u.home;
  }
  // The container's environment, then the exec's own (later entries win); HOME follows --user.
  // A bare NAME (no '='): the client looked it up and found nothing; buildEnv unsets it.
  const key = (e: string) => (e.includes('=') ? e.slice(0, e.indexOf('=')) : e);
  const merged = new Map<string, string>();
  for (const e of base.env ?? []) merged.set(key(e), e);
  if (home !== undefined) merged.set('HOME', `HOME=${home}`);
  for (const e of opts.env ?? []) {
    if (key(e) === '') throw invalid(`invalid environment variable: ${JSON.stringify(e)}`);
    merged.set(key(e), e); // a bare NAME unsets it (buildEnv)
  }
  const env = buildEnv([...merged.values()], { home: home ?? '/', hostname, terminal });

  const caps = opts.privileged ? buildCaps(['ALL'], []) : base.capabilities.bounding; // docker exec --privileged: every capability
  const proc: OciProcess = {
    terminal,
    user,
    args: [...opts.cmd],
    env,
    cwd,
    capabilities: { bounding: caps, effective: caps, permitted: caps, inheritable: [], ambient: [] },
    noNewPrivileges: base.noNewPrivileges,
  };
  if (base.rlimits) proc.rlimits = base.rlimits;
  return proc;
}

export interface ExecRequest {
  id: string;
  runtime: Runc;
  opts: ExecOptions;
  io: ProcessIO;
}

/** Runs the exec; resolves with its exit code (0 at once when detached). */
export async function execInContainer({ id, runtime, opts, io }: ExecRequest): Promise<number> {
  const st = await runtime.state(id);
  if (st.status === 'paused') throw conflict(`container ${id} is paused, unpause the container before exec`);
  if (st.status !== 'running') throw conflict(`container ${id} is not running`);

  // The bundle's config.json is the container's own (berth wrote it).
  const cfg = parseSpecJson(readFileSync(join(st.bundle, 'config.json'), 'utf8'));
  if (!cfg.process) throw runtimeError(`no process in ${st.bundle}/config.json`);
  const proc = execProcess(cfg.process, st.rootfs, opts, cfg.hostname);
  const own = ownTerminal(proc.terminal, io);
  // runc sizes the pty from its own terminal only after the process has started (a first
  // `stty size` could read 0x0); given here, the pty has its size before the process runs.
  if (proc.terminal) proc.consoleSize = terminalSize(own ? process.stdout : io.stdout);

  const tag = randomBytes(6).toString('hex');
  const procFile = join(st.bundle, `exec-${tag}.json`);
  const logFile = join(st.bundle, `exec-${tag}.log`);
  writeFileSync(procFile, toExactJson(proc));
  try {
    if (opts.detach) {
      const sessions = execSessionsDir(st.bundle);
      sweepExecSessions(sessions);
      const dir = join(sessions, tag);
      mkdirSync(dir, { recursive: true });
      debug(() => `exec -d in ${id} under conmon (session ${tag})`);
      await conmonExecDetached({ id, dir, processFile: procFile, runtime: runtime.cfg, runtimeLog: logFile }).catch((e: unknown) => {
        rmSync(dir, { recursive: true, force: true });
        throw e;
      });
      return 0;
    }
    const args = [...runtime.globalArgs(), '--log', logFile, 'exec', '--process', procFile, id];
    debug(() => `exec in ${id}: ${runtime.cfg.binary} ${args.join(' ')}${proc.terminal ? (own ? ' (on this terminal)' : ' (under script)') : ''}`);
    const code = await spawnRunc(runtime.cfg.binary, args, { tty: proc.terminal, own, size: proc.consoleSize }, !!opts.interactive, io);
    const reason = lastRuntimeError(readText(logFile));
    // runc exits 255 when it could not start the process; the reason is in its log.
    if (reason && code === 255) throw classifyRuntimeError(reason, id, 'exec');
    return code;
  } finally {
    rmSync(procFile, { force: true });
    rmSync(logFile, { force: true });
  }
}

function readText(p: string): string {
  try {
    return readFileSync(p, 'utf8');
  } catch {
    return '';
  }
}

/** Single-quotes a word for sh. */
function shq(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

function onlcrStream(): Transform {
  const onlcr = new Onlcr();
  return new Transform({ transform: (chunk: Buffer, _enc, done) => done(null, onlcr.push(chunk)) });
}

/** The caller's own terminal: runc gets the real fds, sets raw mode and follows the window size itself. */
function ownTerminal(tty: boolean, io: ProcessIO): boolean {
  return tty && io.stdin === process.stdin && io.stdout === process.stdout && !!process.stdin.isTTY;
}

function terminalSize(out: { columns?: number; rows?: number }): { height: number; width: number } {
  return { height: out.rows || 24, width: out.columns || 80 };
}

function spawnRunc(
  bin: string,
  args: string[],
  t: { tty: boolean; own: boolean; size?: { height: number; width: number } },
  interactive: boolean,
  io: ProcessIO,
): Promise<number> {
  const { tty, own } = t;
  // A tty for a caller without one (streams of a dashboard pane, tests): runc needs a
  // controlling terminal of its own for `exec -t`, so it runs under util-linux `script`, whose
  // pty we size with stty (runc copies that size to the container's pty; later resizes go
  // through /proc/PID/fd/0 of that pty). That pty is raw from the start, not from when runc gets
  // round to it: no echo or line editing of early input, and no "\n" → "\r\n" of its own
  // (Onlcr makes line ends the same, whenever the container's pty stopped adding "\r").
  const viaScript = tty && !own;
  let file = bin;
  let argv = args;
  if (viaScript) {
    const size = t.size ?? terminalSize(io.stdout);
    file = 'script';
    argv = ['-qfec', `stty raw -echo -onlcr cols ${size.width} rows ${size.height} 2>/dev/null; exec ${[bin, ...args].map(shq).join(' ')}`, '/dev/null'];
  }
  let stdio: StdioOptions;
  if (own) stdio = ['inherit', 'inherit', 'inherit'];
  else stdio = [viaScript || (interactive && io.stdin) ? 'pipe' : 'ignore', 'pipe', 'pipe'];

  return new Promise((resolve, reject) => {
    const child = spawn(file, argv, { stdio });
    child.on('error', (e) => reject(runtimeError(`cannot run ${file}: ${e.message}`, e)));
    let closed = false;
    if (!own) {
      const out = viaScript ? child.stdout!.pipe(onlcrStream()) : child.stdout!;
      out.pipe(io.stdout, { end: false });
      // runc prints its own failure ("exec failed: …") on stderr as well as in its log; the
      // caller reports it from the thrown EngineError, so hold that prefix back until it is
      // clear whether this is runc's complaint or the process's own output.
      const gate = new RuncErrorGate((b) => io.stderr.write(b));
      child.stderr!.on('data', (b: Buffer) => gate.push(b));
      child.on('close', (code) => gate.end(code === 255));
      if (child.stdin && io.stdin && (interactive || viaScript)) {
        const input = io.stdin;
        const onData = (b: Buffer) => {
          if (!closed) child.stdin!.write(b);
        };
        const onEnd = () => {
          // A pty has no EOF: closing script's input would end the session early.
          if (!closed && !viaScript) child.stdin!.end();
        };
        input.on('data', onData);
        input.on('end', onEnd);
        child.stdin.on('error', () => undefined); // process exited before reading all input
        child.on('close', () => {
          input.off('data', onData);
          input.off('end', onEnd);
          input.pause(); // a flowing stdin would keep the caller's event loop alive
        });
        input.resume();
      }
      if (viaScript && io.stdout.on) {
        const onResize = () => resizeScriptPty(child.pid, io.stdout.columns, io.stdout.rows);
        io.stdout.on('resize', onResize);
        child.on('close', () => (io.stdout as NodeJS.EventEmitter).off?.('resize', onResize));
      }
    }
    child.on('close', (code, sig) => {
      closed = true;
      resolve(code ?? 128 + (sig ? (osConstants.signals[sig] ?? 0) : 0));
    });
  });
}

/** Sets the size of the pty `script` made (its child's stdin); the kernel then sends SIGWINCH
 *  to runc, which passes the size on to the container's pty. */
function resizeScriptPty(scriptPid: number | undefined, cols?: number, rows?: number): void {
  if (!scriptPid || !cols || !rows) return;
  try {
    const kids = readFileSync(`/proc/${scriptPid}/task/${scriptPid}/children`, 'utf8').trim().split(/\s+/);
    const pts = readlinkSync(`/proc/${kids[0]}/fd/0`);
    if (!pts.startsWith('/dev/pts/')) return;
    spawn('stty', ['-F', pts, 'cols', String(cols), 'rows', String(rows)], { stdio: 'ignore' }).on('error', () => undefined);
  } catch {
    // the session just ended
  }
}

const RUNC_FAILURE = Buffer.from('exec failed: ');

/** Passes stderr through, except a leading "exec failed: …" from runc when runc failed. */
class RuncErrorGate {
  private held: Buffer[] = [];
  private open = false;
  constructor(private readonly write: (b: Buffer) => void) {}

  push(b: Buffer): void {
    if (this.open) return void this.write(b);
    this.held.push(b);
    const all = Buffer.concat(this.held);
    const n = Math.min(all.length, RUNC_FAILURE.length);
    if (!all.subarray(0, n).equals(RUNC_FAILURE.subarray(0, n))) this.flush();
    // A full prefix stays held: it is decided at exit.
  }

  end(runcFailed: boolean): void {
    if (this.open) return;
    if (runcFailed && Buffer.concat(this.held).subarray(0, RUNC_FAILURE.length).equals(RUNC_FAILURE)) {
      this.held = [];
      return;
    }
    this.flush();
  }

  private flush(): void {
    this.open = true;
    for (const h of this.held) this.write(h);
    this.held = [];
  }
}
