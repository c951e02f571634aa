/**
 * `berth stats [--no-stream] [--format] [CONTAINER...]`: docker's columns; CPU % as docker
 * computes it (100 % = one core) between passes one second apart. With --no-stream the one
 * pass reports the average since the container started (podman's way; it answers at once
 * instead of waiting a second for a second sample).
 */
import type { Command } from 'commander';
import type { StatsSample } from '../engine/api.js';
import type { CliContext } from './context.js';
import { STATS_KIND, type StatsRow } from './format/contexts.js';
import { formatList } from './format/list.js';
import { binarySize, humanSize, shortId } from './format/units.js';

function row(s: StatsSample, cpu: number, noTrunc: boolean): StatsRow {
  const id = noTrunc ? s.id : shortId(s.id);
  return {
    Container: id,
    ID: id,
    Name: s.name,
    CPUPerc: `${cpu.toFixed(2)}%`,
    MemUsage: `${binarySize(s.memUsage)} / ${binarySize(s.memLimit)}`,
    MemPerc: `${s.memPercent.toFixed(2)}%`,
    NetIO: `${humanSize(s.netRx)} / ${humanSize(s.netTx)}`,
    BlockIO: `${humanSize(s.blockRead)} / ${humanSize(s.blockWrite)}`,
    PIDs: String(s.pids),
  };
}

export function define(cmd: Command, ctx: CliContext): void {
  cmd
    .argument('[container...]')
    .option('-a, --all', 'Show all containers (default shows just running)')
    .option('--format <string>', 'Format output using a custom template')
    .option('--no-stream', 'Disable streaming stats and only pull the first result')
    .option('--no-trunc', 'Do not truncate output')
    .action(async (names: string[], o: { all?: boolean; format?: string; stream: boolean; trunc: boolean }) => {
      const engine = await ctx.engine();
      const list = await engine.containers.list({ all: true });
      const wanted = names.length
        ? names.map((n) => {
            const c = list.find((x) => x.id === n || x.names.includes(n) || x.id.startsWith(n));
            if (!c) throw new Error(`No such container: ${n}`);
            return c;
          })
        : list.filter((c) => o.all || c.state === 'running');
      const ids = wanted.map((c) => c.id);
      const started = new Map(wanted.map((c) => [c.id, Date.parse(c.startedAt ?? c.created)]));
      const sampler = await engine.containers.sampler(list);
      const print = (samples: StatsSample[], first: boolean) => {
        const rows = samples.map((s) => {
          const since = Math.max(1, s.at - (started.get(s.id) ?? s.at)) * 1e6;
          const cpu = s.cpuPercent ?? (first ? (s.cpuNs / since) * 100 : 0);
          return row(s, cpu, !o.trunc);
        });
        const text = formatList(rows, o.format, STATS_KIND);
        if (o.stream && process.stdout.isTTY) process.stdout.write('\x1b[2J\x1b[H');
        process.stdout.write(text);
      };
      try {
        if (!o.stream) {
          print(await sampler.sample(ids), true);
          return;
        }
        const ac = new AbortController();
        process.once('SIGINT', () => ac.abort());
        let first = true;
        while (!ac.signal.aborted) {
          const s = await sampler.sample(names.length ? ids : undefined);
          print(s, first);
          first = false;
          await new Promise((r) => setTimeout(r, 1000));
        }
      } finally {
        await sampler.close();
      }
    });
}
