/**
 * V8 settings for the dashboard process, a long-running screen that allocates little per tick.
 * Measured with 50 busy containers at 80x24 on the fake engine (bench/ `dashboard`, RSS ≈104 MB
 * before, the spread from run to run ±4 MB):
 *
 * - `--semi-space-growth-factor=1`: the young generation stays at V8's initial size. V8 grows it
 *   under the allocation bursts of start-up and of steady passes, to 16 MB here, memory then held
 *   for good: RSS ≈ −9 MB.
 * - `--no-turbo-inlining`: TurboFan still optimises hot functions, without inlining their
 *   callees. Its compile jobs run on V8's worker threads, and the glibc malloc arenas of those
 *   threads kept 8–19 MB of compile memory after them (most of the spread of RSS); without
 *   inlining the jobs are small and the arenas keep 5–10 MB: RSS ≈ −5 MB, CPU per tick no higher
 *   (≈7 ms on the loaded machine, against ≈7.5–8.5 in the same runs without it). Rejected:
 *   `--max-opt=2` (no TurboFan at all: RSS −20 MB, but hot JavaScript ran 30× slower, and the
 *   real engine's dashboard spent more CPU per second).
 *
 * V8 reads both flags when it would grow the space or inline a call, so setting them at run
 * time takes effect (a flag read once at start, like --max-semi-space-size, would need node's
 * command line). Set before Ink and React load, from the dashboard's one start-up place
 * (installInkPatches); other commands are left as they are.
 */
import { setFlagsFromString } from 'node:v8';

export const DASHBOARD_V8_FLAGS = ['--semi-space-growth-factor=1', '--no-turbo-inlining'] as const;

let done = false;

export function applyDashboardV8Flags(): void {
  if (done) return;
  done = true;
  for (const f of DASHBOARD_V8_FLAGS) setFlagsFromString(f);
}
