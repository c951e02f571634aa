/** Opening a command's input: a file path, or "-" / absent for stdin (refusing a terminal). */
import { createReadStream, statSync } from 'node:fs';
import type { Readable } from 'node:stream';

export function openInput(path: string | undefined, what: string): Readable {
  if (path === undefined || path === '-') {
    if (process.stdin.isTTY) throw new Error(`requested ${what} from STDIN, but STDIN is a terminal; use -i FILE or a pipe`);
    return process.stdin;
  }
  const st = statSync(path, { throwIfNoEntry: false });
  if (!st) throw new Error(`open ${path}: no such file or directory`);
  if (!st.isFile()) throw new Error(`${path} is not a file`);
  return createReadStream(path);
}
