/**
 * Turns the OCI runtime's error text into EngineErrors. runc reports through JSON log lines
 * (`--log-format json`) on stderr or in its `--log` file; the message of the last error line is
 * the reason. A missing or non-executable command becomes docker's 127/126 kinds, so
 * `berth run img nosuch` exits like `docker run` does.
 */
import { EngineError, notFound, conflict, runtimeError } from '../errors.js';

/** The last error message from runc JSON log text (plain text lines are taken as they are). */
export function lastRuntimeError(text: string): string {
  let last = '';
  for (const line of text.split('\n')) {
    const t = line.trim();
    if (!t) continue;
    if (t.startsWith('{')) {
      try {
        const j = JSON.parse(t) as { level?: unknown; msg?: unknown };
        if (typeof j.msg === 'string' && (j.level === 'error' || j.level === 'fatal')) last = j.msg;
        continue;
      } catch {
        // not JSON after all: fall through and keep the raw line
      }
    }
    last = t;
  }
  return last;
}

/** Classifies a runc failure message for container `id`. */
export function classifyRuntimeError(msg: string, id: string, what: string): EngineError {
  const m = msg || `${what} failed`;
  // runc: `exec: "nosuch": executable file not found in $PATH`, `exec: "/x": stat /x: no such
  // file or directory`, `exec: "/etc": permission denied`; after start: `exec /x: …`.
  // Only messages about the exec itself: a mount's "no such file" is not the command's fault.
  const execFailure = EXEC_FAILURE.exec(m);
  if (execFailure && /executable file not found|no such file or directory/i.test(execFailure[1]!)) {
    return new EngineError('cmd-not-found', m.slice(execFailure.index));
  }
  if (execFailure && /permission denied|exec format error/i.test(execFailure[1]!)) {
    return new EngineError('cmd-not-executable', m.slice(execFailure.index));
  }
  if (/container does not exist|container ".*" does not exist/i.test(m)) return notFound(`no such container: ${id}`);
  if (/not running|not paused|is paused|container is stopped|cannot (kill|pause|resume)/i.test(m)) {
    return conflict(`container ${id}: ${m}`);
  }
  return runtimeError(`${what}: ${m}`);
}

/** `exec: "cmd": reason` / `exec /cmd: reason`, but not runc's own "exec failed: …" prefix. */
const EXEC_FAILURE = /\bexec:? "?(?!failed)[^"\s]*"?: (.*)$/;
