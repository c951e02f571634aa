/**
 * The healthcheck monitor's entry (argv: `{"root":…,"runRoot":…}`; engine/containers/health.ts
 * starts one per state root while a container with a healthcheck runs): runs every container's
 * probes until the last job ended. Its own entry point, as the log writer's: it loads the
 * monitor's loop and what that needs (the journal, for health_status events) and nothing else of
 * berth — not the CLI, commander or the engine.
 */
import { runHealthMonitor, type HealthMonitorArgs } from '../engine/containers/health-monitor.js';

/** The arguments health.ts wrote, checked once here. */
function parseArgs(json: string | undefined): HealthMonitorArgs {
  let a: Partial<HealthMonitorArgs> | null = null;
  try {
    a = JSON.parse(json ?? 'null') as Partial<HealthMonitorArgs> | null;
  } catch {
    /* reported below */
  }
  if (!a || typeof a.root !== 'string' || typeof a.runRoot !== 'string' || !a.root.startsWith('/') || !a.runRoot.startsWith('/')) {
    throw new Error('usage: health-monitor {"root":STATE_ROOT,"runRoot":RUNROOT} (the arguments engine/containers/health.ts writes)');
  }
  return { root: a.root, runRoot: a.runRoot };
}

try {
  runHealthMonitor(parseArgs(process.argv[2]));
} catch (e) {
  process.stderr.write(`berth health monitor: ${(e as Error).message}\n`);
  process.exitCode = 1;
}
