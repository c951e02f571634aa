/**
 * `push`: an image's blobs, then its manifest, to a registry. A blob the registry already has
 * (HEAD) is skipped; one held by another repository of the same registry that this store knows
 * of is mounted across; the rest are uploaded (POST, PATCH — in chunks when asked — then PUT
 * with the digest). The manifest goes last, so the tag never names a half-pushed image.
 */
import { createReadStream, statSync } from 'node:fs';
import type { ProgressFn } from '../api.js';
import { invalid } from '../errors.js';
import { parseReference, canonical, familiar, repositoryOf } from '../image/reference.js';
import type { ImageStore } from '../image/store.js';
import { RegistryClient } from './client.js';
import type { Credentials } from './credentials.js';

export interface PushOptions {
  progress?: ProgressFn;
  /** Upload in PATCH chunks of this many bytes (default: one PATCH with the whole blob). */
  chunkSize?: number;
  /** Instead of the stored credentials (the API's X-Registry-Auth). */
  credentials?: Credentials;
}

const short = (d: string) => d.slice(7, 19);

/** Other repositories on the same registry known (from tags and repo digests) to hold an image with this blob. */
function mountSources(store: ImageStore, domain: string, self: string, blob: string): string[] {
  const rows = store.db.all<{ name: string }>(
    `SELECT t.name AS name FROM tags t JOIN image_layers il ON il.image_id = t.image_id JOIN layers l ON l.diff_id = il.diff_id WHERE l.blob_digest = ?
     UNION SELECT r.name AS name FROM repo_digests r JOIN image_layers il ON il.image_id = r.image_id JOIN layers l ON l.diff_id = il.diff_id WHERE l.blob_digest = ?`,
    blob,
    blob,
  );
  const out = new Set<string>();
  for (const r of rows) {
    const repo = r.name.replace(/@.*$/, '').replace(/:[^:/]*$/, '');
    if (repo.startsWith(`${domain}/`)) {
      const path = repo.slice(domain.length + 1);
      if (path !== self) out.add(path);
    }
  }
  return [...out].slice(0, 3);
}

async function uploadBlob(
  client: RegistryClient,
  file: string,
  digest: string,
  size: number,
  chunkSize: number | undefined,
  progress: (n: number) => void,
): Promise<void> {
  const repo = client.opts.path;
  const start = await client.request('POST', `/v2/${repo}/blobs/uploads/`, { ok: [202], what: `upload of ${short(digest)}` });
  await start.arrayBuffer().catch(() => undefined);
  let location = start.headers.get('location');
  if (!location) throw invalid(`${client.opts.domain}: upload started without a Location`);
  const abs = (loc: string) => new URL(loc, client.base).toString();
  location = abs(location);
  const chunk = chunkSize && chunkSize > 0 ? chunkSize : size || 1;
  for (let off = 0; off < size; off += chunk) {
    const end = Math.min(size, off + chunk) - 1;
    let sent = off;
    // an async iterable body: cheaper for fetch than a web stream made from a Node one
    const body = (async function* () {
      for await (const b of createReadStream(file, { start: off, end, highWaterMark: 1 << 20 })) {
        progress((sent += (b as Buffer).length));
        yield b as Buffer;
      }
    })();
    const res = await client.request('PATCH', location, {
      headers: { 'content-type': 'application/octet-stream', 'content-length': String(end - off + 1), 'content-range': `${off}-${end}` },
      body: body as unknown as RequestInit['body'],
      duplex: true,
      ok: [202],
      what: `upload of ${short(digest)}`,
    });
    await res.arrayBuffer().catch(() => undefined);
    const next = res.headers.get('location');
    if (next) location = abs(next);
  }
  const u = new URL(location);
  u.searchParams.set('digest', digest);
  const done = await client.request('PUT', u.toString(), { headers: { 'content-length': '0' }, ok: [201], what: `upload of ${short(digest)}` });
  await done.arrayBuffer().catch(() => undefined);
}

