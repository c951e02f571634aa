/**
 * Crash debris: what a berth process killed half-way can leave on the host, found by comparing
 * the host with the state database and removed (`system prune`, `system reset`). Only things
 * that carry this state root's paths, or cgroups of container ids unknown here, are touched;
 * a container of this root only when it neither runs nor is being started (sweep-guard.ts).
 */
import { readdirSync, readFileSync } from 'node:fs';

import { cgroupAgeMs, listContainerCgroups, removeContainerCgroup, type CgroupLayout } from '../cgroups/index.js';
import type { EnginePaths } from './paths.js';
import type { Runc } from './runtime/runc.js';
import type { SweepGuard } from './containers/sweep-guard.js';

/**
 * How long a cgroup of another state root's container must have existed before an empty one
 * counts as debris. runc makes a container's cgroup, then moves its init in: in between the
 * cgroup is empty, and removing it fails that start ("openat2 …/cgroup.procs: no such file").
 * Another root's claims cannot be read from here; a minute is far beyond that window.
 */
const FOREIGN_CGROUP_MIN_AGE_MS = 60_000;

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
export async function removeDebris(o: { paths: EnginePaths; layout: CgroupLayout; runc: Runc; guard: SweepGuard }): Promise<DebrisReport> {
  const report: DebrisReport = { conmons: 0, runtimeStates: 0, cgroups: 0 };
  for (const c of ourConmons(o.paths)) {
    await o.guard.ifIdle(c.id, async () => {
      await o.runc.kill(c.id, 'SIGKILL', { all: true }).catch(() => undefined);
      try {
        process.kill(c.pid, 'SIGKILL');
        report.conmons++;
      } catch {
        /* gone */
      }
    });
  }
  // runc states of ours that no running container owns
  let states: string[] = [];
  try {
    states = readdirSync(o.paths.runc);
  } catch {
    /* no runc root yet */
  }
  for (const id of states) {
    await o.guard.ifIdle(id, () =>
      o.runc.delete(id, { force: true }).then(
        () => void report.runtimeStates++,
        () => undefined,
      ),
    );
  }
  const now = Date.now();
  for (const { id, cgroupsPath } of listContainerCgroups(o.layout)) {
    if (!/^[a-f0-9]{64}$/.test(id)) continue;
    // Another state root's container may own it: removal only succeeds on an empty cgroup, and
    // only of one old enough not to be a start in progress there.
    if (!o.guard.known(id) && cgroupAgeMs(o.layout, cgroupsPath, now) < FOREIGN_CGROUP_MIN_AGE_MS) continue;
    await o.guard.ifIdle(id, async () => {
      const r = removeContainerCgroup(o.layout, cgroupsPath);
      if (r.removed.length && !r.busy.length) report.cgroups++;
    });
  }
  return report;
}
