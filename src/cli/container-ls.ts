/** `berth ps` / `berth container ls`: CONTAINER ID IMAGE COMMAND CREATED STATUS PORTS NAMES. */
import type { Command } from 'commander';
import type { ContainerSummary, PortBinding } from '../engine/api.js';
import { filtersOf, type CliContext } from './context.js';
import { filterOption, intOption } from './flags/typed.js';
import { CONTAINER_KIND, EMPTY_CONTAINER_ROW, type ContainerRow } from './format/contexts.js';
import { formatList } from './format/list.js';
import { ago, humanSize, shortId } from './format/units.js';

export function portsText(ports: PortBinding[]): string {
  return ports.map((p) => `${p.hostPort ? `${p.hostIp || '0.0.0.0'}:${p.hostPort}->` : ''}${p.containerPort}/${p.protocol}`).join(', ');
}

function row(c: ContainerSummary, noTrunc: boolean): ContainerRow {
  const cmd = noTrunc || c.command.length <= 20 ? c.command : `${c.command.slice(0, 19)}…`;
  return {
    Command: JSON.stringify(cmd),
    CreatedAt: new Date(c.created)
      .toISOString()
      .replace('T', ' ')
      .replace(/\.\d+Z$/, ' +0000 UTC'),
    ID: noTrunc ? c.id : shortId(c.id),
    Image: c.image,
    // docker sorts the k=v pairs.
    Labels: Object.entries(c.labels)
      .map(([k, v]) => `${k}=${v}`)
      .sort()
      .join(','),
    labels: c.labels,
    LocalVolumes: String(c.mounts.length),
    Mounts: c.mounts.map((m) => (noTrunc ? m : m.slice(0, 15))).join(','),
    Names: c.names.join(','),
    Networks: c.networks.join(','),
    Ports: portsText(c.ports),
    RunningFor: ago(c.created),
    // docker's "2B (virtual 4.26MB)"; without --size docker has no figure either
    Size: c.sizeRw === undefined ? '0B' : `${humanSize(c.sizeRw)} (virtual ${humanSize(c.sizeRootFs ?? c.sizeRw)})`,
    State: c.state,
    Status: c.status,
  };
}

export function define(cmd: Command, ctx: CliContext): void {
  cmd
    .option('-a, --all', 'Show all containers (default shows just running)')
    .addOption(filterOption('-f, --filter <filter>', 'Filter output based on conditions provided'))
    .option('--format <string>', "Format output using a custom template: 'table', 'table TEMPLATE', 'json', 'TEMPLATE'")
    .addOption(intOption('-n, --last <int>', 'Show n last created containers (includes all states)'))
    .option('-l, --latest', 'Show the latest created container (includes all states)')
    .option('--no-trunc', "Don't truncate output")
    .option('-q, --quiet', 'Only display container IDs')
    .option('-s, --size', 'Display total file sizes')
    .action(
      async (o: { all?: boolean; filter?: string[]; format?: string; last?: number; latest?: boolean; trunc: boolean; quiet?: boolean; size?: boolean }) => {
        const engine = await ctx.engine();
        const last = o.latest ? 1 : o.last;
        // sizes cost a walk of every writable layer: only with --size, or a --format that shows them (as docker)
        const size = !o.quiet && (!!o.size || /\.Size\b/.test(o.format ?? ''));
        let list = await engine.containers.list({ all: o.all || last !== undefined, filters: filtersOf(o.filter), ...(size ? { size } : {}) });
        if (last !== undefined && last >= 0) list = list.slice(0, last);
        const rows = list.map((c) => row(c, !o.trunc));
        if (o.quiet) return ctx.out(rows.map((r) => r.ID).join('\n'));
        // docker ps --size adds the SIZE column to its default table
        const defaultFormat = o.size ? `${CONTAINER_KIND.defaultFormat}\t{{.Size}}` : undefined;
        ctx.out(formatList(rows, o.format, CONTAINER_KIND, { validateOn: EMPTY_CONTAINER_ROW, ...(defaultFormat ? { defaultFormat } : {}) }));
      },
    );
}
