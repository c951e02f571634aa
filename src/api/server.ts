/**
 * docker's Engine API over node:http for any Engine: versioned (`/v1.NN/…`) and unversioned
 * paths, docker's version headers on every answer, errors through errors.ts, hijacked streams
 * through hijack.ts. Listening (unix socket, tcp, tls, an inherited fd, one stdio connection)
 * is listen.ts's; this file only answers requests.
 */
import { createServer, ServerResponse, type IncomingMessage, type Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Engine } from '../engine/api.js';
import { berthVersion } from '../engine/index.js';
import type { Route, RouteContext } from './route.js';
import { Router, splitVersion } from './router.js';
import { ApiError, sendError } from './errors.js';
import { setPreread } from './body.js';
import { hijackPlain, hijackUpgraded, RAW_STREAM, readUpgradeBody } from './hijack.js';
import { sessionsOf } from './sessions.js';

/** The API version berth speaks (docker 20.10's) and the oldest it accepts (docker's minimum). */
export const API_MAX_VERSION = '1.41';
export const API_MIN_VERSION = '1.12';

export function compareVersions(a: string, b: string): number {
  const [a1 = 0, a2 = 0] = a.split('.').map(Number);
  const [b1 = 0, b2 = 0] = b.split('.').map(Number);
  return a1 - b1 || a2 - b2;
}

export interface ApiServerOptions {
  engine: Engine;
  routes: Route[];
  /** Called for each request (debug logging). */
  onRequest?: (method: string, url: string) => void;
  /** Where exec instances are shared with the other server processes of this engine (sessions.ts). */
  execDir?: string;
}

export class ApiServer {
  readonly http: Server;
  private readonly router: Router;
  private active = 0;
  private idleSince = Date.now();

  constructor(private readonly opts: ApiServerOptions) {
    this.router = new Router(opts.routes);
    if (opts.execDir) sessionsOf(opts.engine).execDir = opts.execDir;
    // Idle keep-alive connections stay open, as dockerd's (Go's server has no idle timeout): node's
    // default closes them after 5 s, and a pooled client (docker-py, compose) that sends its next
    // request on one just as it closes gets "Connection reset by peer" — seen on a loaded host.
    this.http = createServer({ requestTimeout: 0, headersTimeout: 60_000, keepAliveTimeout: 0 });
    // A client's half-close (docker's clients CloseWrite after a request; dial-stdio's stdin
    // ending) must not abort the answers still due: node's http server does so unless told.
    (this.http as Server & { httpAllowHalfOpen: boolean }).httpAllowHalfOpen = true;
    this.http.on('request', (req, res) => void this.dispatch(req, res));
    this.http.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => void this.upgrade(req, socket, head));
    this.http.on('clientError', (_e, socket: Duplex) => {
      if ((socket as Socket).writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
      else socket.destroy();
    });
  }

  /** Requests in progress (streams included): the idle timer counts only when none are. */
  get busy(): boolean {
    return this.active > 0;
  }
  /** ms since the last request ended (0 while one runs). */
  idleFor(): number {
    return this.active > 0 ? 0 : Date.now() - this.idleSince;
  }

  private async upgrade(req: IncomingMessage, socket: Socket, head: Buffer): Promise<void> {
    socket.on('error', () => socket.destroy());
    const length = Number(req.headers['content-length'] ?? 0);
    try {
      if (length > 0) setPreread(req, await readUpgradeBody(socket, head, length));
      else if (head.length) socket.unshift(head);
    } catch {
      socket.destroy();
      return;
    }
    const res = new ServerResponse(req);
    res.assignSocket(socket);
    res.shouldKeepAlive = false;
    res.on('finish', () => socket.end());
    await this.dispatch(req, res, socket);
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse, upgraded?: Socket): Promise<void> {
    this.active++;
    const ac = new AbortController();
    const abort = () => ac.abort();
    res.on('close', abort);
    // a keep-alive connection carries many requests: each takes its listener off at its end
    const sock = upgraded ?? req.socket;
    sock?.once('close', abort);
    try {
      const url = new URL(req.url ?? '/', 'http://berth');
      this.opts.onRequest?.(req.method ?? '', req.url ?? '');
      res.setHeader('Api-Version', API_MAX_VERSION);
      res.setHeader('Docker-Experimental', 'false');
      res.setHeader('Ostype', 'linux');
      res.setHeader('Server', `Docker/${berthVersion()} (linux) berth`);
      const { version, path } = splitVersion(url.pathname);
      if (version !== undefined) {
        if (compareVersions(version, API_MAX_VERSION) > 0)
          throw new ApiError(400, `client version ${version} is too new. Maximum supported API version is ${API_MAX_VERSION}`);
        if (compareVersions(version, API_MIN_VERSION) < 0)
          throw new ApiError(
            400,
            `client version ${version} is too old. Minimum supported API version is ${API_MIN_VERSION}, please upgrade your client to a newer version`,
          );
      }
      const m = this.router.match(req.method ?? 'GET', path);
      if (!m) throw new ApiError(404, 'page not found');
      if ('allowed' in m) throw new ApiError(405, `method ${req.method} not allowed for ${path}`);
      let hijacked = false;
      const ctx: RouteContext = {
        engine: this.opts.engine,
        req,
        res,
        params: m.params,
        query: url.searchParams,
        version: version ?? API_MAX_VERSION,
        signal: ac.signal,
        hijack: (contentType = RAW_STREAM) => {
          if (hijacked) throw new Error('already hijacked');
          hijacked = true;
          return upgraded ? hijackUpgraded(res, upgraded, contentType) : hijackPlain(req, res, contentType);
        },
      };
      await m.route.handle(ctx);
      if (!hijacked && !res.writableEnded && !res.headersSent) res.writeHead(204).end();
    } catch (e) {
      if (upgraded && res.socket !== upgraded && !upgraded.destroyed) upgraded.destroy();
      else sendError(res, e);
    } finally {
      this.active--;
      this.idleSince = Date.now();
      res.off('close', abort);
      sock?.off('close', abort);
    }
  }
}
