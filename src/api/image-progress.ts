/**
 * docker's JSON-message stream (pull, push, load, import, build): one JSON object per line,
 * `{"status","id","progressDetail","progress"}`, `{"stream"}`, `{"aux"}`, and a failure as
 * `{"errorDetail":{"code"?,"message"},"error"}`. The 200 answer starts with the first message, as
 * dockerd's does: an error before it (an unknown image, bad credentials) is still a plain
 * `{"message"}` answer with its status, which is what the docker CLI shows for a failed pull.
 */
import type { ServerResponse } from 'node:http';
import type { ProgressEvent } from '../engine/api.js';
import { messageOf, sendError } from './errors.js';

export class JsonMessages {
  private started = false;
  constructor(private readonly res: ServerResponse) {}

  get begun(): boolean {
    return this.started;
  }

  write(msg: Record<string, unknown>): void {
    if (!this.started) {
      this.started = true;
      this.res.writeHead(200, { 'Content-Type': 'application/json' });
    }
    if (!this.res.destroyed) this.res.write(`${JSON.stringify(msg)}\n`);
  }

  /** An engine progress event in docker's shape (with the text bar clients print when not on a terminal). */
  progress(e: ProgressEvent): void {
    if (e.id === '') {
      // the engine says "latest: Pulling from library/busybox"; docker puts the tag in id
      const m = /^([^\s:]+): (Pulling from .*)$/.exec(e.status);
      this.write(m ? { status: m[2], id: m[1] } : { status: e.status });
      return;
    }
    if (e.current !== undefined || e.total !== undefined) {
      const detail = { current: e.current ?? 0, ...(e.total ? { total: e.total } : {}) };
      this.write({ status: e.status, progressDetail: detail, progress: progressBar(detail.current, e.total), id: e.id });
      return;
    }
    this.write({ status: e.status, progressDetail: {}, id: e.id });
  }

  /** Ends the answer; a failure goes in-stream once the stream has begun. */
  end(err?: unknown): void {
    if (err !== undefined) {
      if (!this.started) {
        sendError(this.res, err);
        return;
      }
      const message = messageOf(err);
      const code = exitCodeOf(err);
      this.write({ errorDetail: code === undefined ? { message } : { code, message }, error: message });
    }
    if (!this.started) this.res.writeHead(200, { 'Content-Type': 'application/json' });
    this.started = true;
    this.res.end();
  }
}

/** A failed build step's exit code (the engine's RunFailed), which dockerd puts in errorDetail. */
function exitCodeOf(e: unknown): number | undefined {
  const code = e instanceof Error && 'exitCode' in e ? e.exitCode : undefined;
  return typeof code === 'number' && Number.isInteger(code) ? code : undefined;
}

/** docker's units.HumanSize: decimal units, 4 significant digits. */
export function humanSize(n: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];
  let i = 0;
  while (n >= 1000 && i < units.length - 1) {
    n /= 1000;
    i++;
  }
  return `${Number(n.toPrecision(4))}${units[i]}`;
}

/** docker's progress text: `[=====>     ]  1.2MB/3.4MB` (50 columns of bar), or just the count without a total. */
export function progressBar(current: number, total?: number): string {
  if (!total || total <= 0) return humanSize(current);
  const filled = Math.min(50, Math.floor((current / total) * 50));
  const bar = filled >= 50 ? '='.repeat(50) : `${'='.repeat(filled)}>${' '.repeat(49 - filled)}`;
  return `[${bar}] ${humanSize(current).padStart(8)}/${humanSize(total)}`;
}
