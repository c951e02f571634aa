/**
 * Where berth's own files are, from the code that is running: tsc's output (dist/src/engine/)
 * or the bundle scripts/bundle.mjs makes for bin/berth (every chunk in dist/bundle/, built with
 * BERTH_BUNDLED defined). Only this module needs to know which.
 */
declare const BERTH_BUNDLED: boolean | undefined;
const bundled = typeof BERTH_BUNDLED !== 'undefined' && BERTH_BUNDLED;

/** The package root (where package.json is). */
export const packageRoot = new URL(bundled ? '../../' : '../../../', import.meta.url);

/** The entry conmon runs as a container's exit command (src/cli/exit-hook.ts). */
export const exitHookPath = new URL(bundled ? './exit-hook.js' : '../cli/exit-hook.js', import.meta.url).pathname;

/** The log writer's entry, run beside conmon for json-file and rotated logs (src/cli/log-pump.ts). */
export const logPumpPath = new URL(bundled ? './log-pump.js' : '../cli/log-pump.js', import.meta.url).pathname;

/** The healthcheck monitor's entry, one per state root while a container has a healthcheck (src/cli/health-monitor.ts). */
export const healthMonitorPath = new URL(bundled ? './health-monitor.js' : '../cli/health-monitor.js', import.meta.url).pathname;
