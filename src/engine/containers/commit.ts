/**
 * `commit`: the container's overlay upper dir becomes one new OCI layer — deleted files (0/0
 * char devices) as `.wh.NAME`, opaque dirs as `.wh..wh..opq`, overlay's own xattrs dropped —
 * on top of its image, with the container's config as the new image's config.
 */
import { lstatSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { CommitOptions } from '../api.js';
import { invalid } from '../errors.js';
import { packInto } from '../fs/pack-tree.js';
import { applyChanges } from '../image/changes.js';
import { layerMediaType, newConfig, newManifest } from '../image/make-image.js';
import { canonical, parseReference } from '../image/reference.js';
import { Staging } from '../image/staging.js';
import type { StagedLayer } from '../image/store.js';
import type { ContainerContext } from './context.js';
import { claimPause, releasePause } from './run-token.js';
import { readExitFile } from '../runtime/exit-file.js';
import type { Container } from './records.js';
import { commandText } from './present.js';
import { ApplyStream } from '../fs/apply-tar.js';
import { BlobTee } from '../image/blob-tee.js';

/**
 * The empty files runc creates in the upper dir as mount points for the /etc files berth
 * bind-mounts: not the container's changes (docker keeps them in a separate init layer).
 */
const ETC_STUBS = new Set(['etc/hostname', 'etc/hosts', 'etc/resolv.conf']);
function isMountStub(upper: string, rel: string): boolean {
  if (!ETC_STUBS.has(rel)) return false;
  const st = lstatSync(join(upper, rel), { throwIfNoEntry: false });
  return !!st && st.isFile() && st.size === 0;
}

export async function commitContainer(ctx: ContainerContext, c: Container, opts: CommitOptions): Promise<string> {
  const tag = opts.reference ? parseReference(opts.reference) : undefined;
  if (tag?.digest) throw invalid(`refusing to create a tag with a digest reference: ${opts.reference}`);
  const base = ctx.store.config(c.image_id);
  const containerConfig = applyChanges(
    {
      ...(base.config ?? {}),
      Env: c.spec.env,
      Cmd: c.spec.cmd,
      Entrypoint: c.spec.entrypoint,
      WorkingDir: c.spec.workdir === '/' ? (base.config?.WorkingDir ?? '') : c.spec.workdir,
      User: c.spec.user,
      Labels: c.spec.labels,
      Hostname: c.spec.hostname,
      Tty: c.spec.tty,
      OpenStdin: c.spec.openStdin,
    },
    opts.changes ?? [],
  );
  const pause = (opts.pause ?? true) && c.state === 'running';
  const stage = new Staging(ctx.paths.tmp);
  try {
    const tarFile = stage.file('layer.tar');
    let paused = false;
    if (pause) {
      claimPause(ctx, c.id);
      try {
        await ctx.runc.pause(c.id);
        paused = true;
      } catch (e) {
        releasePause(ctx, c.id);
        // it exited since it was read as running: nothing is left to freeze (dockerd commits it too)
        if (readExitFile(ctx.exitFile(c.id)) === undefined) throw e;
      }
    }
    const upper = ctx.rootfs(c.id).upper;
    const diffDir = stage.file('diff');
    mkdirSync(diffDir);
    // The stubs are judged in the upper dir as it is now (paused), for the tar and the copy alike.
    const stubs = new Set([...ETC_STUBS].filter((rel) => isMountStub(upper, rel)));
    const exclude = (rel: string) => stubs.has(rel);
    // One pass while the container is frozen: the upper dir becomes the layer tar, which is
    // hashed (the diff id), kept as the blob and applied into the new layer's directory, so
    // the directory is exactly what unpacking the blob gives.
    const blob = new BlobTee(tarFile);
    const apply = new ApplyStream(diffDir, { what: 'commit', whiteouts: true, rootMeta: true });
    try {
      mkdirSync(upper, { recursive: true });
      await packInto(upper, { as: '', whiteouts: true, exclude }, (out) => pipeline(out, blob, apply));
    } finally {
      blob.destroy();
      if (paused) {
        await ctx.runc.resume(c.id).catch(() => undefined);
        releasePause(ctx, c.id);
      }
    }
    const size = apply.result!.size;
    const diffId = blob.digest();
    const layer: StagedLayer = {
      diffId,
      blobDigest: diffId,
      blobSize: statSync(tarFile).size,
      mediaType: layerMediaType('none'),
      size,
      blobFile: tarFile,
      diffDir,
    };
    const created = new Date().toISOString();
    const baseLayers = ctx.store.layersOf(c.image_id).map((d) => {
      const l = ctx.store.layer(d)!;
      return { diffId: d, blobDigest: l.blob_digest, blobSize: l.blob_size, mediaType: l.media_type, size: l.size };
    });
    const cfg = newConfig({
      base,
      config: containerConfig,
      diffIds: [...base.rootfs.diff_ids, diffId],
      created,
      history: { created, created_by: commandText(c), ...(opts.author ? { author: opts.author } : {}), ...(opts.message ? { comment: opts.message } : {}) },
      ...(opts.author ? { author: opts.author } : {}),
      ...(opts.message ? { comment: opts.message } : {}),
    });
    const cfgBlob = stage.writeBlob(Buffer.from(JSON.stringify({ ...cfg, container: c.id })));
    const layers = [...baseLayers, layer];
    const man = newManifest(cfgBlob.digest, cfgBlob.size, layers);
    const manBlob = stage.writeBlob(Buffer.from(JSON.stringify(man)));
    return ctx.store.commit(
      { config: cfgBlob, manifest: { ...manBlob, mediaType: man.mediaType! }, created, layers, tags: tag ? [canonical(tag)] : [] },
      stage,
    );
  } catch (e) {
    stage.dispose();
    throw e;
  }
}
