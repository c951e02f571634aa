/**
 * POST /build's body is the build context as a tar (plain or gzip, as `docker build --compress`
 * sends it). It is unpacked into a private directory that the builder reads like a local
 * context, and removed after the build, with the engine's host-side applier (the one `cp`
 * uses): nothing is written through a symlink or outside the directory, which is what an
 * untrusted upload needs.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { extractToHost } from '../engine/archive.js';
import { ApiError } from './errors.js';

/** The body, gunzipped when it starts with gzip's magic bytes. */
async function plainTar(body: Readable): Promise<Readable> {
  const it = body[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const first = await it.next();
  const rest = Readable.from(
    (async function* () {
      if (!first.done) yield first.value;
      for (let n = await it.next(); !n.done; n = await it.next()) yield n.value;
    })(),
  );
  if (first.done || first.value[0] !== 0x1f || first.value[1] !== 0x8b) return rest;
  const gz = createGunzip();
  rest.on('error', (e) => gz.destroy(e));
  return rest.pipe(gz);
}

export interface UnpackedContext {
  dir: string;
  /** Absolute path of the Dockerfile inside `dir`. */
  dockerfile: string;
  remove(): Promise<void>;
}

export async function unpackContext(body: Readable, dockerfile: string): Promise<UnpackedContext> {
  const dir = await mkdtemp(join(tmpdir(), 'berth-build-'));
  const remove = () => rm(dir, { recursive: true, force: true });
  try {
    const df = resolve(dir, dockerfile);
    if (df !== dir && !df.startsWith(dir + sep)) throw new ApiError(400, `the Dockerfile (${dockerfile}) must be within the build context`);
    // an empty body is an empty context (a Dockerfile-less build then fails with docker's message)
    await extractToHost(await plainTar(body), dir);
    return { dir, dockerfile: join(dir, relative(dir, df)), remove };
  } catch (e) {
    await remove();
    if (e instanceof ApiError) throw e;
    throw new ApiError(400, `failed to read the build context: ${(e as Error).message}`);
  }
}
