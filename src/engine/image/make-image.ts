/** Builds the config and manifest documents of a new image from its layers. */
import type { OciImageConfigBody } from '../api.js';
import { MT, ociArch, type ImageConfig, type HistoryEntry, type Manifest } from './oci.js';
import type { StagedLayer } from './store.js';

export function newConfig(opts: {
  base?: ImageConfig;
  config: OciImageConfigBody;
  diffIds: string[];
  history: HistoryEntry;
  created: string;
  author?: string;
  comment?: string;
}): ImageConfig {
  return {
    architecture: opts.base?.architecture ?? ociArch(),
    os: opts.base?.os ?? 'linux',
    ...(opts.base?.variant ? { variant: opts.base.variant } : {}),
    created: opts.created,
    ...(opts.author ? { author: opts.author } : {}),
    ...(opts.comment ? { comment: opts.comment } : {}),
    config: opts.config,
    rootfs: { type: 'layers', diff_ids: opts.diffIds },
    history: [...(opts.base?.history ?? []), opts.history],
  };
}

export function newManifest(configDigest: string, configSize: number, layers: StagedLayer[]): Manifest {
  return {
    schemaVersion: 2,
    mediaType: MT.ociManifest,
    config: { mediaType: MT.ociConfig, digest: configDigest, size: configSize },
    layers: layers.map((l) => ({ mediaType: l.mediaType, digest: l.blobDigest, size: l.blobSize })),
  };
}

export function layerMediaType(compression: 'none' | 'gzip' | 'zstd'): string {
  return compression === 'gzip' ? MT.ociLayerGzip : compression === 'zstd' ? MT.ociLayerZstd : MT.ociLayer;
}
