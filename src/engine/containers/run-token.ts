/**
 * One token per run of a container. conmon's exit command is spawned after the container
 * exited and runs on its own, possibly while the same container is already being started
 * again (`restart`, `stop` + `start`, a restart policy): without a way to tell runs apart, that
 * late cleanup unmounted the new run's root filesystem under it ("exec: sleep: not found").
 * The exit command carries its run's token and does nothing when the token is no longer
 * current; the token changes, and cleanups run, under the container's lock (lifecycle.ts).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync, renameSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { ContainerContext } from './context.js';
import { processStart as procStart } from '../process-alive.js';

function read(path: string): string {
  // Usually absent: a thrown ENOENT (with its stack) per container per listing added up.
  if (!existsSync(path)) return '';
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return '';
  }
}

function writeAtomic(path: string, text: string): void {
  writeFileSync(`${path}.tmp`, text);
  renameSync(`${path}.tmp`, path);
}

export function currentRunToken(ctx: ContainerContext, id: string): string {
  return read(ctx.runTokenFile(id));
}

/** Starts a new run: a fresh token, written before anything of the run exists. */
export function newRunToken(ctx: ContainerContext, id: string): string {
  const t = randomBytes(8).toString('hex');
  writeAtomic(ctx.runTokenFile(id), t);
  return t;
}

/** This process's identity, robust to pid reuse: pid plus its start time in clock ticks. */
function selfIdentity(): string {
  return `${process.pid} ${procStart(process.pid)}`;
}

/**
 * A start in progress in this process. `sync` (run by every listing, in any berth process)
 * undoes a start that died half-way; it must leave alone one that is merely still running.
 */
export function claimStart(ctx: ContainerContext, id: string): void {
  writeAtomic(startingFile(ctx, id), selfIdentity());
}

export function releaseStart(ctx: ContainerContext, id: string): void {
  try {
    unlinkSync(startingFile(ctx, id));
  } catch {
    /* not claimed */
  }
}

/** Whether a live process is starting the container right now. */
export function startInFlight(ctx: ContainerContext, id: string): boolean {
  const [pid, start] = read(startingFile(ctx, id)).split(' ');
  if (!pid || !start) return false;
  return procStart(Number(pid)) === start;
}

/** Waits (bounded) until no live process is starting the container. */
export async function awaitStartInFlight(ctx: ContainerContext, id: string, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (startInFlight(ctx, id) && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
}

function startingFile(ctx: ContainerContext, id: string): string {
  return ctx.startingFile(id);
}

/**
 * `commit` freezes the container while it reads the upper dir. A commit killed meanwhile would
 * leave it frozen while its row says running: the claim lets `sync` thaw it.
 */
export function claimPause(ctx: ContainerContext, id: string): void {
  writeAtomic(ctx.pauseClaimFile(id), selfIdentity());
}

export function releasePause(ctx: ContainerContext, id: string): void {
  try {
    unlinkSync(ctx.pauseClaimFile(id));
  } catch {
    /* not claimed */
  }
}

/** A pause claimed by a process that is gone. */
export function orphanedPause(ctx: ContainerContext, id: string): boolean {
  const claim = read(ctx.pauseClaimFile(id));
  if (!claim) return false;
  const [pid, start] = claim.split(' ');
  return procStart(Number(pid)) !== start;
}

/**
 * A foreground `run --rm` (or `start -a` of one) reads the output and the exit code after the
 * container exited; conmon's exit command, or any listing's `sync`, removing the container then
 * would delete the log and the exit file under it (output lost on a loaded machine). While the
 * claiming process lives, removal is left to it; once it is gone, `sync` removes.
 */
export function claimForeground(ctx: ContainerContext, id: string): void {
  writeAtomic(ctx.foregroundFile(id), selfIdentity());
}

export function releaseForeground(ctx: ContainerContext, id: string): void {
  try {
    unlinkSync(ctx.foregroundFile(id));
  } catch {
    /* not claimed */
  }
}

/** 'live' while the claiming process runs, 'orphaned' once it is gone, 'none' unclaimed. */
export function foregroundClaim(ctx: ContainerContext, id: string): 'none' | 'live' | 'orphaned' {
  const claim = read(ctx.foregroundFile(id));
  if (!claim) return 'none';
  const [pid, start] = claim.split(' ');
  return procStart(Number(pid)) === start ? 'live' : 'orphaned';
}
