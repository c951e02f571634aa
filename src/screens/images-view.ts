/** The images pane as data. */
import type { ContainerSummary, ImageSummary } from '../engine/api.js';
import type { Column } from '../ui/table-layout.js';
import { ago, bytes, shortId } from '../ui/format.js';
import type { PaneSpec } from './pane-spec.js';

export interface ImageCtx {
  now: number;
  containers: readonly ContainerSummary[];
}

const COLUMNS: readonly Column[] = [
  { id: 'repo', title: 'REPOSITORY', width: 16, flex: 3, priority: 10 },
  { id: 'tag', title: 'TAG', width: 8, flex: 1, priority: 9 },
  { id: 'id', title: 'IMAGE ID', width: 12, priority: 8 },
  { id: 'size', title: 'SIZE', width: 7, align: 'right', priority: 7 },
  { id: 'created', title: 'CREATED', width: 9, align: 'right', priority: 5 },
  { id: 'used', title: 'USED BY', width: 10, flex: 1, priority: 6 },
];

/** "docker.io/library/nginx:1.27" → ["nginx", "1.27"], as `docker images` shows it. */
export function splitRef(ref: string | undefined): [string, string] {
  if (!ref) return ['<none>', '<none>'];
  const short = ref.replace(/^docker\.io\/library\//, '').replace(/^docker\.io\//, '');
  const at = short.lastIndexOf(':');
  return at > short.lastIndexOf('/') ? [short.slice(0, at), short.slice(at + 1)] : [short, 'latest'];
}

export function usedBy(img: ImageSummary, ctx: ImageCtx): string {
  const names = ctx.containers.filter((c) => c.imageId === img.id).map((c) => c.names[0] ?? '');
  if (names.length) return names.join(', ');
  return img.containers > 0 ? `${img.containers} ctr` : '-';
}

export const imagesSpec: PaneSpec<ImageSummary, ImageCtx> = {
  columns: COLUMNS,
  key: (i) => i.id,
  cells: (i, ctx) => {
    const [repo, tag] = splitRef(i.repoTags[0]);
    const more = i.repoTags.length > 1 ? ` +${i.repoTags.length - 1}` : '';
    return {
      repo: { text: repo + more, tone: repo === '<none>' ? 'muted' : 'text' },
      tag: { text: tag, tone: 'accent' },
      id: { text: shortId(i.id), tone: 'muted' },
      size: { text: bytes(i.size) },
      created: { text: ago(i.created, ctx.now), tone: 'muted' },
      used: { text: usedBy(i, ctx), tone: i.containers > 0 ? 'running' : 'muted' },
    };
  },
  sorts: [
    { id: 'repo', column: 'repo', compare: (a, b) => splitRef(a.repoTags[0])[0].localeCompare(splitRef(b.repoTags[0])[0]) },
    { id: 'size', column: 'size', compare: (a, b) => b.size - a.size },
    { id: 'created', column: 'created', compare: (a, b) => Date.parse(b.created) - Date.parse(a.created) },
  ],
  filterText: (i) => `${i.repoTags.join(' ')} ${i.id}`,
};
