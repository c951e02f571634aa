/**
 * The one door to a Docker-API daemon: requests over our HTTP transport (unix socket, tcp/TLS,
 * or ssh) with the API version negotiated once as docker's client does it (HEAD /_ping, GET when
 * HEAD is not answered, the API-Version header; the lower of the daemon's and ours, never
 * pinned), JSON in and `unknown` out (wire.ts's readers type it), and the daemon's errors turned
 * into EngineErrors with the daemon's own message. Everything else in src/engine/docker calls
 * `json`, `stream` or `hijack` here.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex, Readable } from 'node:stream';
import { EngineError } from '../errors.js';
import { errorOfResponse, toEngineError } from './daemon-errors.js';
import type { Endpoint } from './endpoint.js';
import { type HttpRequest, HttpTransport } from './http-transport.js';
import { compareApi, type DockerVersion, parseVersion } from './wire.js';

export { kindOfStatus, tlsReason, toEngineError } from './daemon-errors.js';

/** The newest API this backend is written against; the daemon's may be older (then we use its). */
export const MAX_API_VERSION = '1.51';
/** What a daemon that names no version in its ping speaks (docker's client assumes the same). */
const PING_FALLBACK_API = '1.24';

type Query = Record<string, string | number | boolean | string[] | undefined>;

export interface RequestOptions {
  query?: Query;
  /** Sent as JSON. */
  body?: unknown;
  /** A request body stream (tar), sent as application/x-tar (or `contentType`). */
  file?: Readable;
  contentType?: string;
  signal?: AbortSignal;
  /** Sent as X-Registry-Auth (docker needs the header for push, even empty). */
  auth?: object;
}

/** Query values as docker reads them: booleans 1/0, arrays as repeated keys, undefined left out. */
export function queryString(q: Query | undefined): string {
  const out = new URLSearchParams();
  for (const [k, v] of Object.entries(q ?? {})) {
    if (v === undefined) continue;
    for (const x of Array.isArray(v) ? v : [v]) out.append(k, typeof x === 'boolean' ? (x ? '1' : '0') : String(x));
  }
  const s = out.toString();
  return s ? `?${s}` : '';
}

/** X-Registry-Auth: base64url of the JSON, padded, as docker's client encodes it. */
export function registryAuthHeader(auth: object): string {
  return Buffer.from(JSON.stringify(auth)).toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
}

export class DockerClient {
  private readonly http: HttpTransport;
  /** "1.41" once negotiated. */
  apiVersion = '';
  private negotiated?: Promise<void>;
  private versionDoc?: Promise<DockerVersion>;

  constructor(
    readonly endpoint: Endpoint,
    private readonly maxApi: string = MAX_API_VERSION,
  ) {
    this.http = new HttpTransport(endpoint);
  }

  get label(): string {
    return this.endpoint.url;
  }

  /** Sends one request; a failure to connect becomes an EngineError naming the host. */
  private async send(r: HttpRequest): Promise<IncomingMessage> {
    try {
      return await this.http.request(r);
    } catch (e) {
      throw toEngineError(e, this.label);
    }
  }

  /** The answer's body, or the daemon's error as an EngineError when its status is ≥ 400. */
  private async checked(res: IncomingMessage): Promise<IncomingMessage> {
    const status = res.statusCode ?? 0;
    if (status < 400) return res;
    throw errorOfResponse(status, await readAll(res).catch(() => Buffer.alloc(0)), this.label);
  }

  /**
   * HEAD /_ping (GET when HEAD is not answered with 200), unversioned; then the lower of the
   * daemon's API-Version and ours is spoken from here on. A daemon that is down is asked again
   * on the next call.
   */
  negotiate(signal?: AbortSignal): Promise<void> {
    this.negotiated ??= (async () => {
      let res = await this.send({ method: 'HEAD', path: '/_ping', ...(signal ? { signal } : {}) });
      res.resume();
      if (res.statusCode !== 200) {
        res = await this.checked(await this.send({ method: 'GET', path: '/_ping', ...(signal ? { signal } : {}) }));
        res.resume();
      }
      const header = res.headers['api-version'];
      const daemon = typeof header === 'string' && /^\d+\.\d+$/.test(header) ? header : PING_FALLBACK_API;
      this.apiVersion = compareApi(daemon, this.maxApi) < 0 ? daemon : this.maxApi;
    })();
    this.negotiated.catch(() => {
      this.negotiated = undefined; // a daemon that was down may come up: try again next call
    });
    return this.negotiated;
  }

  /** Whether the negotiated API is at least `v`. */
  atLeast(v: string): boolean {
    return compareApi(this.apiVersion, v) >= 0;
  }

