/** Images in the shapes docker's API answers with (list rows, history rows, delete reports). */
import type { ImageHistoryEntry, ImageRemoveReport, ImageSummary } from '../engine/api.js';

const unix = (iso: string) => Math.floor(Date.parse(iso) / 1000) || 0;

/** A row of GET /images/json. API 1.41 (docker 20.10) marks a dangling image `<none>:<none>`. */
export function imageListRow(i: ImageSummary): Record<string, unknown> {
  return {
    // dockerd counts users only when asked for shared sizes (system df), else -1
    Containers: -1,
    Created: unix(i.created),
    Id: i.id,
    Labels: Object.keys(i.labels).length ? i.labels : null,
    ParentId: '',
    RepoDigests: i.repoDigests.length ? i.repoDigests : i.repoTags.length ? null : ['<none>@<none>'],
    RepoTags: i.repoTags.length ? i.repoTags : ['<none>:<none>'],
    SharedSize: -1,
    Size: i.size,
    VirtualSize: i.size,
  };
}

export function historyRow(h: ImageHistoryEntry, tags: string[] | null): Record<string, unknown> {
  return { Comment: h.comment, Created: unix(h.created), CreatedBy: h.createdBy, Id: h.id, Size: h.size, Tags: tags };
}

/** docker's `[{"Untagged": …}, {"Deleted": …}]`. */
export function deleteReport(r: ImageRemoveReport): Record<string, string>[] {
  return [...r.untagged.map((u) => ({ Untagged: u })), ...r.deleted.map((d) => ({ Deleted: d }))];
}
