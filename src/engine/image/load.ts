/** `load`: images from a docker-archive or OCI archive into the store. */
import { mkdirSync, createReadStream, statSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Writable } from 'node:stream';
import type { ProgressFn } from '../api.js';
import { invalid } from '../errors.js';
import { readArchive } from './archive-read.js';
import { HashingStream, sha256 } from './digest.js';
import { detectFileCompression } from './compression.js';
import { unpackLayer } from './layer-unpack.js';
import { newManifest } from './make-image.js';
import { canonical, familiar, parseReference } from './reference.js';
import { Staging } from './staging.js';
import type { ImageStore, StagedLayer } from './store.js';

async function hashFile(file: string): Promise<{ digest: string; size: number }> {
  const h = new HashingStream();
  await pipeline(createReadStream(file), h, new Writable({ write: (_c, _e, cb) => cb() }));
  return { digest: h.digest(), size: h.bytes };
}

export async function loadArchive(store: ImageStore, source: Readable, progress?: ProgressFn): Promise<string[]> {
  const stage = new Staging(store.paths.tmp);
  try {
    const images = await readArchive(source, stage);
    if (images.length === 0) throw invalid('invalid image archive: it holds no image');
    const loaded: string[] = [];
    for (const img of images) {
      const tags = img.tags.map((t) => canonical(parseReference(t)));
      const layers: StagedLayer[] = [];
      for (let i = 0; i < img.layers.length; i++) {
        const src = img.layers[i]!;
        const diffId = img.config.rootfs.diff_ids[i]!;
        const have = store.layer(diffId);
        if (have) {
          progress?.({ id: diffId.slice(7, 19), status: 'Already exists' });
          layers.push({ diffId, blobDigest: have.blob_digest, blobSize: have.blob_size, mediaType: have.media_type, size: have.size });
          continue;
        }
        progress?.({ id: diffId.slice(7, 19), status: 'Loading layer' });
        const diffDir = stage.file();
        mkdirSync(diffDir);
        const { diffId: got, size } = await unpackLayer(src.file, diffDir);
        if (got !== diffId) throw invalid(`invalid image archive: layer ${i} does not match its diff id ${diffId}`);
        const blob = detectFileCompression(src.file) === 'none' ? { digest: got, size: statSync(src.file).size } : await hashFile(src.file);
        if (src.blobDigest && src.blobDigest !== blob.digest) throw invalid(`invalid image archive: layer blob does not match its digest ${src.blobDigest}`);
        layers.push({ diffId, blobDigest: blob.digest, blobSize: blob.size, mediaType: src.mediaType, size, blobFile: src.file, diffDir });
      }
      const cfg = stage.writeBlob(img.configBytes);
      const man = newManifest(cfg.digest, cfg.size, layers);
      const manBytes = Buffer.from(JSON.stringify(man));
      const manBlob = stage.writeBlob(manBytes);
      const id = store.commitInto({
        config: cfg,
        manifest: { ...manBlob, mediaType: man.mediaType! },
        created: img.config.created ?? new Date(0).toISOString(),
        layers,
        tags,
      });
      if (sha256(img.configBytes) !== id) throw new Error('internal: image id mismatch');
      loaded.push(...(tags.length ? tags.map((t) => `Loaded image: ${familiar(t)}`) : [`Loaded image ID: ${id}`]));
    }
    stage.dispose();
    return loaded;
  } catch (e) {
    stage.dispose();
    throw e;
  }
}