  /** GET /version, once: what the daemon is (docker or podman, its version and components). */
  version(): Promise<DockerVersion> {
    this.versionDoc ??= this.json('GET', '/version').then(parseVersion);
    this.versionDoc.catch(() => {
      this.versionDoc = undefined;
    });
    return this.versionDoc;
  }

  private async request(method: string, path: string, o: RequestOptions): Promise<IncomingMessage> {
    await this.negotiate(o.signal);
    const headers: Record<string, string> = {};
    let body: Buffer | Readable | undefined;
    if (o.file) {
      body = o.file;
      headers['Content-Type'] = o.contentType ?? 'application/x-tar';
    } else if (o.body !== undefined) {
      body = Buffer.from(JSON.stringify(o.body));
      headers['Content-Type'] = 'application/json';
    }
    if (o.auth) headers['X-Registry-Auth'] = registryAuthHeader(o.auth);
    return this.send({
      method,
      path: `/v${this.apiVersion}${path}${queryString(o.query)}`,
      headers,
      ...(body ? { body } : {}),
      ...(o.signal ? { signal: o.signal } : {}),
    });
  }

  /**
   * A request whose answer is JSON (or empty): returned parsed, as `unknown` for wire.ts's
   * readers. A text answer (Podman says "OK" where Docker says nothing) comes back as the
   * string, which a reader expecting an object refuses.
   */
  async json(method: string, path: string, o: RequestOptions = {}): Promise<unknown> {
    const res = await this.checked(await this.request(method, path, o));
    const text = (
      await readAll(res).catch((e: unknown) => {
        throw toEngineError(e, this.label);
      })
    ).toString();
    if (!text.trim()) return undefined;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text.trim();
    }
  }

  /** A request whose answer is read as a stream (logs, events, stats, archives, progress). */
  async stream(method: string, path: string, o: RequestOptions = {}): Promise<IncomingMessage> {
    const res = await this.checked(await this.request(method, path, o));
    if (o.signal) {
      const stop = () => res.destroy();
      if (o.signal.aborted) stop();
      else o.signal.addEventListener('abort', stop, { once: true });
      res.once('close', () => o.signal?.removeEventListener('abort', stop));
    }
    return res;
  }

  /**
   * An upgraded connection (attach, exec start): the raw stream in both directions, after the
   * daemon's `101`. Ending its write side half-closes it: the process sees EOF on stdin and its
   * output keeps coming until the daemon closes.
   */
  async hijack(path: string, o: RequestOptions = {}): Promise<Duplex> {
    await this.negotiate(o.signal);
    const body = o.body === undefined ? undefined : Buffer.from(JSON.stringify(o.body));
    const req: HttpRequest = {
      method: 'POST',
      path: `/v${this.apiVersion}${path}${queryString(o.query)}`,
      headers: body ? { 'Content-Type': 'application/json' } : {},
      ...(body ? { body } : {}),
      ...(o.signal ? { signal: o.signal } : {}),
    };
    let up;
    try {
      up = await this.http.upgrade(req);
    } catch (e) {
      throw toEngineError(e, this.label);
    }
    if ('socket' in up) return up.socket;
    const res = await this.checked(up.response);
    res.resume();
    throw new EngineError('runtime', `the daemon at ${this.label} answered ${res.statusCode} to ${path} instead of switching protocols (101)`);
  }

  /**
   * Whether the daemon answers now: a fresh GET /_ping (the negotiation's answer is cached, so
   * it cannot tell a daemon that went away).
   */
  async ping(signal?: AbortSignal): Promise<void> {
    if (!this.negotiated) return this.negotiate(signal);
    await this.negotiate(signal);
    const res = await this.checked(await this.send({ method: 'GET', path: '/_ping', ...(signal ? { signal } : {}) }));
    await readAll(res).catch((e: unknown) => {
      throw toEngineError(e, this.label);
    });
  }

  async close(): Promise<void> {
    this.http.close();
  }
}

/** Reads a stream of newline-delimited JSON objects (docker's progress, events and stats). */
export async function* jsonLines(stream: Readable): AsyncGenerator<unknown> {
  // A character split between two chunks is decoded whole.
  const utf8 = new TextDecoder();
  let buf = '';
  const parse = (line: string): unknown => {
    try {
      return JSON.parse(line);
    } catch {
      throw new EngineError('runtime', `unexpected line from the daemon: ${line.slice(0, 200)}`);
    }
  };
  for await (const chunk of stream) {
    buf += utf8.decode(chunk as Buffer, { stream: true });
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl).trim();
      buf = buf.slice(nl + 1);
      if (line) yield parse(line);
    }
  }
  if (buf.trim()) yield parse(buf.trim());
}

/** Reads a stream to its end. */
export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}
