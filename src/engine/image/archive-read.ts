/**
 * Reading image archives (`load`): docker-archive (manifest.json, as `docker save` writes it,
 * old layout or ≥ 25's blobs/sha256 layout) and OCI image layouts (index.json). The archive is
 * unpacked into a staging dir with the same safe extraction as layers, then every document is
 * validated and every digest checked before anything enters the store.
 */
import { existsSync, readFileSync, mkdirSync, lstatSync, createReadStream } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ApplyStream } from '../fs/apply-tar.js';
import { invalid, isEngineError } from '../errors.js';
import { sha256, hexOf } from './digest.js';
import { decompressor, detectFileCompression } from './compression.js';
import { joinNoSymlinks } from '../fs/safe-path.js';
import { parseJson, validateConfig, validateIndex, validateManifest, ociArch, type Descriptor, type ImageConfig, MT } from './oci.js';
import type { Staging } from './staging.js';

export interface ArchiveImage {
  configBytes: Buffer;
  config: ImageConfig;
  /** Per layer: the file inside the extracted archive, its digest as a blob, its media type. */
  layers: { file: string; blobDigest: string; mediaType: string }[];
  tags: string[];
}

async function extractArchive(file: string, dest: string): Promise<void> {
  const apply = new ApplyStream(dest, {
    what: 'invalid image archive',
    owner: { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 },
    types: ['file', 'dir', 'symlink'],
  });
  try {
    await pipeline(createReadStream(file, { highWaterMark: 1 << 20 }), decompressor(detectFileCompression(file)), apply);
  } catch (e) {
    throw isEngineError(e) ? e : invalid(`invalid image archive: ${(e as Error).message}`);
  }
}

/** A file inside the archive, refusing paths that leave it and symlinks. */
function member(root: string, rel: string): string {
  const p = joinNoSymlinks(root, rel);
  if (!existsSync(p) || !lstatSync(p).isFile()) throw invalid(`invalid image archive: ${rel} is missing`);
  return p;
}

function readVerified(root: string, rel: string, digest?: string): Buffer {
  const b = readFileSync(member(root, rel));
  if (digest && sha256(b) !== digest) throw invalid(`invalid image archive: ${rel} does not match its digest ${digest}`);
  return b;
}

export async function readArchive(source: Readable, stage: Staging): Promise<ArchiveImage[]> {
  const file = (await stage.writeBlobStream(source)).file;
  const root = stage.file('archive');
  mkdirSync(root);
  await extractArchive(file, root);
  if (existsSync(join(root, 'manifest.json'))) return readDockerArchive(root);
  if (existsSync(join(root, 'index.json'))) return readOciLayout(root);
  throw invalid('invalid image archive: neither manifest.json (docker-archive) nor index.json (OCI layout) found');
}

function readDockerArchive(root: string): ArchiveImage[] {
  const list = parseJson(readFileSync(member(root, 'manifest.json')), 'manifest.json');
  if (!Array.isArray(list)) throw invalid('invalid image archive: manifest.json is not a list');
  return list.map((entry: unknown, i) => {
    const e = entry as { Config?: unknown; RepoTags?: unknown; Layers?: unknown };
    if (typeof e.Config !== 'string' || !Array.isArray(e.Layers) || !e.Layers.every((l) => typeof l === 'string')) {
      throw invalid(`invalid image archive: manifest.json entry ${i} is malformed`);
    }
    const hexName = /([a-f0-9]{64})(\.json)?$/.exec(e.Config)?.[1];
    const configBytes = readVerified(root, e.Config, hexName ? `sha256:${hexName}` : undefined);
    const config = validateConfig(parseJson(configBytes, e.Config));
    if (config.rootfs.diff_ids.length !== e.Layers.length) throw invalid('invalid image archive: layer count does not match the config');
    const tags = Array.isArray(e.RepoTags) ? e.RepoTags.filter((t): t is string => typeof t === 'string') : [];
    const layers = (e.Layers as string[]).map((rel) => {
      const f = member(root, rel);
      const c = detectFileCompression(f);
      return { file: f, blobDigest: '', mediaType: c === 'gzip' ? MT.dockerLayerGzip : MT.dockerLayer };
    });
    return { configBytes, config, layers, tags };
  });
}

function blobRel(d: Descriptor): string {
  return join('blobs', 'sha256', hexOf(d.digest));
}

function readOciLayout(root: string): ArchiveImage[] {
  const index = validateIndex(parseJson(readFileSync(member(root, 'index.json')), 'index.json'));
  const out: ArchiveImage[] = [];
  const visit = (d: Descriptor, name: string | undefined, depth: number): void => {
    if (depth > 4) throw invalid('invalid image archive: indexes nested too deep');
    const bytes = readVerified(root, blobRel(d), d.digest);
    const doc = parseJson(bytes, d.digest) as { mediaType?: string; manifests?: unknown };
    if (Array.isArray(doc.manifests)) {
      const sub = validateIndex(doc);
      const want = sub.manifests.find((m) => !m.platform || (m.platform.architecture === ociArch() && m.platform.os === 'linux'));
      if (!want) throw invalid(`no image for linux/${ociArch()} in the archive`);
      visit(want, name, depth + 1);
      return;
    }
    const man = validateManifest(doc);
    const configBytes = readVerified(root, blobRel(man.config), man.config.digest);
    const config = validateConfig(parseJson(configBytes, 'image config'));
    if (config.rootfs.diff_ids.length !== man.layers.length) throw invalid('invalid image archive: layer count does not match the config');
    out.push({
      configBytes,
      config,
      layers: man.layers.map((l) => ({ file: member(root, blobRel(l)), blobDigest: l.digest, mediaType: l.mediaType })),
      tags: name ? [name] : [],
    });
  };
  for (const m of index.manifests) {
    const a = m.annotations ?? {};
    const full = a['io.containerd.image.name'];
    const ref = a['org.opencontainers.image.ref.name'];
    // A bare ref.name ("latest") is only a tag; without a repository it cannot name an image.
    visit(m, full ?? (ref && (ref.includes(':') || ref.includes('/')) ? ref : undefined), 0);
  }
  return out;
}
