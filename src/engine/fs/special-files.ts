/**
 * FIFOs, device nodes and overlay whiteouts (0/0 character devices). Node cannot mknod, so
 * they are made by coreutils' mknod, many per spawn; the caller sets owners, modes, xattrs and
 * times afterwards like any other file.
 */
import { execFileSync } from 'node:child_process';
import { runtimeError } from '../errors.js';
import { isUtf8Path, textPath } from '../tar/bytes-path.js';

export interface SpecialFile {
  /** Byte-string path (see tar/bytes-path.ts), already known to be safe. */
  path: string;
  kind: 'fifo' | 'char' | 'block';
  major: number;
  minor: number;
}

// Arguments per spawn: well under the kernel's limit on the argument list.
const BATCH = 400;

/** Creates each special file (the path must not exist). */
export function makeSpecialFiles(files: SpecialFile[]): void {
  for (let i = 0; i < files.length; i += BATCH) {
    const args: string[] = [];
    for (const f of files.slice(i, i + BATCH)) {
      // spawn arguments are UTF-8 text: a name that is not cannot be passed through
      if (!isUtf8Path(f.path)) throw runtimeError(`cannot create ${f.kind} ${textPath(f.path)}: its name is not UTF-8`);
      args.push(f.kind === 'fifo' ? 'p' : f.kind === 'char' ? 'c' : 'b', String(f.major), String(f.minor), textPath(f.path));
    }
    try {
      execFileSync(
        'sh',
        [
          '-c',
          'while [ $# -gt 0 ]; do if [ "$1" = p ]; then mknod -m 0600 -- "$4" p; else mknod -m 0600 -- "$4" "$1" "$2" "$3"; fi || exit 1; shift 4; done',
          'sh',
          ...args,
        ],
        { stdio: ['ignore', 'ignore', 'pipe'] },
      );
    } catch (e) {
      const msg = (e as { stderr?: Buffer }).stderr?.toString().trim() || String(e);
      const hint = /Operation not permitted/.test(msg) ? ' (device nodes need root with CAP_MKNOD)' : '';
      throw runtimeError(`cannot create special files: ${msg}${hint}`, e);
    }
  }
}
