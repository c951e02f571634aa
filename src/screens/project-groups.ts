/**
 * The grouped containers list (issue 14): a heading row per compose project, its containers
 * under it, loose containers last under no heading. Pure: grouping takes the list already
 * filtered and sorted (applyView), so sorting and filtering work inside the groups.
 */
import type { Cell } from '../ui/table-layout.js';
import { ROW_SPAN } from '../ui/table-layout.js';
import type { Glyphs } from '../ui/glyphs.js';
import { naturalCompare } from '../ui/text.js';
import type { PaneSpec } from './pane-spec.js';
import { memBytes, percent } from '../ui/format.js';
import { projectOf, statsOf, type ContainerCtx, type ContainerRow } from './containers-view.js';

/** A compose project's heading row. */
export interface ProjectHeading {
  readonly kind: 'project';
  readonly project: string;
  readonly host?: string;
  /** Every container of the project on that host, filter or not: what an action on the heading acts on. */
  readonly members: readonly ContainerRow[];
  /** How many of them the filter lets through (listed under the heading when it is open). */
  readonly shown: number;
  readonly collapsed: boolean;
}

export type GroupedItem = ContainerRow | ProjectHeading;

export function isHeading(x: unknown): x is ProjectHeading {
  return typeof x === 'object' && x !== null && (x as { kind?: unknown }).kind === 'project';
}

/** A heading's row key (never a container's: those are ids, or host/id). */
export function groupKey(project: string, host: string | undefined): string {
  return `project:${host ?? ''}/${project}`;
}

/**
 * Headings in project-name order (then host), each followed by its shown containers in the
 * order they came (unless collapsed); containers of no project last. A project whose containers
 * the filter all hides has no heading.
 */
export function groupByProject(sorted: readonly ContainerRow[], all: readonly ContainerRow[], collapsed: ReadonlySet<string>): GroupedItem[] {
  const shown = new Map<string, ContainerRow[]>();
  const loose: ContainerRow[] = [];
  for (const c of sorted) {
    const p = projectOf(c);
    if (!p) {
      loose.push(c);
      continue;
    }
    const k = groupKey(p, c.host);
    const list = shown.get(k);
    if (list) list.push(c);
    else shown.set(k, [c]);
  }
  if (!shown.size) return loose;
  // Members in the order on screen, then those the filter hides (questions name them so).
  const members = new Map<string, ContainerRow[]>([...shown].map(([k, rows]) => [k, [...rows]]));
  const listed = new Set(sorted);
  for (const c of all) {
    const p = projectOf(c);
    if (!p || listed.has(c)) continue;
    members.get(groupKey(p, c.host))?.push(c);
  }
  const groups = [...shown].map(([k, rows]) => ({ k, rows, first: rows[0]! }));
  groups.sort((a, b) => naturalCompare(projectOf(a.first), projectOf(b.first)) || naturalCompare(a.first.host ?? '', b.first.host ?? ''));
  const out: GroupedItem[] = [];
  for (const { k, rows, first } of groups) {
    const folded = collapsed.has(k);
    out.push({
      kind: 'project',
      project: projectOf(first),
      ...(first.host !== undefined ? { host: first.host } : {}),
      members: members.get(k) ?? rows,
      shown: rows.length,
      collapsed: folded,
    });
    if (!folded) out.push(...rows);
  }
  out.push(...loose);
  return out;
}

const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

/** What a project's running containers use together, from their latest samples; undefined when none has one. */
export function projectUsage(h: ProjectHeading, ctx: ContainerCtx): { cpu: number; mem: number } | undefined {
  let seen = false;
  let cpu = 0;
  let mem = 0;
  for (const c of h.members) {
    if (c.state !== 'running' && c.state !== 'paused') continue;
    const s = statsOf(c, ctx)?.sample;
    if (!s) continue;
    seen = true;
    cpu += s.cpuPercent ?? 0;
    mem += Number.isFinite(s.memUsage) ? s.memUsage : 0;
  }
  return seen ? { cpu, mem } : undefined;
}

/**
 * "▾ shop  3 containers, 2 running, 1 unhealthy  CPU 12%  MEM 245MiB" (and ", 2 match the
 * filter" when some are hidden; the usage when samples are in). `showHost`: the all-hosts view,
 * where one project name may be on two hosts.
 */
export function headingText(h: ProjectHeading, glyphs: Glyphs, showHost = false, usage?: { cpu: number; mem: number }): string {
  const running = h.members.filter((c) => c.state === 'running').length;
  const unhealthy = h.members.filter((c) => c.health === 'unhealthy').length;
  const arrow = h.collapsed ? (glyphs.unicode ? '▸' : '+') : glyphs.unicode ? '▾' : '-';
  const parts = [plural(h.members.length, 'container'), `${running} running`];
  if (unhealthy) parts.push(`${unhealthy} unhealthy`);
  if (h.shown < h.members.length) parts.push(`${h.shown} match the filter`);
  const use = usage ? `  CPU ${percent(usage.cpu)}  MEM ${memBytes(usage.mem)}` : '';
  return `${arrow} ${h.project}${showHost && h.host !== undefined ? ` @${h.host}` : ''}  ${parts.join(', ')}${use}`;
}

/** Members are indented under their heading; loose containers are not. */
const INDENT = '  ';

/**
 * The containers spec over grouped items: headings are one bold line across the table (bold
 * survives NO_COLOR; the arrow says open or folded), a member's name is indented.
 */
export function groupedSpec(base: PaneSpec<ContainerRow, ContainerCtx>, glyphs: Glyphs, showHost: boolean): PaneSpec<GroupedItem, ContainerCtx> {
  return {
    ...(base as unknown as PaneSpec<GroupedItem, ContainerCtx>),
    key: (i) => (isHeading(i) ? groupKey(i.project, i.host) : base.key(i)),
    cells: (i, ctx): Record<string, Cell> => {
      if (isHeading(i)) {
        const unhealthy = i.members.some((c) => c.health === 'unhealthy');
        return { [ROW_SPAN]: { text: headingText(i, glyphs, showHost, projectUsage(i, ctx)), tone: unhealthy ? 'error' : 'title' } };
      }
      const cells = base.cells(i, ctx);
      if (projectOf(i)) cells['name'] = { ...cells['name']!, text: INDENT + cells['name']!.text };
      return cells;
    },
  };
}
