/**
 * Reads a container's log: all of it, the last N records (read backwards from the end, so
 * `logs --tail 10` of a huge log costs one chunk), filtered by since/until, and optionally
 * followed until the container exits or the caller aborts. k8s-file or json-file records; a
 * rotated log is read across its files, oldest first, and a follower moves on to the new file
 * when the current one is rotated away (renamed, or replaced by conmon's --log-size-max).
 */
import { existsSync } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { watch, type FSWatcher } from 'node:fs';
import type { LogLine } from '../api.js';
import { invalid } from '../errors.js';
import { parseK8sLine, parseTimeArg, type LogRecord } from './k8s-file.js';
import { parseJsonLogLine } from './json-file.js';

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
  /** The records' format; k8s-file (conmon's) by default. */
  format?: 'k8s-file' | 'json-file';
  /** Older files of a rotated log, oldest first, read before `path` (missing ones skipped). */
  rotated?: string[];
}

const CHUNK = 64 * 1024;
const NL = 0x0a;

type Parse = (line: string) => LogRecord | undefined;

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
  const parse: Parse = opts.format === 'json-file' ? parseJsonLogLine : parseK8sLine;
  const keep = (r: LogRecord) => (since === undefined || r.ns >= since) && (until === undefined || r.ns <= until);
  const done = opts.done ?? (opts.exitFile ? () => existsSync(opts.exitFile!) : () => true);
  const older = (opts.rotated ?? []).filter((p) => existsSync(p));
  // Once `wake` has fired, waiting on it would return at once: a log writer finishing after the
  // exit is then polled for briefly instead of spun on.
  let woke = false;
  void opts.wake?.then(
    () => (woke = true),
    () => (woke = true),
  );
  const pause = () => waitForChange(path, woke ? 10 : (opts.pollMs ?? 200), opts.signal, woke ? undefined : opts.wake);

  let fh: FileHandle | undefined;
  try {
    fh = await openWhenExists(path, opts, done);
    let offset = 0;
    if (opts.tail !== undefined) {
      // The last N across the files, newest first: the current file, then the rotated ones.
      const size = fh ? (await fh.stat()).size : 0;
      let recs = fh ? await lastRecords(fh, size, opts.tail, keep, parse, since) : [];
      for (const p of [...older].reverse()) {
        if (recs.length >= opts.tail) break;
        const h = await open(p, 'r').catch(() => undefined);
        if (!h) continue;
        try {
          recs = [...(await lastRecords(h, (await h.stat()).size, opts.tail - recs.length, keep, parse, since)), ...recs];
        } finally {
          await h.close();
        }
      }
      for (const r of recs) yield strip(r);
      offset = size;
    } else {
      for (const p of older) {
        const h = await open(p, 'r').catch(() => undefined);
        if (!h) continue;
        try {
          const { lines } = await readForward(h, 0, Buffer.alloc(0));
          for (const l of lines) {
            const r = parse(l);
            if (!r) continue;
            if (until !== undefined && r.ns > until) return; // records are in time order
            if (keep(r)) yield strip(r);
          }
        } finally {
          await h.close();
        }
      }
    }
    if (!fh) return;
    // Forward reading: from the start, or from where the tail ended.
    let rest: Buffer = Buffer.alloc(0);
    for (;;) {
      const { lines, next, leftover, truncated } = await readForward(fh, offset, rest);
      if (truncated) {
        // truncated in place (a writer with max-file 1): start over at the new beginning
        offset = 0;
        rest = Buffer.alloc(0);
        continue;
      }
      offset = next;
      rest = leftover;
      for (const l of lines) {
        const r = parse(l);
        if (!r) continue;
        if (until !== undefined && r.ns > until) return;
        if (keep(r)) yield strip(r);
      }
      if (!opts.follow || opts.signal?.aborted) return;
      // Rotated away (renamed, or replaced): what the old file still had is read; then the files
      // rotated since (when the follower was slower than the rotation), then the new one.
      if (await replaced(fh, path)) {
        const newer = await filesAfter(fh, [...(opts.rotated ?? []), path]);
        const current = newer.pop();
        for (const h of newer) {
          try {
            for (const l of (await readForward(h, 0, Buffer.alloc(0))).lines) {
              const r = parse(l);
              if (r && keep(r)) yield strip(r);
            }
          } finally {
            await h.close();
          }
        }
        if (current) {
          await fh.close();
          fh = current;
          offset = 0;
          rest = Buffer.alloc(0);
          continue;
        }
      }
      // Order matters: check "exited" first, then read once more, so nothing written just
      // before the exit is lost.
      if (await done()) {
        const last = await readForward(fh, offset, rest);
        for (const l of last.lines) {
          const r = parse(l);
          if (r && keep(r)) yield strip(r);
        }
        return;
      }
      await pause();
      if (opts.signal?.aborted) return;
    }
  } finally {
    await fh?.close();
  }
}

function strip(r: LogRecord): LogLine {
  return { stream: r.stream, time: r.time, text: r.text, complete: r.complete };
}

/** The path now names another file than the one open (checked after the open one was read out). */
async function replaced(fh: FileHandle, path: string): Promise<boolean> {
  try {
    const [a, b] = await Promise.all([fh.stat(), stat(path)]);
    return a.ino !== b.ino || a.dev !== b.dev;
  } catch {
    return false; // mid-rename: look again next time
  }
}

/**
 * The files of the chain (oldest first) that are newer than the open one, opened (an open file
 * stays the same file while the writer renames on); all of them when the open one has already
 * been rotated out of the chain.
 */
async function filesAfter(fh: FileHandle, chain: string[]): Promise<FileHandle[]> {
  const mine = await fh.stat();
  const opened: FileHandle[] = [];
  for (const p of chain) {
    const h = await open(p, 'r').catch(() => undefined);
    if (h) opened.push(h);
  }
  const stats = await Promise.all(opened.map((h) => h.stat()));
  const idx = stats.findIndex((st) => st.ino === mine.ino && st.dev === mine.dev);
  const keep = opened.slice(idx + 1);
  await Promise.all(opened.slice(0, idx + 1).map((h) => h.close()));
  return keep;
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
async function lastRecords(fh: FileHandle, size: number, n: number, keep: (r: LogRecord) => boolean, parse: Parse, since?: bigint): Promise<LogRecord[]> {
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
      const r = parse(data.toString('utf8', nl + 1, stop - 1));
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
      const r = parse(tailPart.toString('utf8', 0, tailPart.length - 1));
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
