/** `import`: a rootfs tarball (plain, gzip or zstd) becomes a one-layer image. */
import { mkdirSync } from 'node:fs';
import type { Readable } from 'node:stream';
import type { ImportOptions } from '../api.js';
import { applyChanges } from './changes.js';
import { BlobTee, peekCompression } from './blob-tee.js';
import { unpackLayerStream } from './layer-unpack.js';
import { layerMediaType, newConfig, newManifest } from './make-image.js';
import { canonical, parseReference } from './reference.js';
import { parsePlatform } from './platform.js';
import { Staging } from './staging.js';
import type { ImageStore, StagedLayer } from './store.js';

export async function importRootfs(store: ImageStore, source: Readable, opts: ImportOptions = {}, origin = '-'): Promise<string> {
  // Validate everything the user typed before touching the store.
  const tag = opts.reference ? canonical(parseReference(opts.reference)) : undefined;
  if (opts.reference && parseReference(opts.reference).digest) throw new Error('import: a digest cannot be a target');
  const config = applyChanges({}, opts.changes ?? []);
  // --platform names the image's os/architecture (docker's import does the same); default: this machine's
  const platform = opts.platform ? parsePlatform(opts.platform) : undefined;
  const stage = new Staging(store.paths.tmp);
  try {
    // One pass over the input: it is kept as the layer's blob, hashed and unpacked at once.
    const compression = await peekCompression(source);
    const diffDir = stage.file('diff');
    mkdirSync(diffDir);
    // An uncompressed blob is the tar itself: its digest is the diff id, hashed once.
    const blob = new BlobTee(stage.file(), compression !== 'none');
    const { diffId, size } = await unpackLayerStream(source, compression, diffDir, blob).finally(() => blob.destroy());
    const layer: StagedLayer = {
      diffId,
      blobDigest: compression === 'none' ? diffId : blob.digest(),
      blobSize: blob.bytes,
      mediaType: layerMediaType(compression),
      size,
      blobFile: blob.file,
      diffDir,
    };
    const created = new Date().toISOString();
    const cfg = newConfig({
      ...(platform
        ? {
            base: {
              architecture: platform.architecture,
              os: platform.os,
              ...(platform.variant ? { variant: platform.variant } : {}),
              rootfs: { type: 'layers', diff_ids: [] },
            },
          }
        : {}),
      config,
      diffIds: [diffId],
      created,
      history: { created, created_by: '', comment: opts.message ?? `Imported from ${origin}` },
      ...(opts.message ? { comment: opts.message } : {}),
    });
    const cfgBlob = stage.writeBlob(Buffer.from(JSON.stringify(cfg)));
    const man = newManifest(cfgBlob.digest, cfgBlob.size, [layer]);
    const manBlob = stage.writeBlob(Buffer.from(JSON.stringify(man)));
    return store.commit(
      {
        config: cfgBlob,
        manifest: { ...manBlob, mediaType: man.mediaType! },
        created,
        layers: [layer],
        tags: tag ? [tag] : [],
      },
      stage,
    );
  } catch (e) {
    stage.dispose();
    throw e;
  }
}
