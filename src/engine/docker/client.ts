/**
 * The one door to a Docker-API daemon: dockerode's modem (its transport: unix socket, tcp/TLS, or
 * our ssh agent) with the API version negotiated once, typed JSON in and out, and daemon errors
 * turned into EngineErrors with the daemon's own message. Everything else in src/engine/docker
 * calls `json`, `stream`, `hijack` or `raw` here, never the modem.
 */
import { request as httpRequest, type Agent, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Duplex, Readable } from 'node:stream';
import Docker from 'dockerode';
import { EngineError, type ErrorKind } from '../errors.js';
import type { Endpoint } from './endpoint.js';
import { compareApi, type DockerVersion, parseVersion } from './wire.js';

/** The newest API this backend is written against; the daemon's may be older (then we use its). */
export const MAX_API_VERSION = '1.51';
/** The oldest we can speak at all (Docker 18.09). */
export const MIN_API_VERSION = '1.39';

type Query = Record<string, string | number | boolean | string[] | undefined>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  /** A request body stream (tar), sent as application/tar (or `contentType`). */
  file?: Readable;
  contentType?: string;
  signal?: AbortSignal;
  /** Sent as X-Registry-Auth (docker needs the header for push, even empty). */
  auth?: object;
}

interface ModemError extends Error {
  statusCode?: number;
  json?: { message?: string } | Buffer | string | null;
  reason?: string;
  code?: string;
}

interface DialOptions {
  path: string;
  method: string;
  options?: object;
  statusCodes: Record<number, boolean | string>;
  isStream?: boolean;
  hijack?: boolean;
  openStdin?: boolean;
  file?: Readable;
  abortSignal?: AbortSignal;
  headers?: Record<string, string>;
  authconfig?: object;
}

interface Modem {
  version?: string;
  dial(opts: DialOptions, cb: (err: ModemError | null, res?: unknown) => void): void;
}

const OK: Record<number, boolean> = { 200: true, 201: true, 204: true, 304: true, 101: true };

export function kindOfStatus(status: number | undefined): ErrorKind {
  if (status === 404) return 'not-found';
  if (status === 409) return 'conflict';
  if (status === 400) return 'invalid';
  if (status === 501) return 'unsupported';
  return 'runtime';
}

/** A daemon (or transport) failure as an EngineError, keeping the daemon's words. */
export function toEngineError(e: unknown, label: string): EngineError {
  if (e instanceof EngineError) return e;
  const err = e as ModemError;
  if (err?.name === 'AbortError') return new EngineError('runtime', 'aborted', { cause: e });
  let message: string | undefined;
  const j = err?.json;
  if (j && typeof j === 'object' && !Buffer.isBuffer(j) && typeof j.message === 'string') message = j.message;
  else if (Buffer.isBuffer(j) && j.length) message = j.toString().trim();
  else if (typeof j === 'string' && j) message = j.trim();
  if (err?.statusCode === undefined) {
    // No HTTP status: the connection itself failed.
    const why = err?.code === 'ENOENT' || err?.code === 'ECONNREFUSED' ? 'Is the docker daemon running?' : (tlsReason(err) ?? err?.message ?? String(e));
    return new EngineError('runtime', `Cannot connect to the Docker daemon at ${label}. ${why}`.trim(), { cause: e });
  }
  return new EngineError(kindOfStatus(err.statusCode), message ?? err.reason ?? err.message, { cause: e });
}

const UNTRUSTED = new Set(['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'UNABLE_TO_GET_ISSUER_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'CERT_SIGNATURE_FAILURE']);

/**
 * A TLS handshake failure in words a user can act on (openssl's own text names a source file
 * and an alert number), or undefined when it is not one.
 */
