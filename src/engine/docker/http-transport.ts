/**
 * The HTTP/1.1 berth speaks to a Docker-API daemon: node:http (loaded lazily) over the
 * endpoint's own connections (dial.ts), kept alive and reused. Two shapes of exchange: a request
 * whose answer the caller reads (JSON, a stream of lines, a tar), and a hijack (attach, exec
 * start), where the daemon answers `101 UPGRADED` and the connection becomes the process's raw
 * stdio in both directions. Statuses and bodies are the caller's (client.ts) to judge; this file
 * only moves bytes.
 */
import type { Agent, ClientRequest, IncomingMessage } from 'node:http';
import type { Duplex, Readable } from 'node:stream';
import { http } from '../lazy-http.js';
import { dial, hostHeader } from './dial.js';
import type { Endpoint } from './endpoint.js';

export interface HttpRequest {
  method: string;
  /** Path and query, already encoded. */
  path: string;
  headers?: Record<string, string>;
  /** JSON or other bytes (sent with a Content-Length), or a stream (sent chunked). */
  body?: Buffer | Readable;
  signal?: AbortSignal;
}

/** A hijack's outcome: the upgraded connection, or the daemon's ordinary answer (an error). */
export type Upgraded = { socket: Duplex } | { response: IncomingMessage };

export class HttpTransport {
  private agent?: Agent;

  constructor(private readonly endpoint: Endpoint) {}

  /**
   * One pool per endpoint, whose connections are opened by dial(). Not node's global agent: it
   * would open unix sockets and ssh children the wrong way, and it drops idle sockets after 5 s.
   * Over ssh each connection is an ssh process: a few are enough.
   */
  private pool(): Agent {
    if (this.agent) return this.agent;
    const ep = this.endpoint;
    class DialAgent extends http().Agent {
      override createConnection(): Duplex {
        return dial(ep);
      }
    }
    this.agent = new DialAgent({ keepAlive: true, maxFreeSockets: 4, ...(ep.kind === 'ssh' ? { maxSockets: 8 } : {}) });
    return this.agent;
  }

  /**
   * `own`: on a connection of its own rather than the pool's (a hijack, as docker's client does
   * it: the connection ends with the session, and an answer that is not a 101 leaves nothing
   * half-used in the pool).
   */
  private send(r: HttpRequest, own?: { extraHeaders: Record<string, string> }): ClientRequest {
    const headers: Record<string, string | number> = { Host: hostHeader(this.endpoint), 'User-Agent': 'berth', ...r.headers, ...own?.extraHeaders };
    if (Buffer.isBuffer(r.body)) headers['Content-Length'] = r.body.length;
    else if (!r.body && r.method !== 'GET' && r.method !== 'HEAD') headers['Content-Length'] = 0;
    const ep = this.endpoint;
    const via = own ? { createConnection: () => dial(ep) } : { agent: this.pool() };
    const req = http().request({ ...via, method: r.method, path: r.path, headers, ...(r.signal ? { signal: r.signal } : {}) });
    if (r.body && !Buffer.isBuffer(r.body)) {
      const body = r.body;
      // A body that fails (a tar being made) fails the request. It keeps flowing after the
      // answer's head: docker streams progress while it still reads the upload (load, import).
      body.once('error', (e) => req.destroy(e));
      body.pipe(req);
    } else req.end(r.body);
    return req;
  }

  /** Sends a request; resolves with the answer's head (any status), its body still to read. */
  request(r: HttpRequest): Promise<IncomingMessage> {
    return new Promise((resolve, reject) => {
      const req = this.send(r);
      req.once('response', resolve);
      req.once('error', reject);
    });
  }

  /**
   * A hijacked request, as docker's client makes it: `Connection: Upgrade`, `Upgrade: tcp`, the
   * request itself complete (a body never ended makes dockerd hang up), then the connection.
   */
  upgrade(r: HttpRequest): Promise<Upgraded> {
    return new Promise((resolve, reject) => {
      const req = this.send(r, { extraHeaders: { Connection: 'Upgrade', Upgrade: 'tcp' } });
      req.once('upgrade', (_res: IncomingMessage, socket: Duplex, head: Buffer) => {
        // Bytes that came with the 101's head are the stream's first.
        if (head.length) socket.unshift(head);
        resolve({ socket });
      });
      req.once('response', (response: IncomingMessage) => resolve({ response }));
      req.once('error', reject);
    });
  }

  /** Closes the pooled connections (and so the ssh children). */
  close(): void {
    this.agent?.destroy();
    this.agent = undefined; // a later request (a daemon started again) opens a fresh pool
  }
}
