/**
 * Reads a container's k8s-file log: all of it, the last N records (read backwards from the end,
 * so `logs --tail 10` of a huge log costs one chunk), filtered by since/until, and optionally
 * followed until the container exits or the caller aborts.
 */
import { existsSync } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { watch, type FSWatcher } from 'node:fs';
import type { LogLine } from '../api.js';
import { invalid } from '../errors.js';
import { parseK8sLine, parseTimeArg, type LogRecord } from './k8s-file.js';

export interface ReadLogsOptions {
  /** Only the last N records (after since/until filtering). */
  tail?: number;
  since?: string | Date;
  until?: string | Date;
  /** Keep reading as the log grows, until `done` says the container exited or `signal` aborts. */
  follow?: boolean;
  signal?: AbortSignal;
  /** Container finished? Checked while following; when true the rest of the file is read and
   *  the iteration ends. Pass e.g. `() => existsSync(exitFile)`. */
  done?: () => boolean | Promise<boolean>;
  /** The exit file conmon writes (a shorthand for `done`). */
  exitFile?: string;
  /** How often to look for new data when no change notification arrived (ms). */
  pollMs?: number;
  /** Settles when a wait for new data should end at once (e.g. the exit file appeared), so that
   *  following a container that exits without writing ends without waiting for the next poll. */
  wake?: Promise<unknown>;
}

const CHUNK = 64 * 1024;
const NL = 0x0a;

export async function* readLogs(path: string, opts: ReadLogsOptions = {}): AsyncGenerator<LogLine> {
  if (opts.tail !== undefined && (!Number.isInteger(opts.tail) || opts.tail < 0)) throw invalid(`invalid tail: ${opts.tail}`);
  let since: bigint | undefined;
  let until: bigint | undefined;
  try {
    if (opts.since !== undefined && opts.since !== '') since = parseTimeArg(opts.since);
    if (opts.until !== undefined && opts.until !== '') until = parseTimeArg(opts.until);
  } catch (e) {
    throw invalid((e as Error).message);
  }
  const keep = (r: LogRecord) => (since === undefined || r.ns >= since) && (until === undefined || r.ns <= until);
  const done = opts.done ?? (opts.exitFile ? () => existsSync(opts.exitFile!) : () => true);

  let fh: FileHandle | undefined;
  try {
    fh = await openWhenExists(path, opts, done);
    if (!fh) return;
    let offset = 0;
    if (opts.tail !== undefined) {
      const size = (await fh.stat()).size;
      const recs = await lastRecords(fh, size, opts.tail, keep, since);
      for (const r of recs) yield strip(r);
      offset = size;
    }
    // Forward reading: from the start, or from where the tail ended.
    let rest: Buffer = Buffer.alloc(0);
    for (;;) {
      const { lines, next, leftover, truncated } = await readForward(fh, offset, rest);
      if (truncated) {
        // conmon truncated the log (--log-size-max): start over at the new beginning.
        offset = 0;
        rest = Buffer.alloc(0);
        continue;
      }
      offset = next;
      rest = leftover;
      for (const l of lines) {
        const r = parseK8sLine(l);
        if (!r) continue;
        if (until !== undefined && r.ns > until) return; // records are in time order
        if (keep(r)) yield strip(r);
      }
      if (!opts.follow || opts.signal?.aborted) return;
      // Order matters: check "exited" first, then read once more, so nothing written just
      // before the exit is lost.
      if (await done()) {
        const last = await readForward(fh, offset, rest);
        for (const l of last.lines) {
          const r = parseK8sLine(l);
          if (r && keep(r)) yield strip(r);
        }
        return;
      }
      await waitForChange(path, opts.pollMs ?? 200, opts.signal, opts.wake);
      if (opts.signal?.aborted) return;
    }
  } finally {
    await fh?.close();
  }
}

function strip(r: LogRecord): LogLine {
  return { stream: r.stream, time: r.time, text: r.text, complete: r.complete };
}

