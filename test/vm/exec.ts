/**
 * Running the VM helper's host tools (debootstrap, mkfs, cp, debugfs) with a time bound, their
 * output kept for the error message. A step that overruns is killed by its PID; the tools that
 * start children of their own are run under `unshare --pid --fork --kill-child` by the caller,
 * so killing the step ends everything it started.
 */
import { spawn } from 'node:child_process';

export class StepError extends Error {
  constructor(
    readonly step: string,
    message: string,
    readonly output: string,
  ) {
    super(`${step}: ${message}${output ? `\n--- last output of ${step} ---\n${tail(output, 40)}` : ''}`);
  }
}

/** The last `lines` lines of a text. */
export function tail(text: string, lines: number): string {
  const all = text.trimEnd().split('\n');
  return all.slice(-lines).join('\n');
}

/** Output kept per step: enough for a failure's context, bounded for apt's chatter. */
const KEEP = 256 * 1024;

export interface StepOptions {
  timeoutMs: number;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

/** Runs argv to completion; resolves with its stdout+stderr, rejects with StepError. */
export function runStep(step: string, argv: string[], opts: StepOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], env: opts.env ?? process.env, cwd: opts.cwd });
    let out = '';
    const keep = (b: Buffer) => {
      out += b.toString();
      if (out.length > KEEP * 2) out = out.slice(-KEEP);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      if (child.pid) process.kill(child.pid, 'SIGKILL');
    }, opts.timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new StepError(step, `cannot run ${argv[0]}: ${e.message}`, out));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else if (timedOut) reject(new StepError(step, `did not finish in ${Math.round(opts.timeoutMs / 1000)} s (killed)`, out));
      else reject(new StepError(step, `exited ${code ?? signal}`, out));
    });
  });
}
