/**
 * V8 settings for the dashboard process, a long-running screen that allocates little per tick.
 * Measured with 50 busy containers at 80x24 on the fake engine (bench/ `dashboard`):
 *
 * - `--semi-space-growth-factor=1`: the young generation stays at V8's initial size. V8 grows it
 *   under the allocation bursts of start-up and of steady passes, to 16 MB here, memory then held
 *   for good: RSS −8 MB.
 * - `--max-opt=2`: no TurboFan (Node 22 leaves Maglev off, so hot code stays at the Sparkplug
 *   baseline). TurboFan's compile jobs run on V8's worker threads, whose malloc arenas kept
 *   8–19 MB after them (the run-to-run spread of RSS); without it they keep ~2 MB and the
 *   node binary's optimizing-compiler pages stay untouched: RSS −12 MB. CPU per tick is the same
 *   (≈5.5 ms; the compile jobs cost about what they saved, and most of a tick is Yoga's
 *   WebAssembly, which still tiers up, and native string work).
 *
 * Together RSS 104 → 83 MB. V8 reads both flags when it would grow the space or pick a tier, so
 * setting them at run time takes effect (a flag read once at start, like --max-semi-space-size,
 * would need node's command line). Set before Ink and React load, from the dashboard's one
 * start-up place (installInkPatches); other commands are left as they are.
 */
import { setFlagsFromString } from 'node:v8';

export const DASHBOARD_V8_FLAGS = ['--semi-space-growth-factor=1', '--max-opt=2'] as const;

let done = false;

export function applyDashboardV8Flags(): void {
  if (done) return;
  done = true;
  for (const f of DASHBOARD_V8_FLAGS) setFlagsFromString(f);
}
