/**
 * `pull`: manifest (an index or list narrowed to one platform), config and layers from a
 * registry into the store. Every manifest and blob is verified against its digest as it
 * streams in; layers the store already holds (by diff id) are not fetched. Everything lands in
 * one staging dir and enters the store in one commit, so a failure or a kill leaves nothing.
 * An AbortSignal cancels it the same way: requests and blob bodies stop, the staging dir goes.
 */
import { createHash } from 'node:crypto';
import { open, mkdir, rm } from 'node:fs/promises';
import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import type { ProgressFn } from '../api.js';
import { invalid } from '../errors.js';
import { unpackLayer, unpackLayerStream, type UnpackResult } from '../image/layer-unpack.js';
import { detectCompression } from '../image/compression.js';
import { MT, ociArch, parseJson, validateConfig, validateIndex, validateManifest, type Descriptor, type ImageConfig, type Manifest } from '../image/oci.js';
import { canonical, familiar, parseReference, repositoryOf, type Reference } from '../image/reference.js';
import { Staging } from '../image/staging.js';
import type { ImageStore, StagedLayer } from '../image/store.js';
import { sha256 } from '../image/digest.js';
import type { Credentials } from './credentials.js';
import { MANIFEST_ACCEPT, RegistryClient, rawGet, type RawResponse } from './client.js';

import { parsePlatform, type Platform } from '../image/platform.js';

export { parsePlatform, type Platform };

const fmt = (p: Platform) => `${p.os}/${p.architecture}${p.variant ? `/${p.variant}` : ''}`;

function platformMatches(want: Platform, got: { os?: string; architecture?: string; variant?: string } | undefined): boolean {
  if (!got || got.os !== want.os || got.architecture !== want.architecture) return false;
  // arm64's variant is optional (v8 is the only one); elsewhere a requested variant must match
  if (want.variant && got.variant && want.variant !== got.variant) return want.architecture === 'arm64' && got.variant === 'v8';
  return true;
}

const INDEX_TYPES: string[] = [MT.ociIndex, MT.dockerList];

export interface FetchedManifest {
  bytes: Buffer;
  digest: string;
  mediaType: string;
}

/** GET a manifest, checking it against the digest asked for (or the one the registry claims). */
export async function fetchManifest(client: RegistryClient, ref: string, label: string): Promise<FetchedManifest> {
  const res = await client.request('GET', `/v2/${client.opts.path}/manifests/${ref}`, {
    headers: { accept: MANIFEST_ACCEPT },
    what: `manifest for ${label}`,
  });
  const bytes = Buffer.from(await res.arrayBuffer());
  if (bytes.length > 4 * 1024 * 1024) throw invalid(`manifest for ${label} is too large`);
  const digest = sha256(bytes);
  if (ref.startsWith('sha256:') && ref !== digest) throw invalid(`manifest verification failed for digest ${ref}: got ${digest}`);
  const claimed = res.headers.get('docker-content-digest');
  if (claimed && claimed.startsWith('sha256:') && claimed !== digest)
    throw invalid(`manifest for ${label}: the registry says ${claimed} but the content is ${digest}`);
  const v = parseJson(bytes, `manifest for ${label}`) as { mediaType?: unknown; manifests?: unknown };
  const header = (res.headers.get('content-type') ?? '').split(';')[0]!.trim();
  const mediaType = typeof v?.mediaType === 'string' ? v.mediaType : Array.isArray(v?.manifests) ? MT.ociIndex : header || MT.ociManifest;
  return { bytes, digest, mediaType };
}

/** Downloads a blob into `file`, hashing as it streams; resumes with Range after a broken read. */
export interface BlobSink {
  /** Each verified-so-far chunk, in order; awaited (back-pressure). */
  chunk(c: Uint8Array): Promise<void> | void;
  /** The download restarted from byte 0: what the sink got so far is void. */
  restart(): void;
}

