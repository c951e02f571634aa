/**
 * docker's error answers in one place: `{"message": …}` with the status docker gives. Engine
 * errors map by kind; ApiError carries a status of its own (bad query values, unknown paths).
 */
import type { ServerResponse } from 'node:http';
import { EngineError } from '../engine/index.js';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const badRequest = (msg: string) => new ApiError(400, msg);
export const notFoundError = (msg: string) => new ApiError(404, msg);
export const notImplemented = (msg: string) => new ApiError(501, msg);

/** The status docker answers for an error of this kind. */
export function statusOf(e: unknown): number {
  if (e instanceof ApiError) return e.status;
  if (e instanceof EngineError) {
    switch (e.kind) {
      case 'not-found':
        return 404;
      case 'conflict':
        return 409;
      case 'invalid':
        return 400;
      case 'unsupported':
        return 501;
      default:
        return 500; // runtime, cmd-not-found, cmd-not-executable: docker's 500 (the CLI maps 126/127 from the message)
    }
  }
  return 500;
}

export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Answers the error, or ends the connection when the answer has already begun (a stream). */
export function sendError(res: ServerResponse, e: unknown): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = JSON.stringify({ message: messageOf(e) });
  res.writeHead(statusOf(e), { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) + 1 });
  res.end(`${body}\n`);
}
