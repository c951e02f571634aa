/**
 * `berth system df [-v] [--format T]`: docker's disk usage summary — TYPE, TOTAL, ACTIVE, SIZE,
 * RECLAIMABLE (with docker's percentage, a whole number) for images, containers, local volumes
 * and the build cache — or, with -v, a table per kind. Sizes are docker's units.HumanSize
 * (decimal, 4 significant digits), not the 3 of `images`.
 */
import type { Command } from 'commander';
import type { DockerDiskUsage } from '../engine/api.js';
import type { CliContext } from './context.js';
import { formatList } from './format/list.js';
import type { RowKind } from './format/rows.js';
import { tabwrite } from './format/tabwriter.js';
import { ago, shortId } from './format/units.js';

const UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];

/** go-units HumanSize: "%.4g" of the size in decimal units. */
export function dfSize(bytes: number): string {
  let v = bytes;
  let i = 0;
  while (v >= 1000 && i < UNITS.length - 1) {
    v /= 1000;
    i++;
  }
  return `${Number(v.toPrecision(4))}${UNITS[i]}`;
}

/** "1.2MB (50%)", or the size alone when the total is zero (docker's Reclaimable). */
function reclaim(reclaimable: number, total: number): string {
  return total > 0 ? `${dfSize(reclaimable)} (${Math.trunc((reclaimable * 100) / total)}%)` : dfSize(reclaimable);
}

export interface DfRow {
  type: string;
  total: number;
  active: number;
  size: string;
  reclaimable: string;
}

const isActive = (state: string) => state === 'running' || state === 'paused' || state === 'restarting';

export function dfRows(d: DockerDiskUsage): DfRow[] {
  let used = 0;
  for (const i of d.Images) if (i.Containers !== 0 && i.VirtualSize !== -1 && i.SharedSize !== -1) used += i.VirtualSize - i.SharedSize;
  let cTotal = 0;
  let cFree = 0;
  for (const c of d.Containers) {
    cTotal += c.SizeRw;
    if (!isActive(c.State)) cFree += c.SizeRw;
  }
  let vTotal = 0;
  let vFree = 0;
  for (const v of d.Volumes) {
    if (v.UsageData.Size === -1) continue;
    vTotal += v.UsageData.Size;
    if (v.UsageData.RefCount === 0) vFree += v.UsageData.Size;
  }
  return [
    {
      type: 'Images',
      total: d.Images.length,
      active: d.Images.filter((i) => i.Containers > 0).length,
      size: dfSize(d.LayersSize),
      reclaimable: reclaim(d.LayersSize - used, d.LayersSize),
    },
    {
      type: 'Containers',
      total: d.Containers.length,
      active: d.Containers.filter((c) => isActive(c.State)).length,
      size: dfSize(cTotal),
      reclaimable: reclaim(cFree, cTotal),
    },
    {
      type: 'Local Volumes',
      total: d.Volumes.length,
      active: d.Volumes.filter((v) => v.UsageData.RefCount > 0).length,
      size: dfSize(vTotal),
      reclaimable: reclaim(vFree, vTotal),
    },
    { type: 'Build Cache', total: 0, active: 0, size: dfSize(0), reclaimable: dfSize(0) },
  ];
}

/** docker's diskUsage*Context rows for templates (`{{.Type}}`, `{{json .}}`). */
const DF_KIND: RowKind<DfRow> = {
  goType: 'formatter.diskUsageContext',
  header: { Type: 'TYPE', TotalCount: 'TOTAL', Active: 'ACTIVE', Size: 'SIZE', Reclaimable: 'RECLAIMABLE' },
  methods: {
    Type: (r) => r.type,
    TotalCount: (r) => String(r.total),
    Active: (r) => String(r.active),
    Size: (r) => r.size,
    Reclaimable: (r) => r.reclaimable,
  },
  defaultFormat: 'table {{.Type}}\t{{.TotalCount}}\t{{.Active}}\t{{.Size}}\t{{.Reclaimable}}',
};

/** `-v`: docker's verbose tables, one per kind. */
export function verbose(d: DockerDiskUsage, now = Date.now()): string {
  const img = ['REPOSITORY\tTAG\tIMAGE ID\tCREATED\tSIZE\tSHARED SIZE\tUNIQUE SIZE\tCONTAINERS'];
  for (const i of d.Images) {
    const tags = i.RepoTags.length ? i.RepoTags : ['<none>:<none>'];
    for (const t of tags) {
      const at = t.lastIndexOf(':');
      const [repo, tag] = at > t.lastIndexOf('/') ? [t.slice(0, at), t.slice(at + 1)] : [t, '<none>'];
      const shared = i.SharedSize === -1 ? 'N/A' : dfSize(i.SharedSize);
      const unique = i.SharedSize === -1 ? 'N/A' : dfSize(i.VirtualSize - i.SharedSize);
      img.push(
        [repo, tag, shortId(i.Id), ago(new Date(i.Created * 1000).toISOString(), now), dfSize(i.VirtualSize), shared, unique, String(i.Containers)].join('\t'),
      );
    }
  }
  const ctr = ['CONTAINER ID\tIMAGE\tCOMMAND\tLOCAL VOLUMES\tSIZE\tCREATED\tSTATUS\tNAMES'];
  for (const c of d.Containers) {
    const cmd = c.Command.length > 20 ? `${c.Command.slice(0, 19)}…` : c.Command;
    ctr.push(
      [
        c.Id.slice(0, 12),
        c.Image,
        JSON.stringify(cmd),
        String(c.Mounts.length),
        dfSize(c.SizeRw),
        ago(new Date(c.Created * 1000).toISOString(), now),
        c.Status,
        c.Names.map((n) => n.replace(/^\//, '')).join(','),
      ].join('\t'),
    );
  }
  const vol = ['VOLUME NAME\tLINKS\tSIZE'];
  for (const v of d.Volumes) vol.push([v.Name, String(v.UsageData.RefCount), v.UsageData.Size === -1 ? 'N/A' : dfSize(v.UsageData.Size)].join('\t'));
  const cache = ['CACHE ID\tCACHE TYPE\tSIZE\tCREATED\tLAST USED\tUSAGE\tSHARED'];
  return [
    `Images space usage:\n\n${tabwrite(`${img.join('\n')}\n`)}`,
    `\nContainers space usage:\n\n${tabwrite(`${ctr.join('\n')}\n`)}`,
    `\nLocal Volumes space usage:\n\n${tabwrite(`${vol.join('\n')}\n`)}`,
    `\nBuild cache usage: 0B\n\n${tabwrite(`${cache.join('\n')}\n`)}`,
  ].join('');
}

export function define(cmd: Command, ctx: CliContext): void {
  cmd
    .option('--format <string>', 'Pretty-print images using a Go template')
    .option('-v, --verbose', 'Show detailed information on space usage')
    .action(async (o: { format?: string; verbose?: boolean }) => {
      const d = await (await ctx.engine()).system.df();
      if (o.verbose && !o.format) return void ctx.stdout.write(verbose(d));
      ctx.stdout.write(formatList(dfRows(d), o.format, DF_KIND));
    });
}
