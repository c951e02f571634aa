/** The terminal as a ProcessIO, and docker's rule for when stdin is attached. */
import type { ProcessIO } from '../engine/api.js';
import { StatusError } from './exit-codes.js';

export function terminalIO(): ProcessIO {
  return { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr };
}

/** `-t` needs a terminal on stdin, as docker says (exit 1, also for run and exec, as docker's). */
export function checkTty(tty: boolean, interactive: boolean): void {
  if (tty && interactive && !process.stdin.isTTY) throw new StatusError('the input device is not a TTY', 1);
}
