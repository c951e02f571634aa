/**
 * Crash debris: what a berth process killed half-way can leave on the host, found by comparing
 * the host with the state database and removed (`system prune`, `system reset`). Only things
 * that carry this state root's paths or a container id unknown here are touched, and cgroups
 * only when empty (another state root's running container keeps its processes in them).
 */
import { readdirSync, readFileSync } from 'node:fs';

import { listContainerCgroups, removeContainerCgroup, type CgroupLayout } from '../cgroups/index.js';
import type { EnginePaths } from './paths.js';
import type { Runc } from './runtime/runc.js';

/** conmon processes started for this state root (their --exit-dir is ours). */
function ourConmons(paths: EnginePaths): { pid: number; id: string }[] {
  const out: { pid: number; id: string }[] = [];
  for (const p of readdirSync('/proc')) {
    if (!/^\d+$/.test(p)) continue;
    let argv: string[];
    try {
      argv = readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0');
    } catch {
      continue;
    }
    if (!/(^|\/)conmon$/.test(argv[0] ?? '')) continue;
    const exitDir = argv[argv.indexOf('--exit-dir') + 1];
    const id = argv[argv.indexOf('-c') + 1];
    if (exitDir === paths.exits && id) out.push({ pid: Number(p), id });
  }
  return out;
}

export interface DebrisReport {
  conmons: number;
  runtimeStates: number;
  cgroups: number;
}

/** Removes monitors, runtime states and empty cgroups of containers that are not running here. */
export async function removeDebris(o: { paths: EnginePaths; layout: CgroupLayout; runc: Runc; runningIds: Set<string> }): Promise<DebrisReport> {
  const report: DebrisReport = { conmons: 0, runtimeStates: 0, cgroups: 0 };
  for (const c of ourConmons(o.paths)) {
    if (o.runningIds.has(c.id)) continue;
    await o.runc.kill(c.id, 'SIGKILL', { all: true }).catch(() => undefined);
    try {
      process.kill(c.pid, 'SIGKILL');
      report.conmons++;
    } catch {
      /* gone */
    }
  }
  // runc states of ours that no running container owns
  let states: string[] = [];
  try {
    states = readdirSync(o.paths.runc);
  } catch {
    /* no runc root yet */
  }
  for (const id of states) {
    if (o.runningIds.has(id)) continue;
    await o.runc.delete(id, { force: true }).then(
      () => report.runtimeStates++,
      () => undefined,
    );
  }
  for (const { id, cgroupsPath } of listContainerCgroups(o.layout)) {
    if (!/^[a-f0-9]{64}$/.test(id) || o.runningIds.has(id)) continue;
    // Another state root's container may own it: removal only succeeds on an empty cgroup.
    const r = removeContainerCgroup(o.layout, cgroupsPath);
    if (r.removed.length && !r.busy.length) report.cgroups++;
  }
  return report;
}