export async function downloadBlob(client: RegistryClient, desc: Descriptor, file: string, progress?: (n: number) => void, sink?: BlobSink): Promise<void> {
  const fh = await open(file, 'w', 0o600);
  try {
    let hash = createHash('sha256');
    let got = 0;
    let lastError: unknown;
    const signal = client.opts.signal;
    for (let attempt = 0; attempt < 4; attempt++) {
      signal?.throwIfAborted(); // a cancelled pull is not retried
      let res: RawResponse;
      try {
        res = await rawGet(client, `/v2/${client.opts.path}/blobs/${desc.digest}`, got > 0 ? { range: `bytes=${got}-` } : {}, `blob ${desc.digest}`);
      } catch (e) {
        if (e instanceof Error && e.name === 'EngineError' && !/reset|timeout/.test(e.message)) throw e;
        lastError = e;
        continue;
      }
      if (got > 0 && res.status !== 206) {
        // the registry ignored Range: start over
        hash = createHash('sha256');
        got = 0;
        await fh.truncate(0);
        sink?.restart();
      }
      try {
        for await (const chunk of res.body as AsyncIterable<Buffer>) {
          if (got + chunk.length > desc.size) throw invalid(`blob ${desc.digest} is larger than its descriptor says (${desc.size} bytes)`);
          hash.update(chunk);
          const w = fh.write(chunk, 0, chunk.length, got);
          got += chunk.length;
          await Promise.all([w, sink?.chunk(chunk)]);
          progress?.(got);
        }
        if (got < desc.size) {
          lastError = new Error(`connection closed after ${got} of ${desc.size} bytes`);
          continue; // resume from here
        }
        lastError = undefined;
        break;
      } catch (e) {
        if (e instanceof Error && e.name === 'EngineError') throw e;
        signal?.throwIfAborted();
        lastError = e;
      }
    }
    signal?.throwIfAborted();
    if (lastError) throw invalid(`download of ${desc.digest} failed: ${(lastError as Error).message}`);
    const digest = `sha256:${hash.digest('hex')}`;
    if (got !== desc.size || digest !== desc.digest) throw invalid(`filesystem layer verification failed for digest ${desc.digest}`);
  } finally {
    await fh.close();
  }
}

