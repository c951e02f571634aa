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
  if (/executable file not found|no such file or directory/i.test(m) && /\bexec\b|starting container process|start container process/i.test(m)) {
    return new EngineError('cmd-not-found', commandMessage(m));
  }
  if (/permission denied/i.test(m) && /\bexec\b|starting container process|start container process/i.test(m)) {
    return new EngineError('cmd-not-executable', commandMessage(m));
  }
  if (/container does not exist|container ".*" does not exist/i.test(m)) return notFound(`no such container: ${id}`);
  if (/not running|not paused|is paused|container is stopped|cannot (kill|pause|resume)/i.test(m)) {
    return conflict(`container ${id}: ${m}`);
  }
  return runtimeError(`${what}: ${m}`);
}

/** runc's "runc create failed: unable to start container process: exec: …" → the `exec: …` part. */
function commandMessage(m: string): string {
  const i = m.indexOf('exec: ');
  return i >= 0 ? m.slice(i) : m;
}
