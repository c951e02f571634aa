/**
 * POST /build's body is the build context as a tar (plain or gzip, as `docker build --compress`
 * sends it). It is unpacked into a private directory that the builder reads like a local
 * context, and removed after the build. node-tar's Unpack is the right tool here (unlike for a
 * root filesystem): a context is ordinary files, and its refusal to write through symlinks or
 * outside the directory is what an untrusted upload needs.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { x as untar } from 'tar';
import { ApiError } from './errors.js';

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
    await pipeline(body, untar({ cwd: dir, strict: true, preserveOwner: false }));
    return { dir, dockerfile: join(dir, relative(dir, df)), remove };
  } catch (e) {
    await remove();
    if (e instanceof ApiError) throw e;
    throw new ApiError(400, `failed to read the build context: ${(e as Error).message}`);
  }
}
