/**
 * Typed engine errors. The engine throws these; the edges (CLI exit codes, dashboard status
 * line, a future REST layer) map them, so the engine never decides how a failure is shown.
 */
export type ErrorKind =
  | 'not-found' // no such container/image/volume/network
  | 'conflict' // name in use, object in use, wrong state
  | 'invalid' // bad argument or malformed input
  | 'unsupported' // the backend cannot do this
  | 'runtime' // runc/conmon/CNI/mount failed
  | 'cmd-not-found' // the container's command does not exist (docker exits 127)
  | 'cmd-not-executable'; // the container's command cannot be executed (docker exits 126)

export class EngineError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'EngineError';
  }
}

export const notFound = (what: string) => new EngineError('not-found', what);
export const conflict = (msg: string) => new EngineError('conflict', msg);
export const invalid = (msg: string) => new EngineError('invalid', msg);
export const runtimeError = (msg: string, cause?: unknown) => new EngineError('runtime', msg, { cause });

export function isEngineError(e: unknown, kind?: ErrorKind): e is EngineError {
  return e instanceof EngineError && (kind === undefined || e.kind === kind);
}
