import { readFileSync } from 'node:fs';

/** Whether a process with this PID exists (signal 0; EPERM still means it exists). */
export function alive(pid: number): boolean {
  if (pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * A process's start time in clock ticks (field 22 of /proc/PID/stat), '' when it is gone: with
 * the pid, an identity that a reused pid does not share.
 */
export function processStart(pid: number): string {
  try {
    // the command (field 2) may hold spaces and parentheses: count after its last ')'
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? '';
  } catch {
    return '';
  }
}

/** A process that is running or sleeping: a zombie has exited, whatever its parent does. */
export function liveProcess(pid: number): boolean {
  const s = processState(pid);
  return s !== 'gone' && !s.startsWith('Z');
}

/** The State line of /proc/PID/status ("S (sleeping)", "D (disk sleep)"), 'gone' without one. */
export function processState(pid: number): string {
  if (pid <= 0) return 'gone';
  try {
    return /^State:\s*(.+)$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 'gone';
  } catch {
    return 'gone';
  }
}