async function openWhenExists(path: string, opts: ReadLogsOptions, done: () => boolean | Promise<boolean>): Promise<FileHandle | undefined> {
  for (;;) {
    try {
      return await open(path, 'r');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    if (!opts.follow || opts.signal?.aborted || (await done())) return undefined;
    await waitForChange(path, opts.pollMs ?? 200, opts.signal, opts.wake);
  }
}

/** Complete lines from `offset` on; an unfinished last line is carried over in `leftover`. */
async function readForward(fh: FileHandle, offset: number, carry: Buffer) {
  const size = (await fh.stat()).size;
  if (size < offset) return { lines: [], next: 0, leftover: Buffer.alloc(0), truncated: true };
  const lines: string[] = [];
  let pos = offset;
  let pending = carry;
  while (pos < size) {
    const buf = Buffer.alloc(Math.min(CHUNK, size - pos));
    const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
    if (bytesRead === 0) break;
    pos += bytesRead;
    let data = pending.length ? Buffer.concat([pending, buf.subarray(0, bytesRead)]) : buf.subarray(0, bytesRead);
    let start = 0;
    for (let i = data.indexOf(NL); i >= 0; i = data.indexOf(NL, start)) {
      lines.push(data.toString('utf8', start, i));
      start = i + 1;
    }
    pending = Buffer.from(data.subarray(start));
    data = Buffer.alloc(0);
  }
  return { lines, next: pos, leftover: pending, truncated: false };
}

/** The last `n` kept records before `size`, oldest first, reading backwards chunk by chunk. */
async function lastRecords(fh: FileHandle, size: number, n: number, keep: (r: LogRecord) => boolean, since?: bigint): Promise<LogRecord[]> {
  const out: LogRecord[] = [];
  if (n === 0) return out;
  let end = size;
  let tailPart = Buffer.alloc(0); // bytes after the last newline seen so far (going backwards)
  let first = true;
  while (end > 0 && out.length < n) {
    const start = Math.max(0, end - CHUNK);
    const buf = Buffer.alloc(end - start);
    await fh.read(buf, 0, buf.length, start);
    let data = Buffer.concat([buf, tailPart]);
    if (first) {
      // An unterminated last line is still being written: not a record yet.
      const lastNl = data.lastIndexOf(NL);
      if (lastNl < 0) {
        end = start;
        continue;
      }
      data = data.subarray(0, lastNl + 1);
      first = false;
    }
    let stop = data.length;
    // Walk newline to newline backwards; the first segment may be incomplete unless start == 0.
    for (;;) {
      if (stop < 2) break; // (a negative offset would make lastIndexOf search from the end)
      const nl = data.lastIndexOf(NL, stop - 2);
      if (nl < 0) break;
      const r = parseK8sLine(data.toString('utf8', nl + 1, stop - 1));
      // Records are in time order: everything before this one is older than --since too.
      if (r && since !== undefined && r.ns < since) return out.reverse();
      if (r && keep(r)) {
        out.push(r);
        if (out.length >= n) return out.reverse();
      }
      stop = nl + 1;
    }
    tailPart = Buffer.from(data.subarray(0, stop));
    end = start;
    if (end === 0 && tailPart.length > 0) {
      const r = parseK8sLine(tailPart.toString('utf8', 0, tailPart.length - 1));
      if (r && keep(r)) out.push(r);
    }
  }
  return out.slice(0, n).reverse();
}

/** Resolves on a change to the file's directory entry or contents, after `ms`, on abort or wake. */
function waitForChange(path: string, ms: number, signal?: AbortSignal, wake?: Promise<unknown>): Promise<void> {
  return new Promise((resolve) => {
    void wake?.then(
      () => finish(),
      () => finish(),
    );
    let w: FSWatcher | undefined;
    const finish = () => {
      clearTimeout(t);
      signal?.removeEventListener('abort', finish);
      w?.close();
      resolve();
    };
    const t = setTimeout(finish, ms);
    signal?.addEventListener('abort', finish, { once: true });
    try {
      w = watch(path, { persistent: false }, finish);
      w.on('error', () => undefined);
    } catch {
      // file not there yet: the timer polls
    }
  });
}

/** Size of a log file, 0 when missing (for callers deciding whether to follow). */
export async function logSize(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}
