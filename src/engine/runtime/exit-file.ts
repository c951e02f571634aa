/**
 * conmon's exit file: EXITDIR/ID holds the container's exit code (decimal; 128+N when killed by
 * signal N) once the container ended. It is the one source of "has it exited, and how".
 */
import { readFileSync, watch, type FSWatcher } from 'node:fs';
import { dirname, join } from 'node:path';
import { runtimeError } from '../errors.js';

export function exitFilePath(exitDir: string, id: string): string {
  return join(exitDir, id);
}

/** The exit code, or undefined while the container has not exited (or the file is half-written). */
export function readExitFile(path: string): number | undefined {
  let t: string;
  try {
    t = readFileSync(path, 'utf8').trim();
  } catch {
    return undefined;
  }
  if (!/^-?\d+$/.test(t)) return undefined;
  return Number(t);
}

/**
 * Resolves with the exit code once the file appears. Rejects when `signal` aborts or after
 * `timeoutMs` (default: wait forever).
 */
export function waitExitFile(path: string, opts: { signal?: AbortSignal; timeoutMs?: number; pollMs?: number } = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    let w: FSWatcher | undefined;
    let poll: NodeJS.Timeout | undefined;
    let timer: NodeJS.Timeout | undefined;
    const done = (err?: Error, code?: number) => {
      w?.close();
      clearInterval(poll);
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      if (err) reject(err);
      else resolve(code!);
    };
    const check = () => {
      const c = readExitFile(path);
      if (c !== undefined) done(undefined, c);
    };
    const onAbort = () => done(opts.signal?.reason instanceof Error ? opts.signal.reason : new Error('aborted'));
    if (opts.signal?.aborted) return onAbort();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      // The directory, not the file: the file does not exist yet.
      w = watch(dirname(path), { persistent: false }, check);
      w.on('error', () => undefined);
    } catch {
      // no exit dir yet: polling covers it
    }
    // Polling as well: inotify events can be missed across a rename, and are cheap to back up.
    poll = setInterval(check, opts.pollMs ?? 250);
    if (opts.timeoutMs !== undefined) {
      timer = setTimeout(() => done(runtimeError(`no exit code in ${path} after ${opts.timeoutMs} ms`)), opts.timeoutMs);
    }
    check();
  });
}
