/**
 * Write-ahead for removing a network. Its row goes in one transaction and its host side (bridge,
 * leases, iptables rules, marks) after it, outside: a berth killed in between would leave host
 * objects no row names any more, which neither `network ls` nor `network rm` could reach. So the
 * record is written here first, named with our pid (as staging dirs are), and removed once the
 * host side is gone. `finishRemovals` completes what dead processes left: the host side when
 * the row is gone, nothing when it is still there (the removal never committed).
 *
 * Kept in the runroot: bridges and rules do not survive a reboot, and neither does the runroot.
 */
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NetworkRecord } from '../../net/index.js';
import { alive } from '../process-alive.js';

export const removalsDir = (runRoot: string) => join(runRoot, 'net', 'removing');

/** Records that `rec` is being removed by this process; returns the note's path. */
export function noteRemoval(runRoot: string, rec: NetworkRecord): string {
  const dir = removalsDir(runRoot);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, `${process.pid}-${rec.id}.json`);
  writeFileSync(`${file}.tmp`, JSON.stringify(rec), { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
  return file;
}

export function clearRemoval(file: string): void {
  rmSync(file, { force: true });
}

/** The note's record, or undefined when it is not one we wrote (then it is only dropped). */
function parseNote(text: string, id: string): NetworkRecord | undefined {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return undefined;
  }
  const r = v as Partial<NetworkRecord> | null;
  if (!r || typeof r !== 'object' || r.id !== id) return undefined;
  if (r.driver !== 'bridge' && r.driver !== 'macvlan') return undefined;
  if (typeof r.device !== 'string' || !/^[a-zA-Z0-9_.-]{1,15}$/.test(r.device)) return undefined;
  if (typeof r.subnet !== 'string' || typeof r.name !== 'string') return undefined;
  return r as NetworkRecord;
}

export interface RemovalDeps {
  /** Whether a network row with this id exists. */
  rowExists(id: string): boolean;
  /** Whether a network that exists now uses this bridge device (a name taken over since). */
  deviceInUse(device: string): boolean;
  removeHost(rec: NetworkRecord, opts: { keepDevice: boolean }): Promise<void>;
}

/**
 * Finishes the removals of processes that died half-way. Returns how many networks' host sides
 * were removed. A note whose removal fails stays for the next command to try again.
 */
export async function finishRemovals(runRoot: string, deps: RemovalDeps): Promise<number> {
  const dir = removalsDir(runRoot);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return 0; // nothing was ever removed here
  }
  let n = 0;
  for (const name of names) {
    const m = /^(\d+)-([0-9a-f]{64})\.json(\.tmp)?$/.exec(name);
    const file = join(dir, name);
    if (!m) continue;
    const pid = Number(m[1]);
    if (pid === process.pid || alive(pid)) continue; // a removal in progress
    if (m[3]) {
      clearRemoval(file); // died while writing the note: before the row was touched
      continue;
    }
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue; // another process finished it meanwhile
    }
    const rec = parseNote(text, m[2]!);
    if (rec && !deps.rowExists(rec.id)) {
      await deps.removeHost(rec, { keepDevice: rec.driver === 'bridge' && deps.deviceInUse(rec.device) });
      n++;
    }
    clearRemoval(file);
  }
  return n;
}
