/**
 * `import URL`: the tarball fetched over http(s), as dockerd fetches `fromSrc` (its message for a
 * bad status: "failed to GET URL with status 404 Not Found"). Node's fetch streams the body, so
 * a large rootfs is never held in memory.
 */
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { invalid } from '../errors.js';

export async function openUrl(url: URL): Promise<Readable> {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw invalid(`unsupported URL scheme: ${url.protocol} (http or https)`);
  let res: Response;
  try {
    res = await fetch(url, { redirect: 'follow' });
  } catch (e) {
    const cause = (e as { cause?: Error }).cause?.message ?? (e as Error).message;
    throw invalid(`failed to GET ${url.href}: ${cause}`);
  }
  if (!res.ok || !res.body) {
    await res.body?.cancel().catch(() => undefined);
    throw invalid(`failed to GET ${url.href} with status ${res.status} ${res.statusText}`);
  }
  return Readable.fromWeb(res.body as WebReadableStream<Uint8Array>);
}
