/**
 * The one mapping from a failure to what the user sees and the exit code, docker's way:
 *
 * - a bad flag (unknown, missing its value, a value of the wrong type) or a bad global flag:
 *   `berth: MESSAGE` + `See 'berth CMD --help'.`, exit 125;
 * - a wrong number of arguments: the same two lines, exit 1 (docker exits 1 for these too);
 * - an engine error: `Error: MESSAGE`, exit 1, or the command's own failure code (125 for run,
 *   create, exec and start -a, where 126/127 say the container's command cannot be invoked / was
 *   not found);
 * - a --format template that fails: docker's text alone, exit 64 (inspect parse) or 1;
 * - any other error: `Error: MESSAGE` and the command's failure code.
 *
 * No commander import: main.ts maps its global-flag errors here before commander is loaded.
 */
import { EngineError } from '../engine/index.js';
import { debugEnabled } from '../engine/index.js';
import { FormatFailure } from './format/failure.js';

/** A failure with its exit code and message, as docker's cli.StatusError. */
export class StatusError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
    /** Add "See 'berth CMD --help'." (usage mistakes). */
    readonly seeHelp = false,
  ) {
    super(message);
    this.name = 'StatusError';
  }
}

/** A bad flag or flag value: exit 125, as docker's flag errors. */
export class UsageError extends StatusError {
  constructor(message: string) {
    super(message, 125, true);
    this.name = 'UsageError';
  }
}

/** Thrown by a command to exit with a code without printing (e.g. `wait`, `run`'s exit status). */
export class ExitStatus extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

export interface ErrorSite {
  /** The command as the user typed it ("ps", "container ls"); none for global flags. */
  command?: string;
  /** docker's exit code for this command's failures: 1, or 125 for run/create/exec/start -a. */
  failureExit: number;
}

/** Exit code of an engine error for a command whose failures exit `failureExit`. */
export function engineExit(e: EngineError, failureExit: number): number {
  if (failureExit !== 125) return failureExit;
  if (e.kind === 'cmd-not-found') return 127;
  if (e.kind === 'cmd-not-executable') return 126;
  return 125;
}

/** Prints `e` the way docker would and returns the exit code. */
export function reportError(e: unknown, site: ErrorSite, stderr: { write(s: string): unknown } = process.stderr): number {
  if (e instanceof ExitStatus) return e.code;
  // a template failure: docker's own text ("template parsing error: …") and exit code
  if (e instanceof FormatFailure) {
    stderr.write(`${e.message}\n`);
    return e.exitCode;
  }
  const debug = debugEnabled() || !!process.env.BERTH_DEBUG;
  if (e instanceof StatusError) {
    const help = site.command ? `berth ${site.command} --help` : 'berth --help';
    stderr.write(`berth: ${e.message}${e.seeHelp ? `\nSee '${help}'.` : ''}\n`);
    return e.exitCode;
  }
  if (e instanceof EngineError) {
    stderr.write(`Error: ${e.message}\n`);
    if (debug && e.cause) stderr.write(`${String((e.cause as Error).stack ?? e.cause)}\n`);
    return engineExit(e, site.failureExit);
  }
  const err = e as NodeJS.ErrnoException | undefined;
  if (err?.code === 'ENOENT' && err.path) stderr.write(`Error: ${err.path}: no such file or directory\n`);
  else stderr.write(`Error: ${err?.message ?? String(e)}\n`);
  if (debug && err?.stack) stderr.write(`${err.stack}\n`);
  return site.failureExit;
}