export function tlsReason(err: { code?: string; message?: string } | undefined): string | undefined {
  const code = err?.code ?? '';
  const msg = err?.message ?? '';
  if (UNTRUSTED.has(code)) return `TLS: the daemon's certificate is not signed by the CA given (--tlscacert, or ca.pem in DOCKER_CERT_PATH): ${msg}`;
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') return `TLS: the daemon's certificate is not for this host name: ${msg}`;
  if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID') return `TLS: the daemon's certificate is not valid now: ${msg}`;
  if (/alert (bad certificate|certificate required|unknown ca|certificate unknown)/i.test(msg) || /ALERT_(BAD_CERTIFICATE|CERTIFICATE_REQUIRED|UNKNOWN_CA)/.test(code)) {
    return 'TLS: the daemon refused the connection for want of a client certificate it trusts (--tlscert and --tlskey, or cert.pem and key.pem in DOCKER_CERT_PATH)';
  }
  if (/wrong version number|packet length too long|http request/i.test(msg)) return `TLS: the daemon does not speak TLS on this port (drop --tls/--tlsverify?): ${msg.split('\n')[0]}`;
  return undefined;
}

function cleanQuery(q: Query | undefined): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(q ?? {})) {
    if (v === undefined) continue;
    out[k] = Array.isArray(v) ? v : typeof v === 'boolean' ? (v ? '1' : '0') : String(v);
  }
  return out;
}

export class DockerClient {
  readonly docker: Docker;
  private readonly modem: Modem;
  /** "1.41" once negotiated. */
  apiVersion = '';
  daemonVersion?: DockerVersion;
  private negotiated?: Promise<void>;

  constructor(
    readonly endpoint: Endpoint,
    private readonly maxApi: string = MAX_API_VERSION,
  ) {
    this.docker = new Docker(endpoint.dockerode as Docker.DockerOptions);
    this.modem = this.docker.modem as unknown as Modem;
    this.modem.version = undefined; // never pinned: set by negotiate()
  }

  get label(): string {
    return this.endpoint.url;
  }

