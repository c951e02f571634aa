/**
 * Runs a helper binary (runc, ps) to completion and captures its output. One place so every call
 * has the same failure shape: a spawn failure (binary missing) is a 'runtime' EngineError, a
 * non-zero exit is reported to the caller, which knows what the binary's messages mean.
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { runtimeError } from '../errors.js';
import { debug } from '../log.js';

export interface ProcResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function runProc(file: string, args: string[], opts: { input?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<ProcResult> {
  debug(() => `run: ${file} ${args.join(' ')}`);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      env: opts.env ?? process.env,
      timeout: opts.timeoutMs ?? 60_000,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout!.on('data', (b: Buffer) => out.push(b));
    child.stderr!.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => reject(runtimeError(`cannot run ${file}: ${e.message}`, e)));
    child.on('close', (code, sig) => {
      debug(() => `run: ${file} exited ${code ?? sig} after ${(performance.now() - started).toFixed(0)} ms`);
      resolve({
        // A helper killed by a signal (our timeout) is a failure like any other.
        code: code ?? 128 + (sig ? (constants.signals[sig] ?? 0) : 0),
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      });
    });
    if (opts.input !== undefined) child.stdin!.end(opts.input);
  });
}
