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
  // 2: containers and volumes
  `CREATE TABLE containers (
     id          TEXT PRIMARY KEY,           -- 64 hex
     name        TEXT NOT NULL UNIQUE,
     image_id    TEXT NOT NULL REFERENCES images(id),
     image_name  TEXT NOT NULL,              -- as the user named it
     spec        TEXT NOT NULL,              -- JSON ContainerSpec: everything create decided
     created     TEXT NOT NULL,
     state       TEXT NOT NULL,              -- created|running|paused|exited|dead|removing
     pid         INTEGER NOT NULL DEFAULT 0,
     conmon_pid  INTEGER NOT NULL DEFAULT 0,
     exit_code   INTEGER NOT NULL DEFAULT 0,
     started_at  TEXT NOT NULL DEFAULT '',
     finished_at TEXT NOT NULL DEFAULT '',
     error       TEXT NOT NULL DEFAULT '',
     restart_count INTEGER NOT NULL DEFAULT 0,
     mounted     INTEGER NOT NULL DEFAULT 0  -- its rootfs overlay is mounted
   );
   CREATE INDEX containers_image ON containers(image_id);
   CREATE TABLE volumes (
     name       TEXT PRIMARY KEY,
     driver     TEXT NOT NULL DEFAULT 'local',
     created    TEXT NOT NULL,
     labels     TEXT NOT NULL DEFAULT '{}',
     options    TEXT NOT NULL DEFAULT '{}',
     anonymous  INTEGER NOT NULL DEFAULT 0
   );
   CREATE TABLE container_volumes (
     container_id TEXT NOT NULL REFERENCES containers(id) ON DELETE CASCADE,
     volume       TEXT NOT NULL REFERENCES volumes(name),
     target       TEXT NOT NULL,
     PRIMARY KEY (container_id, target)
   );
   CREATE INDEX container_volumes_volume ON container_volumes(volume);`,
  // 3: networks and endpoints
  `CREATE TABLE networks (
     id      TEXT PRIMARY KEY,
     name    TEXT NOT NULL UNIQUE,
     driver  TEXT NOT NULL,                  -- bridge|macvlan|host|null
     record  TEXT,                           -- JSON NetworkRecord (CNI networks)
     created TEXT NOT NULL
   );
   CREATE TABLE endpoints (
     container_id TEXT NOT NULL REFERENCES containers(id) ON DELETE CASCADE,
     network_id   TEXT NOT NULL REFERENCES networks(id),
     position     INTEGER NOT NULL,          -- eth0, eth1… in connect order
     fixed_ip     TEXT NOT NULL DEFAULT '',
     aliases      TEXT NOT NULL DEFAULT '[]',
     attachment   TEXT,                      -- JSON Attachment while attached, else NULL
     PRIMARY KEY (container_id, network_id)
   );
   CREATE INDEX endpoints_network ON endpoints(network_id);`,
  // 4: the event journal (docker's `events`, with --since/--until across processes)
  `CREATE TABLE events (
     seq   INTEGER PRIMARY KEY AUTOINCREMENT,
     time  INTEGER NOT NULL,                 -- ms since the epoch
     type  TEXT NOT NULL,                    -- container|image|volume|network
     action TEXT NOT NULL,                   -- docker's names: create, start, die, health_status: healthy …
     actor TEXT NOT NULL,                    -- Actor.ID
     attrs TEXT NOT NULL DEFAULT '{}'        -- Actor.Attributes (name, image, exitCode, labels …)
   );
   CREATE INDEX events_time ON events(time);`,
  // 5: what an endpoint asked for beyond its IP and aliases (docker's EndpointSettings: IPAMConfig,
  // Links, DriverOpts, MacAddress), JSON EndpointExtras
  `ALTER TABLE endpoints ADD COLUMN settings TEXT NOT NULL DEFAULT '{}';`,
];
