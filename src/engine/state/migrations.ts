/**
 * Schema migrations, applied in order inside one transaction each; PRAGMA user_version records
 * how far a database has come. Append new steps; never edit a released one.
 */
export const migrations: string[] = [
  // 1: the image store
  `CREATE TABLE layers (
     diff_id     TEXT PRIMARY KEY,           -- sha256:… of the uncompressed tar
     blob_digest TEXT NOT NULL,              -- sha256:… of the blob as stored (maybe compressed)
     blob_size   INTEGER NOT NULL,
     media_type  TEXT NOT NULL,
     size        INTEGER NOT NULL,           -- bytes unpacked
     created     TEXT NOT NULL
   );
   CREATE TABLE images (
     id              TEXT PRIMARY KEY,       -- sha256:… of the config blob
     manifest_digest TEXT NOT NULL,
     manifest_type   TEXT NOT NULL,
     created         TEXT NOT NULL,          -- from the config
     added           TEXT NOT NULL,
     size            INTEGER NOT NULL
   );
   CREATE TABLE image_layers (
     image_id TEXT NOT NULL REFERENCES images(id) ON DELETE CASCADE,
     idx      INTEGER NOT NULL,
     diff_id  TEXT NOT NULL REFERENCES layers(diff_id),
     PRIMARY KEY (image_id, idx)
   );
   CREATE INDEX image_layers_diff ON image_layers(diff_id);
   CREATE TABLE tags (
     name      TEXT PRIMARY KEY,             -- normalized: docker.io/library/busybox:latest
     image_id  TEXT NOT NULL REFERENCES images(id),
     tagged_at TEXT NOT NULL
   );
   CREATE INDEX tags_image ON tags(image_id);
   CREATE TABLE repo_digests (
     name     TEXT NOT NULL,                 -- docker.io/library/busybox@sha256:…
     image_id TEXT NOT NULL REFERENCES images(id) ON DELETE CASCADE,
     PRIMARY KEY (name)
   );`,
];
