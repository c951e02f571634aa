/**
 * `top`: the container's processes as the host's `ps` shows them, docker's way. runc lists the
 * host pids in the container's cgroup; `ps` runs on the host with the caller's arguments
 * (default -ef: UID PID PPID C STIME TTY TIME CMD) and only rows of those pids are kept.
 */
import type { TopResult } from '../api.js';
import { invalid, runtimeError } from '../errors.js';
import { runProc } from './proc.js';
import type { Runc } from './runc.js';

export async function top(runtime: Runc, id: string, psArgs: string[] = ['-ef']): Promise<TopResult> {
  for (const a of psArgs) if (typeof a !== 'string' || a.includes('\0')) throw invalid('invalid ps argument');
  const pids = await runtime.pids(id);
  const r = await runProc('ps', psArgs.length ? psArgs : ['-ef']);
  if (r.code !== 0) throw invalid(`ps ${psArgs.join(' ')} failed: ${r.stderr.trim() || `exit ${r.code}`}`);
  return filterPs(r.stdout, pids);
}

/** Keeps the header and the rows whose PID column is one of `pids`. */
export function filterPs(output: string, pids: number[]): TopResult {
  const lines = output.split('\n').filter((l) => l.trim() !== '');
  if (lines.length === 0) throw runtimeError('ps printed nothing');
  const titles = lines[0]!.trim().split(/\s+/);
  const pidCol = titles.indexOf('PID');
  if (pidCol < 0) throw invalid(`couldn't find PID field in ps output`);
  const want = new Set(pids);
  const processes: string[][] = [];
  for (const line of lines.slice(1)) {
    // The last column (CMD/COMMAND/ARGS) may contain spaces: split only as many fields as titles.
    const fields = splitFields(line.trim(), titles.length);
    const pid = Number(fields[pidCol]);
    if (want.has(pid)) processes.push(fields);
  }
  return { titles, processes };
}

function splitFields(line: string, n: number): string[] {
  const out: string[] = [];
  let rest = line;
  while (out.length < n - 1) {
    const m = /^(\S+)\s*/.exec(rest);
    if (!m) break;
    out.push(m[1]!);
    rest = rest.slice(m[0].length);
  }
  out.push(rest);
  return out;
}
