/** The containers pane as data: columns, cells, sorts. Pure, unit-tested without Ink. */
import type { ContainerSummary, PortBinding } from '../engine/api.js';
import type { Cell, Column } from '../ui/table-layout.js';
import type { Token } from '../ui/theme.js';
import { bytes, memBytes, percent, shortDuration } from '../ui/format.js';
import { naturalCompare } from '../ui/text.js';
import type { PaneSpec } from './pane-spec.js';
import type { ContainerStats } from './stats-history.js';
import type { SparkSeries } from '../ui/sparkline.js';
import { rowKey } from './hosts.js';

/** A container row: from one host (tagged) or, in tests of the pure views, untagged. */
export type ContainerRow = ContainerSummary & { readonly host?: string };

export interface ContainerCtx {
  /** Keyed by rowKey(host, id) (the id alone for untagged rows). */
  stats: ReadonlyMap<string, ContainerStats>;
  now: number;
  /** Renders the CPU history (glyph set and scale chosen by the screen). */
  spark: (series: SparkSeries) => string;
  /** Marked rows (by row key) and the glyph that shows a mark. */
  marks?: ReadonlySet<string>;
  markGlyph?: string;
}

/** The labels docker compose puts on every container of a project. */
export const COMPOSE_PROJECT = 'com.docker.compose.project';
export const COMPOSE_SERVICE = 'com.docker.compose.service';

/** Columns shown only when they have something to say (no empty HEALTH column on hosts without healthchecks). */
export interface ContainerShape {
  mark: boolean;
  project: boolean;
  /** Grouped by project: the heading names the project, so the column says the service instead. */
  service?: boolean;
  health: boolean;
  restarts: boolean;
}

export function containerShape(rows: readonly ContainerSummary[], marking: boolean, grouped = false): ContainerShape {
  const composed = rows.some((c) => !!c.labels[COMPOSE_PROJECT]);
  return {
    mark: marking,
    project: composed && !grouped,
    service: composed && grouped,
    health: rows.some((c) => c.health !== undefined),
    restarts: rows.some((c) => (c.restartCount ?? 0) > 0),
  };
}

export const SPARK_WIDTH = 10;

/**
 * The columns that change every tick come last, CPU % at the very end: Ink's incremental
 * renderer rewrites a changed line from its first changed column, so a busy container costs
 * the bytes of its sparkline tail and CPU figure, not of the whole row.
 */
const COLUMNS: readonly Column[] = [
  { id: 'name', title: 'NAME', width: 12, flex: 2, priority: 10 },
  { id: 'image', title: 'IMAGE', width: 12, flex: 1, priority: 5 },
  { id: 'state', title: 'STATE', width: 12, priority: 9 },
  { id: 'ports', title: 'PORTS', width: 14, flex: 1, priority: 3 },
  { id: 'pids', title: 'PIDS', width: 4, align: 'right', priority: 2 },
  { id: 'net', title: 'NET RX/TX', width: 13, align: 'right', priority: 4 },
  { id: 'mem', title: 'MEM / LIMIT', width: 15, align: 'right', priority: 7 },
  { id: 'spark', title: 'CPU 1m', width: SPARK_WIDTH, priority: 6 },
  { id: 'cpu', title: 'CPU%', width: 6, align: 'right', priority: 8 },
];

const MARK: Column = { id: 'mark', title: ' ', width: 1, priority: 11 };
const PROJECT: Column = { id: 'project', title: 'PROJECT', width: 8, flex: 1, priority: 6.5 };
const SERVICE: Column = { id: 'service', title: 'SERVICE', width: 8, flex: 1, priority: 6.5 };
// Health outranks the image at 80 columns: an unhealthy container is what the operator looks for.
const HEALTH: Column = { id: 'health', title: 'HEALTH', width: 9, priority: 7.5 };
const RESTARTS: Column = { id: 'restarts', title: 'RESTARTS', width: 9, align: 'right', priority: 4.5 };

