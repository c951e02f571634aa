/**
 * Timing helpers: wall time of one child process (spawnSync, so nothing else of ours runs while
 * it does) and the statistics we report (median, min, max).
 */
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

export interface Cmd {
  file: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
}

export interface RunResult {
  ms: number;
  code: number;
  stdout: string;
  stderr: string;
}

/** Children running now, so that an interrupt can stop them before cleaning up. */
const live = new Set<ChildProcess>();

export function killChildren(): void {
  for (const c of live) c.kill('SIGTERM');
}

/**
 * Runs one command and measures its wall time. Asynchronous so that Ctrl-C (handled on the event
 * loop) is acted on between runs instead of after the whole benchmark.
 */
export function runTimed(cmd: Cmd, opts: { input?: string; timeout?: number } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(cmd.file, cmd.args, { env: cmd.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    live.add(child);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.stdin.on('error', () => undefined);
    child.stdin.end(opts.input ?? '');
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeout ?? 120_000);
    child.on('error', (e) => {
      clearTimeout(timer);
      live.delete(child);
      reject(e);
    });
    child.on('close', (code, signal) => {
      const ms = performance.now() - t0;
      clearTimeout(timer);
      live.delete(child);
      resolve({ ms, code: code ?? (signal ? 128 : 1), stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() });
    });
  });
}

/** Runs and throws unless it exited 0. */
export async function ok(cmd: Cmd, opts?: { input?: string; timeout?: number }): Promise<RunResult> {
  const r = await runTimed(cmd, opts);
  if (r.code !== 0) throw new Error(`${[cmd.file, ...cmd.args].join(' ')} exited ${r.code}: ${r.stderr.trim().slice(0, 500)}`);
  return r;
}

/** Synchronous variant for clean-up paths (signal handlers, `exit`). */
export function runSync(cmd: Cmd, opts: { timeout?: number } = {}): RunResult {
  const t0 = performance.now();
  const r = spawnSync(cmd.file, cmd.args, { env: cmd.env ?? process.env, input: '', timeout: opts.timeout ?? 120_000, maxBuffer: 64 * 1024 * 1024 });
  const ms = performance.now() - t0;
  if (r.error) throw r.error;
  return { ms, code: r.status ?? 128, stdout: r.stdout?.toString() ?? '', stderr: r.stderr?.toString() ?? '' };
}

export interface Stats {
  median: number;
  min: number;
  max: number;
  n: number;
  /** Mean CPU time (user + system) per run of the command and the children it waited for, ms. */
  cpu?: number;
  /** Runs that failed (not in the figures), and the first failure's message. */
  failed?: number;
  error?: string;
}

export function stats(xs: number[]): Stats {
  if (xs.length === 0) return { median: NaN, min: NaN, max: NaN, n: 0 };
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  const median = s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  return { median, min: s[0]!, max: s[s.length - 1]!, n: s.length };
}

let ticksPerSecond: number | undefined;

/**
 * CPU time of this process's waited-for children so far (/proc/self/stat cutime + cstime), ms.
 * On a busy machine wall times swell while CPU times hardly move: both are reported. conmon and
 * what it spawns (the exit command) detach, so their CPU is not in it.
 */
export function childCpuMs(): number {
  ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(f[13]) + Number(f[14])) * 1000) / ticksPerSecond;
}

/**
 * Median wall time of `n` runs of whatever `once` times (after `warmup` untimed runs). A run that
 * throws is counted and reported, not timed; when more than half fail, the first error is thrown.
 */
export async function repeat(n: number, once: (i: number) => Promise<number>, warmup = 1): Promise<Stats> {
  let failed = 0;
  let error: string | undefined;
  const attempt = async (i: number): Promise<number | undefined> => {
    try {
      return await once(i);
    } catch (e) {
      failed++;
      error ??= String((e as Error).message ?? e)
        .split('\n')[0]!
        .slice(0, 200);
      if (failed > n / 2) throw e;
      return undefined;
    }
  };
  for (let i = 0; i < warmup; i++) await attempt(-1 - i);
  const xs: number[] = [];
  const c0 = childCpuMs();
  for (let i = 0; i < n; i++) {
    const x = await attempt(i);
    if (x !== undefined) xs.push(x);
  }
  const cpu = (childCpuMs() - c0) / n;
  return { ...stats(xs), cpu, ...(failed ? { failed, error } : {}) };
}
