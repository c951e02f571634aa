/**
 * The one printer of prune reports, docker's words and layout (prune.go of docker's
 * cli/command/{system,container,image,volume,network}): a section per kind that removed something ("Deleted Containers:", one id a line, then a blank
 * line), then "Total reclaimed space: …" (units.HumanSize, 4 significant digits). `system prune`,
 * `container/image/volume/network prune` all print through it, on every backend.
 */
import type { ImageDeleteEntry, SystemPruneReport } from '../../engine/api.js';
import { humanSize } from './units.js';

/** One section: its heading and lines, and the blank line docker's Fprintln adds; '' if empty. */
function section(heading: string, lines: string[]): string {
  return lines.length ? `${heading}\n${lines.map((l) => `${l}\n`).join('')}\n` : '';
}

export const containersSection = (ids: string[]): string => section('Deleted Containers:', ids);
export const networksSection = (names: string[]): string => section('Deleted Networks:', names);
export const volumesSection = (names: string[]): string => section('Deleted Volumes:', names);
export const imagesSection = (entries: ImageDeleteEntry[]): string =>
  section(
    'Deleted Images:',
    entries.map((e) => ('untagged' in e ? `untagged: ${e.untagged}` : `deleted: ${e.deleted}`)),
  );
export const buildCacheSection = (ids: string[]): string => section('Deleted build cache objects:', ids);

export function reclaimedLine(bytes: number): string {
  return `Total reclaimed space: ${humanSize(bytes, 4)}\n`;
}

/** `system prune`'s whole output. The embedded engine's removed leftovers (docker has none) come
 *  last, after docker's lines, so a script reading docker's layout still finds it. */
export function systemPruneText(r: SystemPruneReport): string {
  const leftovers = r.leftovers ? `Removed leftovers of interrupted operations: ${r.leftovers}\n` : '';
  return (
    containersSection(r.containersDeleted) +
    networksSection(r.networksDeleted) +
    volumesSection(r.volumesDeleted) +
    imagesSection(r.imagesDeleted) +
    buildCacheSection(r.buildCacheDeleted) +
    reclaimedLine(r.spaceReclaimed) +
    leftovers
  );
}
