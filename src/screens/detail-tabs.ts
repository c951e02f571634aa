/**
 * The detail view's tabs as lines, pure: processes (`top`), environment, mounts, ports,
 * networks, raw inspect JSON, image history (as `berth history`), and CPU/memory graphs.
 */
import type { DockerContainerInspect, ImageHistoryEntry, TopResult } from '../engine/api.js';
import type { Theme } from '../ui/theme.js';
import type { Glyphs } from '../ui/glyphs.js';
import { sparkline } from '../ui/sparkline.js';
import { ago, bytes, memBytes, shortId } from '../ui/format.js';
import { fit } from '../ui/text.js';

export interface TabSpec {
  id: string;
  label: string;
}

export const CONTAINER_TABS: readonly TabSpec[] = [
  { id: 'overview', label: 'overview' },
  { id: 'processes', label: 'top' },
  { id: 'env', label: 'env' },
  { id: 'mounts', label: 'mounts' },
  { id: 'ports', label: 'ports' },
  { id: 'networks', label: 'networks' },
  { id: 'inspect', label: 'inspect' },
  { id: 'graphs', label: 'graphs' },
];
export const IMAGE_TABS: readonly TabSpec[] = [
  { id: 'overview', label: 'overview' },
  { id: 'history', label: 'history' },
  { id: 'inspect', label: 'inspect' },
];

/** "1 overview  2 top  …" with the current tab highlighted. */
export function tabBar(tabs: readonly TabSpec[], current: number, width: number, theme: Theme, ellipsis: string): string {
  const parts = tabs.map((t, i) => {
    const text = ` ${i + 1} ${t.label} `;
    return i === current ? theme.paint('selected', text) : theme.paint('muted', text);
  });
  const plain = tabs.map((t, i) => ` ${i + 1} ${t.label} `).join('');
  return plain.length <= width ? parts.join('') : fit(plain, width, 'left', ellipsis);
}

