/**
 * `save`: a docker-archive as docker ≥ 25 writes it — manifest.json and repositories for
 * `docker load`, plus oci-layout and index.json so OCI tools (skopeo, podman) read it too.
 * Layers go in uncompressed (docker's format), decompressed on the fly from the store.
 */
import { createReadStream, statSync, createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { pack as tarPack } from 'tar-stream';
import { hexOf, sha256 } from './digest.js';
import { decompressor, detectFileCompression } from './compression.js';
import { MT } from './oci.js';
import { canonical, familiar, parseReference, splitTagged } from './reference.js';
import { Staging } from './staging.js';
import type { ImageStore } from './store.js';

interface Entry {
  name: string;
  file?: string;
  data?: Buffer;
}

export async function saveImages(store: ImageStore, refs: string[], out: Writable): Promise<void> {
  // Resolve everything first: an unknown name fails before a byte is written.
  const wanted = refs.map((ref) => {
    const row = store.resolve(ref);
    // Saved by name: that name goes in the archive; saved by id: no name, as docker does.
    const byName = store.tagsOf(row.id).find((t) => {
      try {
        return canonical(parseReference(ref)) === t;
      } catch {
        return false;
      }
    });
    return { row, tags: byName ? [byName] : [] };
  });
  const stage = new Staging(store.paths.tmp);
  try {
    const entries: Entry[] = [];
    const seen = new Set<string>();
    const blob = (digest: string, e: Omit<Entry, 'name'>) => {
      const name = `blobs/sha256/${hexOf(digest)}`;
      if (!seen.has(name)) {
        seen.add(name);
        entries.push({ name, ...e });
      }
      return name;
    };
    const manifestJson: { Config: string; RepoTags: string[] | null; Layers: string[] }[] = [];
    const index: { schemaVersion: 2; mediaType: string; manifests: unknown[] } = { schemaVersion: 2, mediaType: MT.ociIndex, manifests: [] };
    const repositories: Record<string, Record<string, string>> = {};
    for (const { row, tags } of wanted) {
      const cfgName = blob(row.id, { file: store.blobPath(row.id) });
      const layerNames: string[] = [];
      const layerDescs = [];
      for (const diffId of store.layersOf(row.id)) {
        const l = store.layer(diffId)!;
        let file = store.blobPath(l.blob_digest);
        if (detectFileCompression(file) !== 'none') {
          const plain = stage.file();
          await pipeline(createReadStream(file), decompressor(detectFileCompression(file)), createWriteStream(plain));
          file = plain;
        }
        layerNames.push(blob(diffId, { file }));
        layerDescs.push({ mediaType: MT.ociLayer, digest: diffId, size: statSync(file).size });
      }
      const cfgSize = statSync(store.blobPath(row.id)).size;
      const ociManifest = Buffer.from(
        JSON.stringify({ schemaVersion: 2, mediaType: MT.ociManifest, config: { mediaType: MT.ociConfig, digest: row.id, size: cfgSize }, layers: layerDescs }),
      );
      const manDigest = sha256(ociManifest);
      blob(manDigest, { data: ociManifest });
      const familiarTags = tags.map(familiar);
      manifestJson.push({ Config: cfgName, RepoTags: familiarTags.length ? familiarTags : null, Layers: layerNames });
      const desc = { mediaType: MT.ociManifest, digest: manDigest, size: ociManifest.length };
      if (tags.length === 0) index.manifests.push(desc);
      for (const t of tags) {
        const { repository, tag } = splitTagged(t);
        index.manifests.push({ ...desc, annotations: { 'io.containerd.image.name': t, 'org.opencontainers.image.ref.name': tag } });
        (repositories[repository] ??= {})[tag] = hexOf(layerNames.length ? store.layersOf(row.id).at(-1)! : row.id);
      }
    }
    entries.unshift(
      { name: 'oci-layout', data: Buffer.from(JSON.stringify({ imageLayoutVersion: '1.0.0' })) },
      { name: 'index.json', data: Buffer.from(JSON.stringify(index)) },
      { name: 'manifest.json', data: Buffer.from(JSON.stringify(manifestJson)) },
    );
    if (Object.keys(repositories).length) entries.push({ name: 'repositories', data: Buffer.from(JSON.stringify(repositories)) });
    await writeTar(entries, out);
  } finally {
    stage.dispose();
  }
}

async function writeTar(entries: Entry[], out: Writable): Promise<void> {
  const p = tarPack();
  const piping = pipeline(p, out);
  const mtime = new Date(0);
  p.entry({ name: 'blobs', type: 'directory', mode: 0o755, mtime });
  p.entry({ name: 'blobs/sha256', type: 'directory', mode: 0o755, mtime });
  for (const e of entries) {
    if (e.data) {
      await new Promise<void>((res, rej) => p.entry({ name: e.name, mode: 0o644, mtime }, e.data!, (err) => (err ? rej(err) : res())));
    } else {
      const size = statSync(e.file!).size;
      await new Promise<void>((res, rej) => {
        const w = p.entry({ name: e.name, size, mode: 0o644, mtime }, (err) => (err ? rej(err) : res()));
        createReadStream(e.file!).on('error', rej).pipe(w);
      });
    }
  }
  p.finalize();
  await piping;
}
