/** The results as a markdown table (benchmark | berth | target | docker | podman | notes) and JSON. */
import { writeFileSync, renameSync } from 'node:fs';
import type { Row } from './cases.js';
import type { Stats } from './timing.js';

function fmtNum(x: number, unit: string): string {
  if (!Number.isFinite(x)) return '—';
  const digits = x >= 100 ? 0 : x >= 10 ? 1 : x >= 1 ? 2 : 3;
  return `${x.toFixed(digits)}${unit && unit !== 'ms' ? ` ${unit}` : ''}`;
}

function value(v: Stats | number | string | undefined): number | undefined {
  if (typeof v === 'number') return v;
  if (v && typeof v === 'object') return v.median;
  return undefined;
}

function cell(v: Stats | number | string | undefined, unit: string): string {
  if (v === undefined) return '';
  if (typeof v === 'string') return v.replace(/\|/g, '\\|');
  if (typeof v === 'number') return fmtNum(v, unit);
  return `${fmtNum(v.median, unit)} (${fmtNum(v.min, '')}–${fmtNum(v.max, '')})${v.failed ? ` [${v.failed} failed]` : ''}`;
}

export function verdict(r: Row): 'ok' | 'over' | undefined {
  const v = value(r.berth);
  if (r.target === undefined || v === undefined) return undefined;
  return v <= r.target ? 'ok' : 'over';
}

export function markdown(rows: Row[], compare: Record<string, string>): string {
  const lines = ['| benchmark | berth | target | docker | podman | notes |', '|---|---:|---:|---:|---:|---|'];
  for (const r of rows) {
    const v = verdict(r);
    const berth = `${cell(r.berth, r.unit)}${v === 'ok' ? ' ✓' : v === 'over' ? ` ✗ ×${(value(r.berth)! / r.target!).toFixed(1)}` : ''}`;
    const target = r.target !== undefined ? `≤ ${fmtNum(r.target, r.unit)}` : '';
    const other = (k: 'docker' | 'podman') =>
      r[k] !== undefined
        ? cell(r[k], r.unit)
        : r.berth !== undefined && r.id !== 'floor' && r.id !== 'sampler' && r.id !== 'dashboard' && r.id !== 'dashboard-live' && r.id !== 'registry'
          ? (compare[k] ?? '')
          : '';
    const cpu = (['berth', 'docker', 'podman'] as const).flatMap((k) => {
      const v = r[k];
      return v && typeof v === 'object' && v.cpu !== undefined ? [`${k} ${fmtNum(v.cpu, '')}`] : [];
    });
    const notes = [cpu.length ? `CPU/run: ${cpu.join(', ')}` : '', r.notes].filter(Boolean).join('; ');
    lines.push(`| ${r.benchmark} | ${berth} | ${target} | ${other('docker')} | ${other('podman')} | ${notes.replace(/\|/g, '\\|')} |`);
  }
  const failures = rows.flatMap((r) =>
    (['berth', 'docker', 'podman'] as const).flatMap((k) => {
      const v = r[k];
      return v && typeof v === 'object' && v.failed ? [`- ${r.benchmark}, ${k}: ${v.failed} run(s) failed, first: ${v.error}`] : [];
    }),
  );
  return `${lines.join('\n')}\n\nTimes in ms: median (min–max) of the wall times of the runs; CPU/run = mean user+system CPU ms of the command and the children it waited for (conmon and its exit command detach and are not counted); ✓ within target, ✗ ×k = k times the target.\n${failures.length ? `\nFailed runs (left out of the figures):\n${failures.join('\n')}\n` : ''}`;
}

export function writeJson(file: string, data: unknown): void {
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, `${JSON.stringify(data, null, 2)}\n`);
  renameSync(tmp, file);
}
