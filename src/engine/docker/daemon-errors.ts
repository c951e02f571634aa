/**
 * A daemon's failures as EngineErrors, in the daemon's own words: an HTTP status with docker's
 * `{"message": …}` body (Podman adds `cause` and `response`), or a connection that failed
 * before any answer (no socket, refused, TLS, ssh), which says which host could not be reached.
 */
import { EngineError, type ErrorKind } from '../errors.js';

export function kindOfStatus(status: number | undefined, message = ''): ErrorKind {
  if (status === 404) return 'not-found';
  if (status === 409) return 'conflict';
  // "client version 1.51 is too old. Minimum supported API version is 1.52": nothing the
  // request could change.
  if (status === 400 && /client version .* is too (old|new)/i.test(message)) return 'unsupported';
  if (status === 400) return 'invalid';
  if (status === 501) return 'unsupported';
  return 'runtime';
}

/** The message of an error answer: docker's JSON `message`, else the body's text, else the status. */
export function messageOfBody(status: number, body: Buffer): string {
  const text = body.toString().trim();
  try {
    const o: unknown = JSON.parse(text);
    if (o && typeof o === 'object' && typeof (o as { message?: unknown }).message === 'string') return (o as { message: string }).message;
  } catch {
    // not JSON: a proxy's page, or plain text
  }
  return text || `HTTP ${status}`;
}

/** An answer with status ≥ 400 as an EngineError; `label` names the daemon. */
export function errorOfResponse(status: number, body: Buffer, label: string): EngineError {
  const message = messageOfBody(status, body);
  // Go's TLS server answers plain HTTP with this 400: the connection, not the request, is wrong.
  if (status === 400 && /HTTP request to an HTTPS server/i.test(message)) {
    return new EngineError(
      'runtime',
      `Cannot connect to the Docker daemon at ${label}. TLS: the daemon speaks TLS on this port (add --tlsverify and its certificates, or --tls)`,
    );
  }
  return new EngineError(kindOfStatus(status, message), message);
}

const UNTRUSTED = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_SIGNATURE_FAILURE',
]);

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
  if (
    /alert (bad certificate|certificate required|unknown ca|certificate unknown)/i.test(msg) ||
    /ALERT_(BAD_CERTIFICATE|CERTIFICATE_REQUIRED|UNKNOWN_CA)/.test(code)
  ) {
    return 'TLS: the daemon refused the connection for want of a client certificate it trusts (--tlscert and --tlskey, or cert.pem and key.pem in DOCKER_CERT_PATH)';
  }
  if (/wrong version number|packet length too long|http request/i.test(msg))
    return `TLS: the daemon does not speak TLS on this port (drop --tls/--tlsverify?): ${msg.split('\n')[0]}`;
  return undefined;
}

/** A failure without an HTTP answer (the connection, TLS, ssh) or an abort, as an EngineError. */
export function toEngineError(e: unknown, label: string): EngineError {
  if (e instanceof EngineError) return e;
  const err = e as { name?: string; code?: string; message?: string } | undefined;
  if (err?.name === 'AbortError') return new EngineError('runtime', 'aborted', { cause: e });
  const why = err?.code === 'ENOENT' || err?.code === 'ECONNREFUSED' ? 'Is the docker daemon running?' : (tlsReason(err) ?? err?.message ?? String(e));
  return new EngineError('runtime', `Cannot connect to the Docker daemon at ${label}. ${why}`.trim(), { cause: e });
}
