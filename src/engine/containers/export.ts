/**
 * `docker export`: the container's root filesystem as one tar — its image's layers with its
 * own changes on top, as the overlay shows it (volumes and other mounts are not part of it, as
 * in docker). Written by the layer packer (fs/pack-tree.ts), so owners, modes, links, devices
 * and xattrs (file capabilities) survive an `import` of the result. A stopped container's
 * rootfs is mounted for the export and unmounted when the stream ends.
 */
import type { Readable } from 'node:stream';
import { packStream } from '../fs/pack-tree.js';
import type { ContainerContext } from './context.js';
import type { Container } from './records.js';
import { isMounted, mountRootfs, unmountRootfs } from './rootfs.js';

export async function exportContainer(ctx: ContainerContext, c: Container): Promise<Readable> {
  const d = ctx.rootfs(c.id);
  const mountedHere = !isMounted(d.merged);
  if (mountedHere) await mountRootfs(d, ctx.paths.layers, ctx.store.layersOf(c.image_id));
  const release = () => {
    const now = ctx.records.byId(c.id)?.state;
    if (mountedHere && now !== 'running' && now !== 'paused') void unmountRootfs(d).catch(() => undefined);
  };
  return packStream(d.merged, { as: '' }, release);
}
