/** A volume as docker's `volume inspect` prints it. */
import type { VolumeSummary } from '../engine/api.js';

export function volumeDoc(v: VolumeSummary): Record<string, unknown> {
  return {
    CreatedAt: v.createdAt,
    Driver: v.driver,
    Labels: v.unset?.labels ? null : v.labels,
    Mountpoint: v.mountpoint,
    Name: v.name,
    Options: v.unset?.options ? null : v.options,
    Scope: v.scope,
  };
}
