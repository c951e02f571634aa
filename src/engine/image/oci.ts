/**
 * OCI / docker image documents: media types, and validation of manifests, indexes and configs
 * read from archives or registries (checked once here, trusted afterwards).
 */
import type { OciImageConfigBody } from '../api.js';
import { invalid } from '../errors.js';

export const MT = {
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  ociLayer: 'application/vnd.oci.image.layer.v1.tar',
  ociLayerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  ociLayerZstd: 'application/vnd.oci.image.layer.v1.tar+zstd',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  dockerLayer: 'application/vnd.docker.image.rootfs.diff.tar',
  dockerLayerGzip: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
} as const;

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
  platform?: { architecture: string; os: string; variant?: string };
}

export interface Manifest {
  schemaVersion: 2;
  mediaType?: string;
  config: Descriptor;
  layers: Descriptor[];
  annotations?: Record<string, string>;
}

export interface Index {
  schemaVersion: 2;
  mediaType?: string;
  manifests: Descriptor[];
}

export interface HistoryEntry {
  created?: string;
  created_by?: string;
  author?: string;
  comment?: string;
  empty_layer?: boolean;
}

export interface ImageConfig {
  architecture: string;
  os: string;
  variant?: string;
  created?: string;
  author?: string;
  comment?: string;
  config?: OciImageConfigBody;
  rootfs: { type: 'layers'; diff_ids: string[] };
  history?: HistoryEntry[];
  docker_version?: string;
  container?: string;
}

const DIGEST_RE = /^sha256:[a-f0-9]{64}$/;

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function checkDigest(d: unknown, what: string): string {
  if (typeof d !== 'string' || !DIGEST_RE.test(d)) throw invalid(`${what}: invalid digest ${JSON.stringify(d)}`);
  return d;
}

function descriptor(v: unknown, what: string): Descriptor {
  if (!isObj(v)) throw invalid(`${what}: descriptor is not an object`);
  if (typeof v.mediaType !== 'string') throw invalid(`${what}: descriptor has no mediaType`);
  if (typeof v.size !== 'number' || !Number.isSafeInteger(v.size) || v.size < 0) throw invalid(`${what}: bad size`);
  checkDigest(v.digest, what);
  return v as unknown as Descriptor;
}

export function parseJson(buf: Buffer | string, what: string): unknown {
  try {
    return JSON.parse(buf.toString());
  } catch {
    throw invalid(`${what} is not valid JSON`);
  }
}

export function validateManifest(v: unknown, what = 'manifest'): Manifest {
  if (!isObj(v) || v.schemaVersion !== 2) throw invalid(`${what}: unsupported schema`);
  descriptor(v.config, `${what} config`);
  if (!Array.isArray(v.layers)) throw invalid(`${what}: no layers`);
  v.layers.forEach((l, i) => descriptor(l, `${what} layer ${i}`));
  return v as unknown as Manifest;
}

export function validateIndex(v: unknown, what = 'index'): Index {
  if (!isObj(v) || v.schemaVersion !== 2 || !Array.isArray(v.manifests)) throw invalid(`${what}: not an image index`);
  v.manifests.forEach((m, i) => descriptor(m, `${what} entry ${i}`));
  return v as unknown as Index;
}

export function validateConfig(v: unknown, what = 'image config'): ImageConfig {
  if (!isObj(v)) throw invalid(`${what} is not an object`);
  if (!isObj(v.rootfs) || !Array.isArray(v.rootfs.diff_ids)) throw invalid(`${what}: no rootfs.diff_ids`);
  v.rootfs.diff_ids.forEach((d) => checkDigest(d, what));
  if (v.config !== undefined && v.config !== null && !isObj(v.config)) throw invalid(`${what}: config is not an object`);
  if (typeof v.architecture !== 'string' || typeof v.os !== 'string') throw invalid(`${what}: no architecture/os`);
  return v as unknown as ImageConfig;
}

export function isLayerMediaType(mt: string): boolean {
  return mt.includes('layer') || mt.includes('rootfs.diff');
}

/** Node's arch name → OCI's. */
export function ociArch(arch: string = process.arch): string {
  return ({ x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386', ppc64: 'ppc64le', s390x: 's390x' } as Record<string, string>)[arch] ?? arch;
}
