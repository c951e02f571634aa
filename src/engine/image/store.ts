/**
 * The image store: content-addressed blobs (manifests, configs, layer tars) under blobs/sha256,
 * each layer unpacked once under layers/<hex>/diff and shared by every image and container that
 * stacks it (overlayfs lowerdirs), and the image/tag rows in the state database.
 *
 * Crash safety: files reach their final names only by rename inside a write transaction
 * (BEGIN IMMEDIATE), so no other berth process sees a half-made store, and `gc` — which runs
 * under the same lock — can tell debris (on disk, not in the database) from live data.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, createReadStream, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { StateDb } from '../state/db.js';
import type { EnginePaths } from '../paths.js';
import { hexOf } from './digest.js';
import { renameIfAbsent, sweepStaging, type Staging } from './staging.js';
import { notFound, conflict, invalid } from '../errors.js';
import { parseReference, canonical, looksLikeId, repositoryOf } from './reference.js';
import { validateConfig, validateManifest, parseJson, type ImageConfig, type Manifest } from './oci.js';

export interface ImageRow {
  id: string;
  manifest_digest: string;
  manifest_type: string;
  created: string;
  added: string;
  size: number;
}

export interface LayerRow {
  diff_id: string;
  blob_digest: string;
  blob_size: number;
  media_type: string;
  size: number;
  created: string;
}

/** A layer ready to enter the store: its staged blob and (unless already stored) staged diff. */
export interface StagedLayer {
  diffId: string;
  blobDigest: string;
  blobSize: number;
  mediaType: string;
  size: number;
  blobFile?: string; // absent when the blob is already in the store
  diffDir?: string; // absent when the layer is already unpacked in the store
}

export interface StagedImage {
  config: { digest: string; file: string };
  manifest: { digest: string; file: string; mediaType: string };
  created: string;
  layers: StagedLayer[];
  /** Canonical names to point at the image (moved from any image that had them). */
  tags: string[];
  repoDigests?: string[];
}

export class ImageStore {
  constructor(
    readonly db: StateDb,
    readonly paths: EnginePaths,
  ) {
    mkdirSync(paths.blobs, { recursive: true, mode: 0o700 });
    mkdirSync(paths.layers, { recursive: true, mode: 0o700 });
  }

  // ---------------------------------------------------------------- blobs and layers

  blobPath(digest: string): string {
    return join(this.paths.blobs, hexOf(digest));
  }
  hasBlob(digest: string): boolean {
    return existsSync(this.blobPath(digest));
  }
  readBlob(digest: string): Buffer {
    try {
      return readFileSync(this.blobPath(digest));
    } catch {
      throw notFound(`blob ${digest} is missing from the store`);
    }
  }
  blobStream(digest: string): Readable {
    return createReadStream(this.blobPath(digest));
  }
  layerDir(diffId: string): string {
    return join(this.paths.layers, hexOf(diffId));
  }
  /** The directory overlayfs stacks for a layer. */
  diffDir(diffId: string): string {
    return join(this.layerDir(diffId), 'diff');
  }
  layer(diffId: string): LayerRow | undefined {
    return this.db.get<LayerRow>('SELECT * FROM layers WHERE diff_id = ?', diffId);
  }

  // ---------------------------------------------------------------- images

  config(id: string): ImageConfig {
    return validateConfig(parseJson(this.readBlob(id), 'image config'));
  }
  manifest(row: ImageRow): Manifest {
    return validateManifest(parseJson(this.readBlob(row.manifest_digest), 'manifest'));
  }
  image(id: string): ImageRow | undefined {
    return this.db.get<ImageRow>('SELECT * FROM images WHERE id = ?', id);
  }
  images(): ImageRow[] {
    return this.db.all<ImageRow>('SELECT * FROM images ORDER BY added DESC');
  }
  tagsOf(id: string): string[] {
    return this.db.all<{ name: string }>('SELECT name FROM tags WHERE image_id = ? ORDER BY tagged_at, name', id).map((r) => r.name);
  }
  digestsOf(id: string): string[] {
    return this.db.all<{ name: string }>('SELECT name FROM repo_digests WHERE image_id = ? ORDER BY name', id).map((r) => r.name);
  }
  layersOf(id: string): string[] {
    return this.db.all<{ diff_id: string }>('SELECT diff_id FROM image_layers WHERE image_id = ? ORDER BY idx', id).map((r) => r.diff_id);
  }
  allTags(): { name: string; image_id: string }[] {
    return this.db.all('SELECT name, image_id FROM tags');
  }

  /**
   * Finds an image as docker does: by name[:tag] / name@digest, by "sha256:<hex>", or by a
   * unique id prefix. Names are tried first (a repository may look like hex).
   */
  resolve(ref: string): ImageRow {
    const found = this.tryResolve(ref);
    if (!found) throw notFound(`No such image: ${ref}`);
    return found;
  }

  tryResolve(ref: string): ImageRow | undefined {
    let parsed;
    try {
      parsed = parseReference(ref);
    } catch (e) {
      if (!looksLikeId(ref)) throw e;
    }
    if (parsed) {
      if (parsed.digest) {
        const byDigest = this.db.get<{ image_id: string }>('SELECT image_id FROM repo_digests WHERE name = ?', `${repositoryOf(parsed)}@${parsed.digest}`);
        if (byDigest) return this.image(byDigest.image_id);
        const byManifest = this.db.get<ImageRow>('SELECT * FROM images WHERE manifest_digest = ?', parsed.digest);
        if (byManifest) return byManifest;
      } else {
        const t = this.db.get<{ image_id: string }>('SELECT image_id FROM tags WHERE name = ?', canonical(parsed));
        if (t) return this.image(t.image_id);
      }
    }
    if (looksLikeId(ref)) {
      const hex = ref.startsWith('sha256:') ? ref.slice(7) : ref;
      const rows = this.db.all<ImageRow>('SELECT * FROM images WHERE id >= ? AND id < ? LIMIT 2', `sha256:${hex}`, `sha256:${hex}g`);
      if (rows.length > 1) throw invalid(`ambiguous image id prefix: ${ref}`);
      return rows[0];
    }
    return undefined;
  }