// One array per shape, so the table's layout (memoized on the array) is not redone per frame.
const shaped = new Map<string, readonly Column[]>();
function columnsFor(s: ContainerShape | undefined): readonly Column[] {
  if (!s) return COLUMNS;
  const key = `${+s.mark}${+s.project}${+!!s.service}${+s.health}${+s.restarts}`;
  let cols = shaped.get(key);
  if (!cols) {
    const [name, image, state, ...rest] = COLUMNS;
    cols = [
      ...(s.mark ? [MARK] : []),
      // Grouped, a project's names are indented under its heading: two more columns for them.
      s.service ? { ...name!, width: name!.width + 2 } : name!,
      ...(s.project ? [PROJECT] : []),
      ...(s.service ? [SERVICE] : []),
      image!,
      state!,
      ...(s.health ? [HEALTH] : []),
      ...(s.restarts ? [RESTARTS] : []),
      ...rest,
    ];
    shaped.set(key, cols);
  }
  return cols;
}

export function projectOf(c: ContainerSummary): string {
  return c.labels[COMPOSE_PROJECT] ?? '';
}

export function serviceOf(c: ContainerSummary): string {
  return c.labels[COMPOSE_SERVICE] ?? '';
}

/** Unhealthy first, then starting, healthy, and containers without a healthcheck last. */
const HEALTH_ORDER = { unhealthy: 0, starting: 1, healthy: 2 } as const;
const healthRank = (c: ContainerSummary) => (c.health ? HEALTH_ORDER[c.health] : 3);

export function healthTone(h: ContainerSummary['health']): Token | undefined {
  return h === 'unhealthy' ? 'error' : h === 'starting' ? 'paused' : h === 'healthy' ? 'running' : undefined;
}

export function containerName(c: ContainerSummary): string {
  return c.names[0] ?? c.id.slice(0, 12);
}

