/**
 * Kill points for the crash tests, picked as the other kill tests pick them (network-crash,
 * container-crash): berth is started, the test watches what it can observe from outside (files
 * in the state root, the child processes berth runs, requests reaching a registry) and SIGKILLs
 * berth the moment the condition holds. Two ways to hold berth at a point on purpose, without
 * any hook in berth: keep the state database's write lock (berth waits in BEGIN IMMEDIATE) or
 * stall a registry response (stall-proxy.ts).
 */
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync, readlinkSync, statSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { BERTH, type Sandbox } from '../helpers/berth.js';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** argv of every descendant of `pid` (berth's helpers: ip, iptables, CNI plugins). */
export function descendants(pid: number): string[][] {
  const out: string[][] = [];
  const walk = (p: number) => {
    let tasks: string[] = [];
    try {
      tasks = readdirSync(`/proc/${p}/task`);
    } catch {
      return;
    }
    for (const t of tasks) {
      let kids: string[] = [];
      try {
        kids = readFileSync(`/proc/${p}/task/${t}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
      } catch {
        continue;
      }
      for (const k of kids) {
        try {
          out.push(readFileSync(`/proc/${k}/cmdline`, 'utf8').split('\0').filter(Boolean));
        } catch {
          continue; // exited meanwhile
        }
        walk(Number(k));
      }
    }
  };
  walk(pid);
  return out;
}

/** A predicate on berth's helper processes: some descendant's argv matches. */
export const runsChild = (match: (argv: string[]) => boolean) => (pid: number) => descendants(pid).some(match);
export const base = (argv: string[]) => (argv[0] ?? '').split('/').pop() ?? '';

/** berth has `file` open: e.g. a host lock it is taking or waiting for. */
export const opens =
  (file: string) =>
  (pid: number): boolean => {
    let fds: string[] = [];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      return false;
    }
    return fds.some((fd) => {
      try {
        return readlinkSync(`/proc/${pid}/fd/${fd}`) === file;
      } catch {
        return false;
      }
    });
  };

/** berth holds a POSIX lock on `file` (its host locks are SQLite's fcntl locks), per /proc/locks. */
export const holdsLock =
  (file: string) =>
  (pid: number): boolean => {
    let ino: number;
    try {
      ino = statSync(file).ino;
    } catch {
      return false;
    }
    return readFileSync('/proc/locks', 'utf8')
      .split('\n')
      .map((l) => l.replace('->', '').trim().split(/\s+/))
      .some((f) => f[1] === 'POSIX' && f[4] === String(pid) && (f[5] ?? '').endsWith(`:${ino}`));
  };

/** The host-wide CNI lock (src/net/paths.ts). */
export const CNI_LOCK = '/run/berth/cni.lock';

export interface KillOutcome {
  /** false: berth finished on its own before the condition held. */
  killed: boolean;
  afterMs: number;
  code: number | null;
}

/**
 * Runs `berth ARGS` and SIGKILLs it as soon as `when(pid)` holds, or after `maxMs` when the
 * condition never held (then `killed` still says whether it was running).
 */
export async function killWhen(
  sb: Sandbox,
  args: string[],
  when: (pid: number) => boolean,
  maxMs = 20_000,
  env: NodeJS.ProcessEnv = sb.env,
): Promise<KillOutcome> {
  const child = spawn(BERTH, args, { env, stdio: 'ignore' });
  const t0 = Date.now();
  let exited = false;
  let code: number | null = null;
  // listen from the start: the command may finish on its own before the kill
  const done = new Promise<void>((r) => child.on('exit', (c) => ((exited = true), (code = c), r())));
  const pid = child.pid!;
  while (!exited && Date.now() - t0 < maxMs && !when(pid)) await sleep(1);
  const afterMs = Date.now() - t0;
  const killed = !exited;
  // bin/berth execs node, so the pid is berth's own process
  if (killed) child.kill('SIGKILL');
  await done;
  return { killed, afterMs, code };
}

/**
 * Holds the state database's write lock while `fn` runs: berth's next write transaction waits
 * for it (its busy timeout is 30 s), so berth stands still at that transaction's door.
 */
export async function withDbWriteLock<T>(sb: Sandbox, fn: () => Promise<T>): Promise<T> {
  const db = new DatabaseSync(`${sb.root}/berth.db`, { timeout: 30_000 });
  try {
    db.exec('BEGIN IMMEDIATE');
    try {
      return await fn();
    } finally {
      db.exec('ROLLBACK');
    }
  } finally {
    db.close();
  }
}
