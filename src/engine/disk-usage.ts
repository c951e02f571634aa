/**
 * docker's GET /system/df document for the embedded engine, from its public listings: every
 * distinct layer counted once (LayersSize), an image's SharedSize the layers it shares with
 * another image, containers with their writable layer (SizeRw) and root (SizeRootFs), volumes
 * with the bytes under them and the containers that use them.
 */
import type { ContainerSummary, DockerDiskUsage, ImageSummary, VolumeSummary } from './api.js';
import { treeSize } from './fs/tree-size.js';

export interface DiskUsageSources {
  images(): Promise<ImageSummary[]>;
  /** An image's layers: diff id and unpacked size. */
  layers(imageId: string): { diffId: string; size: number }[];
  /** Every container, with sizeRw/sizeRootFs. */
  containers(): Promise<ContainerSummary[]>;
  volumes(): Promise<VolumeSummary[]>;
}

const seconds = (iso: string | number) => (typeof iso === 'number' ? iso : Math.floor(Date.parse(iso) / 1000) || 0);

export async function diskUsage(src: DiskUsageSources): Promise<DockerDiskUsage> {
  const [images, containers, volumes] = await Promise.all([src.images(), src.containers(), src.volumes()]);
  const users = new Map<string, number>();
  const sizes = new Map<string, number>();
  const layersOf = new Map(images.map((i) => [i.id, src.layers(i.id)]));
  for (const ls of layersOf.values()) {
    for (const l of new Map(ls.map((x) => [x.diffId, x])).values()) {
      users.set(l.diffId, (users.get(l.diffId) ?? 0) + 1);
      sizes.set(l.diffId, l.size);
    }
  }
  const layersSize = [...sizes.values()].reduce((a, b) => a + b, 0);
  return {
    LayersSize: layersSize,
    Images: images.map((i) => {
      const own = new Map(layersOf.get(i.id)!.map((x) => [x.diffId, x.size]));
      const shared = [...own].filter(([d]) => (users.get(d) ?? 0) > 1).reduce((a, [, s]) => a + s, 0);
      return {
        Id: i.id,
        ParentId: '',
        RepoTags: i.repoTags,
        RepoDigests: i.repoDigests,
        Created: seconds(i.created),
        Size: i.size,
        SharedSize: shared,
        VirtualSize: i.size,
        Labels: i.labels,
        Containers: i.containers,
      };
    }),
    Containers: containers.map((c) => ({
      Id: c.id,
      Names: c.names.map((n) => `/${n.replace(/^\//, '')}`),
      Image: c.image,
      ImageID: c.imageId,
      Command: c.command,
      Created: seconds(c.created),
      State: c.state,
      Status: c.status,
      SizeRw: c.sizeRw ?? 0,
      SizeRootFs: c.sizeRootFs ?? 0,
      Labels: c.labels,
      Mounts: c.mounts.map((m) => ({ Name: m, Destination: '' })),
    })),
    Volumes: volumes.map((v) => ({
      Name: v.name,
      Driver: v.driver,
      Mountpoint: v.mountpoint,
      CreatedAt: v.createdAt,
      Labels: v.labels,
      Scope: v.scope,
      Options: v.options,
      UsageData: { Size: v.size ?? treeSize(v.mountpoint), RefCount: v.usedBy.length },
    })),
    BuildCache: [],
  };
}
