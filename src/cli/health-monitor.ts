/**
 * The healthcheck monitor's entry (argv: ARGS_JSON, engine/containers/health.ts starts it with
 * each container that has a healthcheck): runs the probes until the container's process is gone.
 * Its own entry point, as the log writer's: it lives as long as the container, so it loads the
 * monitor's loop and what that needs (the journal, for health_status events) and nothing else
 * of berth — not the CLI, commander or the engine.
 */
import { runHealthMonitor } from '../engine/containers/health-monitor.js';
import type { MonitorArgs } from '../engine/index.js';

/** The arguments health.ts wrote, checked once here. */
function parseArgs(json: string | undefined): MonitorArgs {
  const a = JSON.parse(json ?? 'null') as Partial<MonitorArgs> | null;
  const num = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v >= 0;
  if (
    !a ||
    typeof a.id !== 'string' ||
    typeof a.dir !== 'string' ||
    typeof a.db !== 'string' ||
    typeof a.runtime !== 'string' ||
    typeof a.runtimeRoot !== 'string' ||
    !Array.isArray(a.argv) ||
    !a.argv.every((s) => typeof s === 'string') ||
    !(Number.isInteger(a.pid) && a.pid! > 0) ||
    ![a.startedAt, a.intervalMs, a.timeoutMs, a.startPeriodMs, a.retries].every(num)
  ) {
    throw new Error('usage: health-monitor ARGS_JSON (the monitor arguments engine/containers/health.ts writes)');
  }
  return a as MonitorArgs;
}

runHealthMonitor(parseArgs(process.argv[2])).catch((e: unknown) => {
  process.stderr.write(`berth health monitor: ${(e as Error).message}\n`);
  process.exitCode = 1;
});
