/**
 * A Docker Registry v2 / OCI distribution client on Node's fetch: the auth handshake (anonymous,
 * Basic, Bearer tokens per scope), registry errors turned into one clear line, and the raw
 * operations pull and push are made of. Nothing here touches the image store.
 */
import { get as httpGet, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { get as httpsGet } from 'node:https';
import { EngineError, invalid, notFound } from '../errors.js';
import { debug } from '../log.js';
import { registryBase } from './config.js';
import { getCredentials, type Credentials } from './credentials.js';
import { parseChallenge, type Challenge } from './www-authenticate.js';

export type Action = 'pull' | 'push';

/**
 * Whether `url` is on the registry itself: same scheme, host and port. Not a prefix test: with
 * base http://localhost:5000, "http://localhost:50001/…" and, for a base without a port,
 * "https://reg.example.com.other.net/…" start with the same characters and are other servers.
 */
export function onRegistry(url: string | URL, base: string): boolean {
  try {
    return new URL(url).origin === new URL(base).origin;
  } catch {
    return false;
  }
}

export class RegistryError extends EngineError {}

const unauthorized = (msg: string) => new RegistryError('invalid', msg);

/** A network failure as one line: `Get "URL": connection refused`. */
function networkError(method: string, url: string, e: unknown, signal?: AbortSignal): unknown {
  // A cancelled operation is not a network failure: the caller gets the abort's own reason.
  if (signal?.aborted) return signal.reason;
  const cause = (e as { cause?: { code?: string; message?: string } })?.cause;
  const code = cause?.code;
  const why =
    code === 'ECONNREFUSED'
      ? 'connection refused'
      : code === 'ENOTFOUND' || code === 'EAI_AGAIN'
        ? 'no such host'
        : code === 'ETIMEDOUT' || code === 'UND_ERR_CONNECT_TIMEOUT'
          ? 'i/o timeout'
          : code === 'ECONNRESET'
            ? 'connection reset by peer'
            : code === 'ERR_SSL_WRONG_VERSION_NUMBER' || /SSL|TLS|certificate/i.test(cause?.message ?? '')
              ? `TLS handshake failed (${cause?.message ?? code}); add the registry to insecure-registries if it speaks plain HTTP`
              : (cause?.message ?? (e as Error).message);
  const m = method[0] + method.slice(1).toLowerCase();
  return new RegistryError('runtime', `${m} "${url}": ${why}`, { cause: e });
}

/** The registry's JSON error body as docker shows it: "manifest unknown: manifest unknown". */
export async function errorText(res: Response): Promise<string> {
  let body = '';
  try {
    body = await res.text();
  } catch {
    /* no body */
  }
  try {
    const v = JSON.parse(body) as { errors?: { code?: unknown; message?: unknown }[] };
    const e = v.errors?.[0];
    if (e && typeof e.code === 'string') {
      const code = e.code.toLowerCase().replace(/_/g, ' ');
      return typeof e.message === 'string' && e.message ? `${code}: ${e.message}` : code;
    }
  } catch {
    /* not JSON */
  }
  if (!body.trim()) {
    // HEAD answers carry no body: say what docker says for these statuses
    if (res.status === 401) return 'unauthorized: authentication required';
    if (res.status === 403) return 'denied: requested access to the resource is denied';
    if (res.status === 404) return 'not found';
  }
  const short = body.trim().split('\n')[0]?.slice(0, 200);
  return short ? `${res.status} ${res.statusText}: ${short}` : `${res.status} ${res.statusText}`;
}

export interface ClientOptions {
  /** Registry host[:port] as in the reference (docker.io for Docker Hub). */
  domain: string;
  /** Repository path, e.g. library/busybox. */
  path: string;
  actions: Action[];
  /** Other repositories to ask pull access for (cross-repository mounts). */
  alsoPull?: string[];
  credentials?: Credentials | null; // null: anonymous even if stored
  /** Aborts every request of this client (a cancelled pull): fetches and blob bodies alike. */
  signal?: AbortSignal;
}

export class RegistryClient {
  readonly base: string;
  private auth?: string; // the Authorization header value
  private challenge?: Challenge;
  private creds?: Credentials | null;
  private ready?: Promise<void>;

  constructor(readonly opts: ClientOptions) {
    this.base = registryBase(opts.domain);
    this.creds = opts.credentials;
  }

  url(p: string): string {
    return p.startsWith('http://') || p.startsWith('https://') ? p : `${this.base}${p}`;
  }

  private async credentials(): Promise<Credentials | undefined> {
    if (this.creds === undefined) this.creds = (await getCredentials(this.opts.domain)) ?? null;
    return this.creds ?? undefined;
  }

  /** `GET /v2/` to learn how the registry authenticates, then get a token if it wants one. */
  connect(): Promise<void> {
    this.ready ??= (async () => {
      const url = this.url('/v2/');
      let res: Response;
      try {
        res = await fetch(url, { redirect: 'follow', ...this.abortable() });
      } catch (e) {
        throw networkError('GET', url, e, this.opts.signal);
      }
      await res.arrayBuffer().catch(() => undefined);
      if (res.status === 401) {
        this.challenge = parseChallenge(res.headers.get('www-authenticate'));
        await this.authenticate();
      } else if (res.status === 404) {
        throw notFound(`${this.opts.domain} does not speak the registry v2 API (GET /v2/ answered 404)`);
      } else if (!res.ok) {
        throw new RegistryError('runtime', `Get "${url}": ${await errorText(res)}`);
      }
    })();
    return this.ready;
  }

  /** `{ signal }` for fetch when the client has one. */
  abortable(): { signal?: AbortSignal } {
    return this.opts.signal ? { signal: this.opts.signal } : {};
  }

  authorization(): string | undefined {
    return this.auth;
  }

  /** After a 401: take the new challenge (if any) and authenticate again. */
  async reauthenticate(header: string | undefined): Promise<void> {
    const ch = parseChallenge(header ?? null);
    if (ch) this.challenge = ch;
    await this.authenticate();
  }

  scopes(): string[] {
    const s = [`repository:${this.opts.path}:${this.opts.actions.join(',')}`];
    for (const o of this.opts.alsoPull ?? []) if (o !== this.opts.path) s.push(`repository:${o}:pull`);
    return s;
  }

  private async authenticate(): Promise<void> {
    const ch = this.challenge;
    if (!ch) throw unauthorized(`${this.opts.domain}: unauthorized, and the registry did not say how to authenticate`);
    const creds = await this.credentials();
    if (ch.scheme === 'basic') {
      if (!creds) throw unauthorized(`unauthorized: authentication required for ${this.opts.domain} (run 'berth login ${this.opts.domain}')`);
      this.auth = `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}`;
      return;
    }
    if (ch.scheme !== 'bearer') throw unauthorized(`${this.opts.domain}: unsupported authentication scheme ${ch.scheme}`);
    const realm = ch.params.realm;
    if (!realm) throw unauthorized(`${this.opts.domain}: Bearer challenge without a realm`);
    let tokenUrl: URL;
    try {
      tokenUrl = new URL(realm);
    } catch {
      throw unauthorized(`${this.opts.domain}: invalid token realm ${JSON.stringify(realm)}`);
    }
    if (ch.params.service) tokenUrl.searchParams.set('service', ch.params.service);
    for (const s of this.scopes()) tokenUrl.searchParams.append('scope', s);
    const headers: Record<string, string> = {};
    if (creds) {
      headers.authorization = `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}`;
      tokenUrl.searchParams.set('account', creds.username);
    }
    let res: Response;
    try {
      res = await fetch(tokenUrl, { headers, ...this.abortable() });
    } catch (e) {
      throw networkError('GET', `${tokenUrl.origin}${tokenUrl.pathname}`, e, this.opts.signal);
    }
    if (res.status === 401 || res.status === 403) {
      await res.arrayBuffer().catch(() => undefined);
      throw unauthorized(
        `unauthorized: ${creds ? 'incorrect username or password' : 'authentication required'} (token service ${tokenUrl.origin}${tokenUrl.pathname} answered ${res.status})`,
      );
    }
    if (!res.ok) throw new RegistryError('runtime', `token service ${tokenUrl.origin}${tokenUrl.pathname}: ${await errorText(res)}`);
    let v: unknown;
    try {
      v = await res.json();
    } catch {
      throw invalid(`token service ${tokenUrl.origin}${tokenUrl.pathname} answered invalid JSON`);
    }
    const o = v as { token?: unknown; access_token?: unknown };
    const token = typeof o?.token === 'string' && o.token ? o.token : typeof o?.access_token === 'string' ? o.access_token : '';
    if (!token) throw invalid(`token service ${tokenUrl.origin}${tokenUrl.pathname} answered no token`);
    this.auth = `Bearer ${token}`;
  }

  /**
   * One request with auth. A 401 on a replayable request re-authenticates once (a token may
   * expire); `ok` lists the statuses the caller handles itself, others become errors.
   */
  async request(
    method: string,
    path: string,
    init: { headers?: Record<string, string>; body?: RequestInit['body']; ok?: number[]; what?: string; duplex?: boolean } = {},
  ): Promise<Response> {
    await this.connect();
    const url = this.url(path);
    const send = async () => {
      const headers: Record<string, string> = { ...(init.headers ?? {}) };
      // Credentials go only to the registry itself, never to a redirect target on another host.
      if (this.auth && onRegistry(url, this.base)) headers.authorization = this.auth;
      try {
        return await fetch(url, {
          method,
          headers,
          body: init.body ?? null,
          redirect: 'follow',
          ...this.abortable(),
          ...(init.duplex ? { duplex: 'half' } : {}),
        } as RequestInit);
      } catch (e) {
        throw networkError(method, url, e, this.opts.signal);
      }
    };
    let res = await send();
    debug(() => `registry: ${method} ${url} → ${res.status}`);
    if (res.status === 401 && !init.duplex) {
      await res.arrayBuffer().catch(() => undefined);
      const ch = parseChallenge(res.headers.get('www-authenticate'));
      if (ch) this.challenge = ch;
      await this.authenticate();
      res = await send();
    }
    const ok = init.ok ?? [];
    if (res.ok || ok.includes(res.status)) return res;
    const text = await errorText(res);
    const what = init.what ?? `${method} ${path}`;
    if (res.status === 401) throw unauthorized(`${what}: ${text}`);
    if (res.status === 403) throw unauthorized(`${what}: ${text.startsWith('denied') ? text : `denied: ${text}`}`);
    if (res.status === 404) throw notFound(`${what}: ${text}`);
    throw new RegistryError('runtime', `${what}: ${text}`);
  }
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: IncomingMessage;
}

/**
 * A GET whose body is read as a Node stream (blob downloads): node:http costs about half the
 * CPU of fetch's web streams for large bodies. Follows redirects (a registry may send blobs
 * from other storage), sending credentials only to the registry itself.
 */
export async function rawGet(client: RegistryClient, path: string, headers: Record<string, string>, what: string): Promise<RawResponse> {
  await client.connect();
  let url = new URL(client.url(path));
  let retried = false;
  for (let hop = 0; hop < 6; hop++) {
    const h: Record<string, string> = { ...headers };
    const auth = client.authorization();
    if (auth && onRegistry(url, client.base)) h.authorization = auth;
    const signal = client.opts.signal;
    signal?.throwIfAborted();
    const res = await new Promise<IncomingMessage>((resolve, reject) => {
      // With a signal, node destroys the request and its response on abort (the body's reader
      // gets the abort error, and the connection closes: the registry stops sending).
      const req = (url.protocol === 'https:' ? httpsGet : httpGet)(url, { headers: h, ...(signal ? { signal } : {}) }, resolve);
      req.on('error', (e) => reject(networkError('GET', url.toString(), { cause: e }, signal)));
    });
    const status = res.statusCode ?? 0;
    if ([301, 302, 303, 307, 308].includes(status) && res.headers.location) {
      res.resume();
      url = new URL(res.headers.location, url);
      continue;
    }
    if (status === 401 && !retried) {
      // a token may have expired: authenticate again and retry once
      res.resume();
      retried = true;
      await client.reauthenticate(res.headers['www-authenticate'] as string | undefined);
      url = new URL(client.url(path));
      hop = -1;
      continue;
    }
    if (status >= 200 && status < 300) return { status, headers: res.headers, body: res };
    const text = await errorText(
      new Response(
        await new Promise<Buffer>((r) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => r(Buffer.concat(chunks)));
          res.on('error', () => r(Buffer.alloc(0)));
        }),
        { status, statusText: res.statusMessage ?? '' },
      ),
    );
    if (status === 401 || status === 403) throw unauthorized(`${what}: ${text}`);
    if (status === 404) throw notFound(`${what}: ${text}`);
    throw new RegistryError('runtime', `${what}: ${text}`);
  }
  throw new RegistryError('runtime', `${what}: too many redirects`);
}

export const MANIFEST_ACCEPT = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');
