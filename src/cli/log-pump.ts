/**
 * The log writer beside conmon (argv: FIFO FORMAT PATH MAX_SIZE MAX_FILE DONE_FILE): copies the
 * container's output from conmon's FIFO into its log files (runtime/log-writer.ts) until the
 * container is gone, then writes DONE_FILE so that readers waiting for the last lines know
 * there are no more. Its own entry point: it lives as long as the container and loads nothing
 * else of berth.
 */
import { writeFileSync } from 'node:fs';
import { pumpLog } from '../engine/runtime/log-writer.js';

async function main(): Promise<void> {
  const [fifo, format, path, maxSize, maxFile, done] = process.argv.slice(2);
  if (!fifo || (format !== 'k8s-file' && format !== 'json-file') || !path || !done) {
    throw new Error('usage: log-pump FIFO k8s-file|json-file PATH MAX_SIZE MAX_FILE DONE_FILE');
  }
  let error = '';
  try {
    await pumpLog(fifo, { path, format, maxSize: Number(maxSize) || 0, maxFile: Math.max(1, Number(maxFile) || 1) });
  } catch (e) {
    error = (e as Error).message;
  }
  writeFileSync(done, error);
}

main().catch((e: unknown) => {
  process.stderr.write(`berth log writer: ${(e as Error).message}\n`);
  process.exitCode = 1;
});