export async function pushImage(store: ImageStore, refText: string, opts: PushOptions = {}): Promise<string> {
  const ref = parseReference(refText);
  if (ref.digest) throw invalid(`cannot push a digest reference: ${refText}`);
  const name = canonical(ref);
  const t = store.db.get<{ image_id: string }>('SELECT image_id FROM tags WHERE name = ?', name);
  if (!t) throw invalid(`An image does not exist locally with the tag: ${familiar(name).replace(/:latest$/, '')}`);
  const row = store.image(t.image_id)!;
  const manifestBytes = store.readBlob(row.manifest_digest);
  const manifest = store.manifest(row);
  const progress = opts.progress;
  progress?.({ id: '', status: `The push refers to repository [${repositoryOf(ref)}]` });

  const blobs = [...manifest.layers, manifest.config];
  const sources = new Map<string, string[]>();
  for (const b of manifest.layers) sources.set(b.digest, mountSources(store, ref.domain, ref.path, b.digest));
  const alsoPull = [...new Set([...sources.values()].flat())];
  const client = new RegistryClient({
    domain: ref.domain,
    path: ref.path,
    actions: ['pull', 'push'],
    alsoPull,
    ...(opts.credentials ? { credentials: opts.credentials } : {}),
  });
  await client.connect();

  for (const b of manifest.layers) progress?.({ id: short(b.digest), status: 'Preparing' });
  let i = 0;
  const work = async (b: (typeof blobs)[number]) => {
    const id = short(b.digest);
    const isConfig = b === manifest.config;
    const head = await client.request('HEAD', `/v2/${ref.path}/blobs/${b.digest}`, { ok: [404], what: `blob ${id}` });
    if (head.status === 200) {
      if (!isConfig) progress?.({ id, status: 'Layer already exists' });
      return;
    }
    for (const from of sources.get(b.digest) ?? []) {
      const m = await client.request('POST', `/v2/${ref.path}/blobs/uploads/?mount=${encodeURIComponent(b.digest)}&from=${encodeURIComponent(from)}`, {
        ok: [201, 202, 404],
        what: `mount of ${id}`,
      });
      await m.arrayBuffer().catch(() => undefined);
      if (m.status === 201) {
        progress?.({ id, status: `Mounted from ${familiar(`${ref.domain}/${from}:x`).slice(0, -2)}` });
        return;
      }
      if (m.status === 202) {
        // not mountable: the registry opened an upload; cancel it and upload ourselves
        const loc = m.headers.get('location');
        if (loc)
          await client
            .request('DELETE', new URL(loc, client.base).toString(), { ok: [404, 204, 202] })
            .then((r) => r.arrayBuffer())
            .catch(() => undefined);
      }
    }
    const file = store.blobPath(b.digest);
    let size: number;
    try {
      size = statSync(file).size;
    } catch {
      throw invalid(`blob ${b.digest} of ${familiar(name)} is missing from the store`);
    }
    if (size !== b.size) throw invalid(`blob ${b.digest} of ${familiar(name)} has ${size} bytes in the store, the manifest says ${b.size}`);
    if (!isConfig) progress?.({ id, status: 'Pushing', current: 0, total: size });
    await uploadBlob(client, file, b.digest, size, opts.chunkSize, (n) => !isConfig && progress?.({ id, status: 'Pushing', current: n, total: size }));
    if (!isConfig) progress?.({ id, status: 'Pushed' });
  };
  let failed: unknown;
  await Promise.all(
    Array.from({ length: Math.min(3, blobs.length) }, async () => {
      while (i < blobs.length && failed === undefined) {
        const b = blobs[i++]!;
        await work(b).catch((e) => (failed ??= e));
      }
    }),
  );
  if (failed !== undefined) throw failed;

  const put = await client.request('PUT', `/v2/${ref.path}/manifests/${ref.tag}`, {
    headers: { 'content-type': row.manifest_type },
    body: new Uint8Array(manifestBytes),
    ok: [201],
    what: `manifest for ${familiar(name)}`,
  });
  await put.arrayBuffer().catch(() => undefined);
  const claimed = put.headers.get('docker-content-digest');
  if (claimed && claimed !== row.manifest_digest) throw invalid(`registry stored the manifest as ${claimed}, expected ${row.manifest_digest}`);
  store.db.tx(() => store.db.run('INSERT OR REPLACE INTO repo_digests (name, image_id) VALUES (?, ?)', `${repositoryOf(ref)}@${row.manifest_digest}`, row.id));
  progress?.({ id: '', status: `${ref.tag}: digest: ${row.manifest_digest} size: ${manifestBytes.length}` });
  return row.manifest_digest;
}
