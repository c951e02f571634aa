/**
 * A file kept open and re-read from offset 0 on every pass. cgroupfs and procfs regenerate the
 * contents on each read at offset 0, so one open() per container instead of one per pass:
 * measured 0.82 ms per 50 containers against 2 ms with readFileSync. (libuv opens O_CLOEXEC.)
 */
import { closeSync, openSync, readSync, constants } from 'node:fs';

/** Errors meaning "this cgroup or process is gone" (rmdir'd cgroup files give ENODEV). */
export function isGone(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  return code === 'ENOENT' || code === 'ENODEV' || code === 'ESRCH';
}

export class PreadFile {
  private constructor(
    readonly path: string,
    private fd: number,
  ) {}

  /** Opens `path` read-only; null when it does not exist (an optional controller file). */
  static open(path: string): PreadFile | null {
    try {
      return new PreadFile(path, openSync(path, constants.O_RDONLY));
    } catch (e) {
      if (isGone(e)) return null;
      throw e;
    }
  }

  /**
   * Reads the whole file into `buf` and returns a view of the bytes read. Throws the read's
   * error (ENODEV once the cgroup is removed). A file larger than `buf` is cut: callers size the
   * buffer for the largest file they read.
   */
  read(buf: Buffer): Buffer {
    // seq_file (cgroupfs, procfs) fills the request until EOF, so one positional read gets the
    // whole file; no second read to confirm EOF (that would double the syscalls per pass).
    const n = readSync(this.fd, buf, 0, buf.length, 0);
    return buf.subarray(0, n);
  }

  close(): void {
    if (this.fd < 0) return;
    try {
      closeSync(this.fd);
    } catch {
      /* already closed: nothing to release */
    }
    this.fd = -1;
  }
}
