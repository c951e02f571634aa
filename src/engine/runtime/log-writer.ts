/**
 * The log writer: reads the k8s-file records conmon writes into a FIFO and appends them to the
 * container's log in its driver's format (k8s-file as is, json-file as docker's objects),
 * rotating as docker's json-file does: when the file has reached max-size, PATH.N-1 … PATH.1
 * move up one, PATH becomes PATH.1 and a new PATH starts; with max-file 1 the file starts
 * over. It runs beside conmon for the container's life (log-pump.ts is its entry) and ends
 * when conmon closes the FIFO.
 */
import { closeSync, createReadStream, fstatSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { parseK8sLine } from './k8s-file.js';
import { jsonLogLine } from './json-file.js';

export interface WriterOptions {
  path: string;
  format: 'k8s-file' | 'json-file';
  /** 0: never rotate. */
  maxSize: number;
  maxFile: number;
}

export class RotatingLog {
  private fd: number;
  private size: number;

  constructor(private readonly o: WriterOptions) {
    this.fd = openSync(o.path, 'a', 0o600);
    this.size = fstatSync(this.fd).size;
  }

  /** Appends one conmon record (a k8s-file line without its newline). */
  write(k8sLine: string): void {
    let out: string;
    if (this.o.format === 'k8s-file') {
      out = `${k8sLine}\n`;
    } else {
      const r = parseK8sLine(k8sLine);
      if (!r) return; // conmon writes only records; anything else is not output
      out = jsonLogLine(r);
    }
    if (this.o.maxSize > 0 && this.size >= this.o.maxSize) this.rotate();
    const buf = Buffer.from(out);
    writeSync(this.fd, buf);
    this.size += buf.length;
  }

  private rotate(): void {
    closeSync(this.fd);
    const { path, maxFile } = this.o;
    if (maxFile > 1) {
      rmSync(`${path}.${maxFile - 1}`, { force: true });
      for (let i = maxFile - 2; i >= 1; i--) {
        try {
          renameSync(`${path}.${i}`, `${path}.${i + 1}`);
        } catch {
          // not there yet
        }
      }
      renameSync(path, `${path}.1`);
      this.fd = openSync(path, 'a', 0o600);
    } else {
      this.fd = openSync(path, 'w', 0o600);
    }
    this.size = 0;
  }

  close(): void {
    closeSync(this.fd);
  }
}

/** Copies the FIFO's records into the log until conmon closes it. */
export function pumpLog(fifo: string, o: WriterOptions): Promise<void> {
  const log = new RotatingLog(o);
  return new Promise((resolve, reject) => {
    let rest = '';
    const input = createReadStream(fifo, { encoding: 'utf8', highWaterMark: 64 * 1024 });
    input.on('data', (chunk: string | Buffer) => {
      const text = rest + String(chunk);
      const lines = text.split('\n');
      rest = lines.pop() ?? '';
      for (const l of lines) log.write(l);
    });
    input.on('error', (e) => {
      log.close();
      reject(e);
    });
    input.on('end', () => {
      if (rest) log.write(rest);
      log.close();
      resolve();
    });
  });
}
