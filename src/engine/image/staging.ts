/**
 * A staging directory for one store operation. Everything an operation writes lands here first
 * (named with our pid so a crashed operation's debris is recognisable) and is renamed into the
 * store only inside the database's write transaction; `sweepStaging` removes what dead
 * processes left behind.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, createWriteStream, writeFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { HashingStream, sha256 } from './digest.js';
import { alive } from '../process-alive.js';

export class Staging {
  readonly dir: string;
  private n = 0;
  constructor(tmpRoot: string) {
    mkdirSync(tmpRoot, { recursive: true, mode: 0o700 });
    this.dir = mkdtempSync(join(tmpRoot, `${process.pid}-`));
  }
  file(name = `f${this.n++}`): string {
    return join(this.dir, name);
  }
  /** Writes a blob; returns its digest, size and staged file. */
  writeBlob(data: Buffer): { digest: string; size: number; file: string } {
    const file = this.file();
    writeFileSync(file, data);
    return { digest: sha256(data), size: data.length, file };
  }
  async writeBlobStream(src: Readable): Promise<{ digest: string; size: number; file: string }> {
    const file = this.file();
    const h = new HashingStream();
    await pipeline(src, h, createWriteStream(file));
    return { digest: h.digest(), size: h.bytes, file };
  }
  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Removes staging dirs whose owning process is gone. Returns how many. */
export function sweepStaging(tmpRoot: string): number {
  let n = 0;
  let entries: string[] = [];
  try {
    entries = readdirSync(tmpRoot);
  } catch {
    return 0;
  }
  for (const e of entries) {
    const pid = Number(e.split('-')[0]);
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && !alive(pid)) {
      rmSync(join(tmpRoot, e), { recursive: true, force: true });
      n++;
    }
  }
  return n;
}

export function renameIfAbsent(from: string, to: string, exists: boolean): void {
  if (exists) rmSync(from, { recursive: true, force: true });
  else renameSync(from, to);
}
