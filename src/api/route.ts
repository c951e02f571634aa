/**
 * The contract between berth's Docker Engine API server (server.ts, router.ts) and its route
 * modules (routes/*.ts): a route is a method, a docker path pattern and a handler that calls the
 * engine's public API (../engine/api.ts) and answers in docker's wire format. Routes never touch
 * engine internals: the same routes would serve any Engine.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Engine } from '../engine/api.js';

export type Method = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE';

export interface RouteContext {
  engine: Engine;
  /** The request; its body is unread (see body.ts to read JSON or a stream). */
  req: IncomingMessage;
  res: ServerResponse;
  /** Path parameters from the pattern (`{id}` → params.id), URI-decoded; `{name*}` takes the
   *  rest of the path including slashes (image names: `/images/{name*}/json`). */
  params: Record<string, string>;
  query: URLSearchParams;
  /** The API version the client asked for (`/v1.40/…`), or the server's own when unversioned. */
  version: string;
  /** Aborted when the client goes away (streams stop, nothing else is cancelled half-way). */
  signal: AbortSignal;
  /**
   * Takes the connection over for a hijacked stream (attach, exec start): answers
   * `101 UPGRADED` when the client sent `Upgrade: tcp`, else `200 OK` with docker's raw-stream
   * content type, and returns the socket. `contentType` defaults to
   * application/vnd.docker.raw-stream (multiplexed-stream for non-tty streams on API ≥ 1.42).
   */
  hijack(contentType?: string): Duplex;
}

export interface Route {
  method: Method;
  /** docker's path without the version prefix: '/containers/{id}/json'. */
  path: string;
  handle(ctx: RouteContext): Promise<void>;
}