  /** Moves staged blobs and layers into place and records the image, atomically. */
  commit(staged: StagedImage, stage: Staging): string {
    const id = this.commitInto(staged);
    stage.dispose();
    return id;
  }

  /** As `commit`, leaving the staging dir to the caller (several images from one archive). */
  commitInto(staged: StagedImage): string {
    const id = staged.config.digest;
    const now = new Date().toISOString();
    this.db.tx(() => {
      const put = (file: string | undefined, digest: string) => {
        if (file) renameIfAbsent(file, this.blobPath(digest), this.hasBlob(digest));
      };
      put(staged.config.file, staged.config.digest);
      put(staged.manifest.file, staged.manifest.digest);
      let size = 0;
      for (const l of staged.layers) {
        put(l.blobFile, l.blobDigest);
        if (!this.layer(l.diffId)) {
          if (!l.diffDir) throw new Error(`layer ${l.diffId} was not unpacked`);
          const dir = this.layerDir(l.diffId);
          rmSync(dir, { recursive: true, force: true }); // debris of a crash, not in the database
          mkdirSync(dir, { mode: 0o700 });
          renameIfAbsent(l.diffDir, this.diffDir(l.diffId), false);
          this.db.run(
            'INSERT INTO layers (diff_id, blob_digest, blob_size, media_type, size, created) VALUES (?, ?, ?, ?, ?, ?)',
            l.diffId,
            l.blobDigest,
            l.blobSize,
            l.mediaType,
            l.size,
            now,
          );
        }
        size += this.layer(l.diffId)!.size;
      }
      if (!this.image(id)) {
        this.db.run(
          'INSERT INTO images (id, manifest_digest, manifest_type, created, added, size) VALUES (?, ?, ?, ?, ?, ?)',
          id,
          staged.manifest.digest,
          staged.manifest.mediaType,
          staged.created,
          now,
          size,
        );
        staged.layers.forEach((l, i) => this.db.run('INSERT INTO image_layers (image_id, idx, diff_id) VALUES (?, ?, ?)', id, i, l.diffId));
      }
      for (const t of staged.tags) this.setTag(t, id, now);
      for (const d of staged.repoDigests ?? []) this.db.run('INSERT OR REPLACE INTO repo_digests (name, image_id) VALUES (?, ?)', d, id);
    });
    return id;
  }

  /** Points a canonical name at an image, moving it from another image if needed. */
  setTag(name: string, id: string, now = new Date().toISOString()): void {
    this.db.run(
      'INSERT INTO tags (name, image_id, tagged_at) VALUES (?, ?, ?) ON CONFLICT(name) DO UPDATE SET image_id = excluded.image_id, tagged_at = excluded.tagged_at',
      name,
      id,
      now,
    );
  }

  untag(name: string): boolean {
    return this.db.run('DELETE FROM tags WHERE name = ?', name).changes > 0;
  }

  /** Removes an image row (not its layers: `gc` frees what nothing references). */
  deleteImage(id: string): void {
    const users = this.imageUsers(id);
    if (users > 0) throw conflict(`image ${id} is in use`);
    this.db.run('DELETE FROM tags WHERE image_id = ?', id);
    this.db.run('DELETE FROM images WHERE id = ?', id);
  }

  /** Containers using an image (0 until the containers table exists). */
  imageUsers(id: string): number {
    const t = this.db.get<{ n: number }>("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'containers'");
    if (!t || t.n === 0) return 0;
    return this.db.get<{ n: number }>('SELECT count(*) AS n FROM containers WHERE image_id = ?', id)!.n;
  }

  /**
   * Frees layers and blobs nothing references, and staging debris of dead processes. Runs under
   * the write lock so it never races an operation moving files into place.
   */
  gc(): { bytes: number; layers: number; blobs: number } {
    sweepStaging(this.paths.tmp);
    let bytes = 0;
    let layers = 0;
    let blobs = 0;
    this.db.tx(() => {
      const unused = this.db.all<LayerRow>('SELECT * FROM layers WHERE diff_id NOT IN (SELECT diff_id FROM image_layers)');
      for (const l of unused) {
        bytes += l.size;
        this.db.run('DELETE FROM layers WHERE diff_id = ?', l.diff_id);
      }
      const liveLayers = new Set(this.db.all<{ diff_id: string }>('SELECT diff_id FROM layers').map((r) => hexOf(r.diff_id)));
      for (const e of readdirSync(this.paths.layers)) {
        if (!liveLayers.has(e)) {
          rmSync(join(this.paths.layers, e), { recursive: true, force: true });
          layers++;
        }
      }
      const live = new Set<string>();
      for (const l of this.db.all<{ blob_digest: string }>('SELECT blob_digest FROM layers')) live.add(hexOf(l.blob_digest));
      for (const i of this.db.all<{ id: string; manifest_digest: string }>('SELECT id, manifest_digest FROM images')) {
        live.add(hexOf(i.id));
        live.add(hexOf(i.manifest_digest));
      }
      for (const e of readdirSync(this.paths.blobs)) {
        if (!live.has(e)) {
          try {
            bytes += statSync(join(this.paths.blobs, e)).size;
          } catch {
            /* raced away */
          }
          rmSync(join(this.paths.blobs, e), { force: true });
          blobs++;
        }
      }
    });
    return { bytes, layers, blobs };
  }
}