/** Columns padded to their widest cell; the last column (the command) takes what is left. */
export function tableLines(titles: readonly string[], rows: readonly (readonly string[])[], theme: Theme): string[] {
  const widths = titles.map((t, i) => Math.max(t.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
  return [theme.paint('header', line(titles)), ...rows.map(line)];
}

export function topLines(top: TopResult, theme: Theme): string[] {
  if (!top.processes.length) return [theme.paint('muted', 'no processes')];
  return tableLines(top.titles, top.processes, theme);
}

const none = (theme: Theme, rows: string[]) => (rows.length ? rows : [theme.paint('muted', '(none)')]);

export function envLines(i: DockerContainerInspect, theme: Theme): string[] {
  return none(theme, [...(i.Config.Env ?? [])]);
}

export function mountLines(i: DockerContainerInspect, theme: Theme): string[] {
  if (!i.Mounts.length) return none(theme, []);
  return tableLines(
    ['TYPE', 'SOURCE', 'DESTINATION', 'MODE'],
    i.Mounts.map((m) => [m.Type, m.Name ? `${m.Name} (${m.Source})` : m.Source, m.Destination, m.RW ? 'rw' : 'ro']),
    theme,
  );
}

export function portLines(i: DockerContainerInspect, theme: Theme): string[] {
  const rows = Object.entries(i.NetworkSettings.Ports ?? {}).flatMap(([p, bs]) =>
    bs && bs.length ? bs.map((b) => [p, `${b.HostIp || '0.0.0.0'}:${b.HostPort}`]) : [[p, '(not published)']],
  );
  return rows.length ? tableLines(['CONTAINER', 'HOST'], rows, theme) : none(theme, []);
}

export function networkLines(i: DockerContainerInspect, theme: Theme): string[] {
  const rows = Object.entries(i.NetworkSettings.Networks ?? {}).map(([n, e]) => [
    n,
    e.IPAddress ? `${e.IPAddress}/${e.IPPrefixLen}` : '-',
    e.Gateway || '-',
    e.MacAddress || '-',
    (e.Aliases ?? []).join(','),
  ]);
  return rows.length ? tableLines(['NETWORK', 'ADDRESS', 'GATEWAY', 'MAC', 'ALIASES'], rows, theme) : none(theme, []);
}

/** The inspect document as `berth inspect` prints it (indented JSON), one line per line. */
export function inspectLines(doc: unknown): string[] {
  return JSON.stringify(doc, null, 4).split('\n');
}

/**
 * `berth history`: IMAGE CREATED SIZE COMMENT CREATED BY. The command is the point of the view,
 * so it is never cut: what does not fit the width continues on indented lines below.
 */
export function historyLines(h: readonly ImageHistoryEntry[], now: number, width: number, theme: Theme): string[] {
  if (!h.length) return [theme.paint('muted', 'no history')];
  const plain = tableLines(
    ['IMAGE', 'CREATED', 'SIZE', 'COMMENT', 'CREATED BY'],
    h.map((e) => [e.id === '<missing>' ? e.id : shortId(e.id), ago(e.created, now), bytes(e.size), e.comment, e.createdBy]),
    makePlain,
  );
  const indent = plain[0]!.indexOf('CREATED BY');
  const out: string[] = [theme.paint('header', plain[0]!)];
  for (const l of plain.slice(1)) {
    if (l.length <= width || indent >= width - 10) {
      out.push(l);
      continue;
    }
    out.push(l.slice(0, width));
    for (let i = width; i < l.length; i += width - indent) out.push(' '.repeat(indent) + l.slice(i, i + width - indent));
  }
  return out;
}

const makePlain: Theme = { color: false, paint: (_t, text) => text, ink: {} };

export interface GraphHistory {
  /** Oldest first, one per stats pass. */
  cpu: number[];
  mem: number[];
  memLimit: number;
  /** Absolute number of the first sample (for the sparkline's stable buckets). */
  start: number;
}

/**
 * Two sparklines, CPU % and memory, over the kept window, with the current and peak figures.
 * CPU's scale is the larger of 100 % and the peak (a busy multi-core container), memory's the limit.
 */
export function graphLines(h: GraphHistory, width: number, perMinute: number, theme: Theme, glyphs: Glyphs, sampledOnScreen = false): string[] {
  // A daemon is asked only for the rows on screen (one stats call per container per pass is
  // dear over a network), so a row's history starts when it was first shown: say so.
  const partial = sampledOnScreen ? [theme.paint('muted', fit('this host is sampled only for rows on screen: history from when shown', width))] : [];
  if (!h.cpu.length) return [theme.paint('muted', 'collecting samples… (the container must be running)'), ...partial];
  const w = Math.max(10, width - 2);
  const perBucket = Math.max(1, Math.ceil(h.cpu.length / w));
  const cpuNow = h.cpu[h.cpu.length - 1]!;
  const cpuPeak = Math.max(...h.cpu);
  const memNow = h.mem[h.mem.length - 1] ?? 0;
  const memPeak = Math.max(0, ...h.mem);
  const minutes = (h.cpu.length / perMinute).toFixed(1);
  return [
    theme.paint('muted', `last ${minutes} min, ${h.cpu.length} samples (kept while the dashboard runs)`),
    ...partial,
    '',
    `${theme.paint('title', 'CPU %')}  now ${cpuNow.toFixed(1)}%  peak ${cpuPeak.toFixed(1)}%  (100% = 1 core)`,
    ` ${theme.paint('running', sparkline({ values: h.cpu, start: h.start }, w, perBucket, Math.max(100, cpuPeak), glyphs.spark))}`,
    '',
    `${theme.paint('title', 'Memory')}  now ${memBytes(memNow)}  peak ${memBytes(memPeak)}  limit ${memBytes(h.memLimit)}`,
    ` ${theme.paint('accent', sparkline({ values: h.mem, start: h.start }, w, perBucket, Math.max(1, h.memLimit), glyphs.spark))}`,
  ];
}
