/**
 * `berth container health-monitor ARGS_JSON` (hidden): the healthcheck monitor a container's
 * start spawns (engine/containers/health.ts); it runs until the container's process is gone.
 */
import type { Command } from 'commander';
import { loadHealthMonitor, type MonitorArgs } from '../engine/index.js';

export function define(cmd: Command): void {
  cmd.argument('<args>').action(async (json: string) => {
    const a = JSON.parse(json) as MonitorArgs;
    if (!a || typeof a.id !== 'string' || !Array.isArray(a.argv) || !(a.pid > 0)) throw new Error('health-monitor: bad arguments');
    const { runHealthMonitor } = await loadHealthMonitor();
    await runHealthMonitor(a);
  });
}