  /** GET /version (unversioned), then speak min(daemon's ApiVersion, ours) from here on. */
  negotiate(): Promise<void> {
    this.negotiated ??= (async () => {
      const raw = await this.call<unknown>({ path: '/version', method: 'GET', statusCodes: OK }, false);
      const v = parseVersion(raw);
      this.daemonVersion = v;
      const daemon = v.ApiVersion || MIN_API_VERSION;
      if (v.MinAPIVersion && compareApi(v.MinAPIVersion, this.maxApi) > 0) {
        throw new EngineError('unsupported', `the daemon at ${this.label} needs API ${v.MinAPIVersion} or newer; berth speaks up to ${this.maxApi}`);
      }
      this.apiVersion = compareApi(daemon, this.maxApi) < 0 ? daemon : this.maxApi;
      this.modem.version = `v${this.apiVersion}`;
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

  private call<T>(o: DialOptions, negotiate = true): Promise<T> {
    const go = () =>
      new Promise<T>((resolve, reject) => {
        try {
          this.modem.dial(o, (err, res) => (err ? reject(toEngineError(err, this.label)) : resolve(res as T)));
        } catch (e) {
          reject(toEngineError(e, this.label));
        }
      });
    return negotiate ? this.negotiate().then(go) : go();
  }

  private dialOptions(method: string, path: string, o: RequestOptions, extra: Partial<DialOptions>): DialOptions {
    const query = cleanQuery(o.query);
    const hasQuery = Object.keys(query).length > 0;
    const d: DialOptions = { path: hasQuery ? `${path}?` : path, method, statusCodes: OK, ...extra };
    // The modem sends `_body` (or, without one, the whole options object) as a POST's JSON body
    // and drops a body of '{}': so a POST with only a query carries `_body: {}` (docker refuses
    // a body on /start and friends).
    const body = o.body ?? (method === 'POST' ? {} : undefined);
    if (body !== undefined && hasQuery) d.options = { _query: query, _body: body };
    else if (o.body !== undefined) d.options = { _body: o.body };
    else if (hasQuery) d.options = { _query: query };
    if (o.file) d.file = o.file;
    if (o.signal) d.abortSignal = o.signal;
    if (o.contentType) d.headers = { 'Content-Type': o.contentType };
    if (o.auth) d.authconfig = { base64: Buffer.from(JSON.stringify(o.auth)).toString('base64url') };
    return d;
  }

  /**
   * A request whose answer is JSON (or empty). Sent directly on the endpoint's transport rather
   * than through the modem: the modem formats every request with util.inspect (agent and all)
   * even with debugging off, which made a 50-container one-shot stats pass cost ~200 ms of CPU.
   */
  async json<T = unknown>(method: string, path: string, o: RequestOptions = {}): Promise<T> {
    await this.negotiate();
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(cleanQuery(o.query))) for (const x of Array.isArray(v) ? v : [v]) q.append(k, x);
    const qs = q.toString();
    const body = o.body === undefined ? undefined : Buffer.from(JSON.stringify(o.body));
    const ep = this.endpoint.dockerode;
    const https = ep.protocol === 'https';
    // Host names the daemon for TLS (node checks the certificate against it): the real host over
    // tcp, a placeholder over a unix socket or ssh, as docker does.
    const headers: Record<string, string | number> = { Host: this.endpoint.kind === 'tcp' ? `${ep.host as string}:${ep.port as number}` : 'docker' };
    if (body) {
      headers['Content-Type'] = 'application/json';
      headers['Content-Length'] = body.length;
    } else if (method === 'POST') headers['Content-Length'] = 0;
    const req = (https ? httpsRequest : httpRequest)({
      method,
      path: `/v${this.apiVersion}${path}${qs ? `?${qs}` : ''}`,
      headers,
      ...(ep.socketPath ? { socketPath: ep.socketPath as string } : { host: ep.host as string, port: ep.port as number }),
      agent: ep.agent as Agent | undefined,
      ...(https ? { ca: ep.ca as Buffer, cert: ep.cert as Buffer, key: ep.key as Buffer } : {}),
      ...(o.signal ? { signal: o.signal } : {}),
    });
    const res = await new Promise<IncomingMessage>((resolve, reject) => {
      req.on('response', resolve);
      req.on('error', (e) => reject(toEngineError(e, this.label)));
      req.end(body);
    });
    const raw = await readAll(res).catch((e) => {
      throw toEngineError(e, this.label);
    });
    const status = res.statusCode ?? 0;
    let parsed: unknown;
    const txt = raw.toString();
    try {
      parsed = txt ? JSON.parse(txt) : undefined;
    } catch {
      parsed = txt;
    }
    if (status >= 400) {
      const msg = parsed && typeof parsed === 'object' && typeof (parsed as { message?: unknown }).message === 'string' ? (parsed as { message: string }).message : txt.trim() || `HTTP ${status}`;
      throw new EngineError(kindOfStatus(status), msg);
    }
    return parsed as T;
  }

  /** A request whose answer is read as a stream (logs, events, stats, archives, progress). */
  async stream(method: string, path: string, o: RequestOptions = {}): Promise<IncomingMessage> {
    const res = await this.call<IncomingMessage>(this.dialOptions(method, path, o, { isStream: true }));
    if (o.signal) {
      const stop = () => res.destroy();
      if (o.signal.aborted) stop();
      else o.signal.addEventListener('abort', stop, { once: true });
      res.once('close', () => o.signal?.removeEventListener('abort', stop));
    }
    return res;
  }

  /** An upgraded connection (attach, exec start): the raw socket, both directions. */
  async hijack(path: string, o: RequestOptions = {}): Promise<Duplex> {
    // The request itself is ended (a never-ending chunked body makes dockerd hang up); stdin goes
    // over the upgraded socket.
    return this.call<Duplex>(this.dialOptions('POST', path, o, { hijack: true }));
  }

  /**
   * Whether the daemon answers now: GET /_ping on a fresh request. (version() answers from the
   * negotiation's cached reply, so it cannot tell a daemon that went away.)
   */
  async ping(signal?: AbortSignal): Promise<void> {
    await this.json('GET', '/_ping', { signal });
  }

  async close(): Promise<void> {
    this.endpoint.close?.();
  }
}

/** Reads a stream of newline-delimited JSON objects (docker's progress and events). */
export async function* jsonLines(stream: Readable): AsyncGenerator<unknown> {
  let buf = '';
  for await (const chunk of stream) {
    buf += (chunk as Buffer).toString();
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl).trim();
      buf = buf.slice(nl + 1);
      if (line) yield JSON.parse(line);
    }
  }
  if (buf.trim()) yield JSON.parse(buf);
}

/** Reads a stream to its end. */
export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}
