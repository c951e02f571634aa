/**
 * The network library's one error type. src/net may import only node (CONTRIBUTING.md), so it
 * cannot throw the engine's EngineError; its `kind` uses the same words, so the engine maps it
 * with `new EngineError(e.kind, e.message, { cause: e })`.
 */
export type NetErrorKind = 'invalid' | 'conflict' | 'not-found' | 'runtime';

export class NetError extends Error {
  constructor(
    readonly kind: NetErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'NetError';
  }
}

export const invalidArg = (msg: string) => new NetError('invalid', msg);
export const netConflict = (msg: string) => new NetError('conflict', msg);
export const netNotFound = (msg: string) => new NetError('not-found', msg);
export const netRuntime = (msg: string, cause?: unknown) => new NetError('runtime', msg, { cause });