/** docker shows Docker Hub images short: "docker.io/library/nginx:1.27" → "nginx:1.27". */
export function shortImage(ref: string): string {
  return ref.replace(/^docker\.io\/library\//, '').replace(/^docker\.io\//, '');
}

export function stateTone(state: ContainerSummary['state']): Token {
  if (state === 'running') return 'running';
  if (state === 'paused' || state === 'restarting') return 'paused';
  if (state === 'dead') return 'error';
  return 'stopped';
}

/** "running 3h", "paused 2m", "exited (137)", "created". */
export function stateText(c: ContainerSummary, now: number): string {
  if ((c.state === 'running' || c.state === 'paused') && c.startedAt) {
    return `${c.state} ${shortDuration(now - Date.parse(c.startedAt))}`;
  }
  if (c.state === 'exited') return `exited (${c.exitCode ?? '?'})`;
  return c.state;
}

export function portsText(ports: readonly PortBinding[]): string {
  return ports.map((p) => `${p.hostIp && p.hostIp !== '0.0.0.0' ? `${p.hostIp}:` : ''}${p.hostPort}->${p.containerPort}/${p.protocol}`).join(', ');
}

/** Uptime moves in minutes, so the row only repaints for it once a minute. */
export const statsOf = (c: ContainerRow, ctx: ContainerCtx): ContainerStats | undefined => ctx.stats.get(rowKey(c.host, c.id));

function cellsOf(c: ContainerRow, ctx: ContainerCtx): Record<string, Cell> {
  const st = statsOf(c, ctx);
  const live = st && (c.state === 'running' || c.state === 'paused');
  const s = live ? st.sample : undefined;
  return {
    // An unhealthy row shows in the error colour, and (NO_COLOR) as the word in HEALTH.
    name: c.health === 'unhealthy' ? { text: containerName(c), tone: 'error' } : { text: containerName(c) },
    image: { text: shortImage(c.image) },
    state: { text: stateText(c, ctx.now), tone: stateTone(c.state) },
    cpu: { text: s ? percent(s.cpuPercent) : '-' },
    spark: { text: live ? ctx.spark(st.cpu) : '', tone: 'accent' },
    mem: { text: s ? `${memBytes(s.memUsage)} / ${memBytes(s.memLimit)}` : '-' },
    net: { text: s ? `${bytes(s.netRx)} / ${bytes(s.netTx)}` : '-' },
    pids: { text: s ? String(s.pids) : '-' },
    ports: { text: portsText(c.ports) },
  };
}

/** The cells of the columns a shape adds, only those it has. */
function shapedCells(s: ContainerShape): (c: ContainerRow, ctx: ContainerCtx) => Record<string, Cell> {
  return (c, ctx) => {
    const cells = cellsOf(c, ctx);
    if (s.mark) cells['mark'] = { text: ctx.marks?.has(rowKey(c.host, c.id)) ? (ctx.markGlyph ?? '*') : '', tone: 'accent' };
    if (s.project) cells['project'] = { text: projectOf(c), tone: 'accent' };
    if (s.service) cells['service'] = { text: serviceOf(c), tone: 'accent' };
    if (s.health) cells['health'] = { text: c.health ?? '', tone: healthTone(c.health) };
    if (s.restarts) cells['restarts'] = { text: c.restartCount ? String(c.restartCount) : '' };
    return cells;
  };
}

const cpuOf = (ctx: () => ContainerCtx) => (c: ContainerRow) => statsOf(c, ctx())?.sample.cpuPercent ?? -1;
const memOf = (ctx: () => ContainerCtx) => (c: ContainerRow) => statsOf(c, ctx())?.sample.memUsage ?? -1;

const cmp = naturalCompare;

const STATE_ORDER: Record<ContainerSummary['state'], number> = { running: 0, restarting: 1, paused: 2, created: 3, removing: 4, exited: 5, dead: 6 };

/**
 * Sorts by CPU and memory need the live stats; the spec is built per render with a getter so the
 * comparator reads the current pass.
 */
export function containersSpec(getCtx: () => ContainerCtx, shape?: ContainerShape): PaneSpec<ContainerRow, ContainerCtx> {
  const cpu = cpuOf(getCtx);
  const mem = memOf(getCtx);
  return {
    columns: columnsFor(shape),
    key: (c) => c.id,
    cells: shape && (shape.mark || shape.project || shape.service || shape.health || shape.restarts) ? shapedCells(shape) : cellsOf,
    sorts: [
      { id: 'name', column: 'name', compare: (a, b) => cmp(containerName(a), containerName(b)) },
      { id: 'state', column: 'state', compare: (a, b) => STATE_ORDER[a.state] - STATE_ORDER[b.state] },
      // Busiest first feels natural for CPU and memory (ctop, docker stats users).
      { id: 'cpu', column: 'cpu', compare: (a, b) => cpu(b) - cpu(a) },
      { id: 'mem', column: 'mem', compare: (a, b) => mem(b) - mem(a) },
      { id: 'image', column: 'image', compare: (a, b) => cmp(a.image, b.image) },
      { id: 'health', column: 'health', compare: (a, b) => healthRank(a) - healthRank(b) },
      { id: 'restarts', column: 'restarts', compare: (a, b) => (b.restartCount ?? 0) - (a.restartCount ?? 0) },
      // A compose project's containers together, projects by name, loose containers last.
      {
        id: 'project',
        column: 'project',
        compare: (a, b) => cmp(projectOf(a) || '\uffff', projectOf(b) || '\uffff') || cmp(containerName(a), containerName(b)),
      },
      { id: 'service', column: 'service', compare: (a, b) => cmp(serviceOf(a), serviceOf(b)) || cmp(containerName(a), containerName(b)) },
    ],
    // health=… / restarts=… / project=… so a filter can say exactly which ("healthy" alone also
    // matches "unhealthy").
    filterText: (c) =>
      `${c.names.join(' ')} ${c.image} ${c.state} ${c.id.slice(0, 12)} ${c.networks.join(' ')}` +
      `${c.health ? ` ${c.health} health=${c.health}` : ''} restarts=${c.restartCount ?? 0}${projectOf(c) ? ` ${projectOf(c)} project=${projectOf(c)}` : ''}` +
      `${serviceOf(c) ? ` service=${serviceOf(c)}` : ''}`,
  };
}
