/** A volume as docker's `volume inspect` prints it. */
import type { VolumeSummary } from '../engine/api.js';

export function volumeDoc(v: VolumeSummary): Record<string, unknown> {
  // docker sends null, not {}, for a volume without labels or options.
  const orNull = (m: Record<string, string>) => (Object.keys(m).length ? m : null);
  return { CreatedAt: v.createdAt, Driver: v.driver, Labels: orNull(v.labels), Mountpoint: v.mountpoint, Name: v.name, Options: orNull(v.options), Scope: v.scope };
}
