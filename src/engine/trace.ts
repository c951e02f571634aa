/**
 * `BERTH_TRACE=1`: elapsed milliseconds since the process started at named points, on stderr,
 * for finding where a command's time goes (start-up, locks, spawns) without a profiler.
 * Without it the same points are debug records (`berth -D …`).
 */
import { debug } from './log.js';

const on = !!process.env['BERTH_TRACE'];

export function trace(point: string): void {
  if (on) process.stderr.write(`[trace] ${performance.now().toFixed(1).padStart(8)} ms  ${point}\n`);
  else debug(point);
}
