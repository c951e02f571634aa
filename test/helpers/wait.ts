/**
 * Waiting for a condition instead of sleeping a fixed time: on a loaded 2-core machine any fixed
 * pause is sometimes too short. Deadlines are generous; they only bound a test that would hang.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/** Polls `pred` (sync or async) until it holds; fails naming `what` after `ms`. */
export async function waitFor(what: string, pred: () => boolean | Promise<boolean>, ms = 30_000, stepMs = 20): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    if (await pred()) return;
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(stepMs);
  }
}

/** Polls `fn` until it returns without throwing; its value, or its last error after `ms`. */
export async function eventually<T>(what: string, fn: () => T | Promise<T>, ms = 30_000, stepMs = 50): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    try {
      return await fn();
    } catch (e) {
      if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}: ${(e as Error).message}`, { cause: e });
    }
    await sleep(stepMs);
  }
}

/**
 * Whether process `pid` has a handler for signal number `sig` (SigCgt in /proc/PID/status). A
 * container's PID 1 ignores a signal it has no handler for: a test that signals a shell's `trap`
 * waits for this first, not for a fixed time. `runc start` returns before runc's init has exec'd the
 * command, and that Go process catches every signal: its SigCgt says nothing about the command's
 * trap, and a signal it takes is lost (found as a CI hang), so a process still named runc does not count.
 */
export function catchesSignal(pid: number, sig: number): boolean {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    if (/^Name:\s*runc/m.test(status)) return false;
    const m = /^SigCgt:\s*([0-9a-f]+)$/m.exec(status);
    return !!m && (BigInt(`0x${m[1]}`) & (1n << BigInt(sig - 1))) !== 0n;
  } catch {
    return false; // gone
  }
}

/** Pids of the processes whose command line (NULs as spaces) contains `text`, this one left out. */
export function processesWith(text: string): number[] {
  const out: number[] = [];
  for (const p of readdirSync('/proc')) {
    if (!/^\d+$/.test(p) || Number(p) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${p}/cmdline`, 'utf8').replaceAll('\0', ' ').includes(text)) out.push(Number(p));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}
