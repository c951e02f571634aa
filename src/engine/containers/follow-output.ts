/**
 * A foreground `run` without a terminal and without stdin needs only the container's output and
 * its exit code. Both are already on disk (conmon's k8s-file log and exit file), so it follows
 * those (in whichever format its log driver writes) instead of connecting to conmon's attach socket: no native socket module to load
 * (15–90 ms per run here) and no ordering between attach and `runc start` to get right, since
 * the log holds everything from the first byte.
 */
import type { Writable } from 'node:stream';
import type { ProcessIO } from '../api.js';
import { readLogs } from '../runtime/logs.js';
import { waitExitFile } from '../runtime/exit-file.js';
import type { LogSource } from './log-source.js';

export async function followOutput(src: LogSource, exitFile: string, io: ProcessIO): Promise<number> {
  const exited = waitExitFile(exitFile);
  // with a log writer the last lines may land just after the exit: `done` waits for it
  for await (const line of readLogs(src.path, { follow: true, done: src.done, wake: exited, format: src.format, rotated: src.rotated })) {
    const out = line.stream === 'stderr' ? io.stderr : io.stdout;
    if (!write(out, line.complete ? `${line.text}\n` : line.text)) await drained(out);
  }
  return exited;
}

const write = (w: Writable, s: string): boolean => w.write(s);
const drained = (w: Writable): Promise<void> => new Promise((r) => w.once('drain', r));
