/** The terminal as a ProcessIO, and docker's rule for when stdin is attached. */
import type { ProcessIO } from '../engine/api.js';

export function terminalIO(): ProcessIO {
  return { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr };
}

/** `-t` needs a terminal on stdin, as docker says. */
export function checkTty(tty: boolean, interactive: boolean): void {
  if (tty && interactive && !process.stdin.isTTY) throw new Error('the input device is not a TTY');
}