async function limit<T>(n: number, items: T[], fn: (t: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  let failed: unknown;
  const worker = async () => {
    while (next < items.length && failed === undefined) {
      const i = next++;
      try {
        await fn(items[i]!, i);
      } catch (e) {
        failed ??= e;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
  if (failed !== undefined) throw failed;
}

const short = (d: string) => d.slice(7, 19);

export async function pullImage(
  store: ImageStore,
  refText: string,
  opts: { platform?: string; progress?: ProgressFn; credentials?: Credentials; signal?: AbortSignal } = {},
): Promise<string> {
  opts.signal?.throwIfAborted();
  const ref: Reference = parseReference(refText);
  const want = parsePlatform(opts.platform);
  const label = familiar(canonical(ref));
  const progress = opts.progress;
  const client = new RegistryClient({
    domain: ref.domain,
    path: ref.path,
    actions: ['pull'],
    ...(opts.credentials ? { credentials: opts.credentials } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  const top = await fetchManifest(client, ref.digest ?? ref.tag!, label);
  progress?.({ id: '', status: `${ref.digest ?? ref.tag}: Pulling from ${ref.path}` });
  let man: FetchedManifest = top;
  if (INDEX_TYPES.includes(top.mediaType)) {
    const index = validateIndex(parseJson(top.bytes, `index for ${label}`), `index for ${label}`);
    const choice = index.manifests.find((m) => platformMatches(want, m.platform));
    if (!choice) {
      const have = index.manifests.map((m) => (m.platform ? fmt(m.platform as Platform) : '?')).join(', ');
      throw invalid(`no matching manifest for ${fmt(want)} in the manifest list entries (${label} has: ${have})`);
    }
    man = await fetchManifest(client, choice.digest, label);
    if (INDEX_TYPES.includes(man.mediaType)) throw invalid(`manifest for ${label}: nested image indexes are not supported`);
  }
  const manifest: Manifest = validateManifest(parseJson(man.bytes, `manifest for ${label}`), `manifest for ${label}`);
  if (manifest.config.mediaType.includes('schema1') || man.mediaType.includes('v1+prettyjws'))
    throw invalid(`${label}: Docker image format v1 (schema 1) is not supported`);

  const stage = new Staging(store.paths.tmp);
  try {
    const cfgFile = stage.file('config');
    await downloadBlob(client, manifest.config, cfgFile);
    const { readFileSync } = await import('node:fs');
    const cfgBytes = readFileSync(cfgFile);
    const config: ImageConfig = validateConfig(parseJson(cfgBytes, `image config of ${label}`));
    if (config.rootfs.diff_ids.length !== manifest.layers.length)
      throw invalid(`${label}: the config lists ${config.rootfs.diff_ids.length} layers but the manifest ${manifest.layers.length}`);
    if (!platformMatches(want, config)) {
      // docker only warns when no platform was asked for; an explicit --platform must match
      if (!opts.platform)
        progress?.({
          id: '',
          status: `WARNING: The requested image's platform (${fmt(config as Platform)}) does not match the detected host platform (${fmt(want)})`,
        });
      else
        throw invalid(
          `image with reference ${label} was found but does not match the specified platform: wanted ${fmt(want)}, actual: ${fmt(config as Platform)}`,
        );
    }
    const layers: StagedLayer[] = new Array(manifest.layers.length);
    const todo: number[] = [];
    manifest.layers.forEach((d, i) => {
      const diffId = config.rootfs.diff_ids[i]!;
      const have = store.layer(diffId);
      if (have && store.hasBlob(have.blob_digest)) {
        progress?.({ id: short(d.digest), status: 'Already exists' });
        layers[i] = { diffId, blobDigest: have.blob_digest, blobSize: have.blob_size, mediaType: have.media_type, size: have.size };
      } else {
        progress?.({ id: short(d.digest), status: 'Pulling fs layer' });
        todo.push(i);
      }
    });
    // The same blob may appear twice in one image: fetch it once.
    const seen = new Map<string, Promise<{ diffDir: string; diffId: string; size: number; blobFile: string }>>();
    await limit(3, todo, async (i) => {
      const d = manifest.layers[i]!;
      const diffId = config.rootfs.diff_ids[i]!;
      let job = seen.get(d.digest);
      if (!job) {
        job = (async () => {
          const blobFile = stage.file();
          const diffDir = stage.file();
          await mkdir(diffDir);
          const id = short(d.digest);
          // Unpack while downloading; the digest check at the end decides whether it counts.
          let feed: PassThrough | undefined = new PassThrough({ highWaterMark: 1 << 20 });
          let unpacking: Promise<UnpackResult> | undefined;
          const sink: BlobSink = {
            chunk: async (c) => {
              if (!feed) return;
              if (!unpacking) {
                unpacking = unpackLayerStream(feed, detectCompression(Buffer.from(c.subarray(0, 4))), diffDir);
                unpacking.catch(() => undefined);
              }
              if (!feed.write(c)) {
                const flowing = await Promise.race([
                  once(feed, 'drain').then(
                    () => true,
                    () => false,
                  ),
                  unpacking.then(
                    () => true,
                    () => false,
                  ),
                ]);
                if (!flowing) {
                  // unpacking failed: finish the download anyway, its digest decides which error to report
                  feed.destroy();
                  feed = undefined;
                }
              }
            },
            restart: () => {
              feed?.destroy();
              feed = undefined;
            },
          };
          try {
            await downloadBlob(client, d, blobFile, (n) => progress?.({ id, status: 'Downloading', current: n, total: d.size }), sink);
          } catch (e) {
            feed?.destroy();
            await unpacking?.catch(() => undefined);
            throw e;
          }
          progress?.({ id, status: 'Verifying Checksum' });
          progress?.({ id, status: 'Download complete' });
          progress?.({ id, status: 'Extracting' });
          let r: UnpackResult;
          if (feed && unpacking) {
            feed.end();
            r = await unpacking;
          } else {
            // restarted (or empty): unpack the verified file
            await unpacking?.catch(() => undefined);
            await rm(diffDir, { recursive: true, force: true });
            await mkdir(diffDir);
            r = await unpackLayer(blobFile, diffDir);
          }
          progress?.({ id, status: 'Pull complete' });
          return { diffDir, blobFile, ...r };
        })();
        seen.set(d.digest, job);
        const r = await job;
        if (r.diffId !== diffId) throw invalid(`layer ${d.digest} of ${label} does not match its diff id ${diffId} (got ${r.diffId})`);
        layers[i] = { diffId, blobDigest: d.digest, blobSize: d.size, mediaType: d.mediaType, size: r.size, blobFile: r.blobFile, diffDir: r.diffDir };
      } else {
        const r = await job;
        layers[i] = { diffId, blobDigest: d.digest, blobSize: d.size, mediaType: d.mediaType, size: r.size };
      }
    });
    // The last point a cancel counts: after the commit the image is whole and stays.
    opts.signal?.throwIfAborted();
    const manFile = stage.file('manifest');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(manFile, man.bytes);
    const tags = ref.digest ? [] : [canonical(ref)];
    const id = store.commit(
      {
        config: { digest: manifest.config.digest, file: cfgFile },
        manifest: { digest: man.digest, file: manFile, mediaType: man.mediaType },
        created: config.created ?? new Date(0).toISOString(),
        layers,
        tags,
        repoDigests: [`${repositoryOf(ref)}@${top.digest}`],
      },
      stage,
    );
    progress?.({ id: '', status: `Digest: ${top.digest}` });
    return id;
  } catch (e) {
    stage.dispose();
    throw e;
  }
}
