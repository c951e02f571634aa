/**
 * The live-limits form (`u`): memory, memory+swap, CPUs, pids limit and restart policy, prefilled
 * from inspect and sent through containers.update — `berth update` in place, no recreate. Pure:
 * fields from an inspect document, and typed values back to update options plus the CLI flags
 * that do the same. Only fields the user changed are sent (docker update's own rule: an
 * option not given is left alone).
 */
import type { ContainerUpdateOptions, DockerContainerInspect } from '../engine/api.js';
import type { FormField } from '../ui/FormDialog.js';

const UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };

/** docker's RAMInBytes: 512m, 1.5g, 1024 (binary units, as docker run --memory). */
export function parseSize(s: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*([bkmgt]?)(?:i?b)?$/i.exec(s.trim());
  if (!m) return undefined;
  return Math.round(Number(m[1]) * UNITS[m[2]!.toLowerCase()]!);
}

/** Bytes the short way a person would type them: 256m, 2g, 1536k. */
export function sizeText(n: number): string {
  for (const [u, f] of [
    ['g', 1024 ** 3],
    ['m', 1024 ** 2],
    ['k', 1024],
  ] as const)
    if (n >= f && n % f === 0) return `${n / f}${u}`;
  return String(n);
}

const num = (v: unknown) => (typeof v === 'number' ? v : 0);

export function limitsFields(ins: DockerContainerInspect): FormField[] {
  const hc = ins.HostConfig;
  const mem = num(hc['Memory']);
  const swap = num(hc['MemorySwap']);
  const cpus = num(hc['NanoCpus']);
  const pids = num(hc['PidsLimit']);
  const rp = (hc['RestartPolicy'] ?? {}) as { Name?: string; MaximumRetryCount?: number };
  const restart = !rp.Name ? 'no' : rp.Name === 'on-failure' && rp.MaximumRetryCount ? `on-failure:${rp.MaximumRetryCount}` : rp.Name;
  return [
    { id: 'memory', label: 'memory (e.g. 512m)', initial: mem > 0 ? sizeText(mem) : '', placeholder: 'unlimited' },
    { id: 'memorySwap', label: 'memory+swap (-1 = unlimited)', initial: swap > 0 ? sizeText(swap) : swap < 0 ? '-1' : '', placeholder: 'default' },
    { id: 'cpus', label: 'CPUs (e.g. 1.5)', initial: cpus > 0 ? String(cpus / 1e9) : '', placeholder: 'unlimited' },
    { id: 'pids', label: 'pids limit (-1 = unlimited)', initial: pids > 0 ? String(pids) : '', placeholder: 'unlimited' },
    { id: 'restart', label: 'restart (no|always|unless-stopped|on-failure[:N])', initial: restart },
  ];
}

export type LimitsResult = { opts: ContainerUpdateOptions; flags: string[] } | { error: string };

/** The changed fields as update options and `berth update` flags, or what is wrong with one. */
export function parseLimits(values: Readonly<Record<string, string>>, fields: readonly FormField[]): LimitsResult {
  const opts: ContainerUpdateOptions = {};
  const flags: string[] = [];
  const changed = (id: string) => {
    const v = (values[id] ?? '').trim();
    const was = (fields.find((f) => f.id === id)?.initial ?? '').trim();
    return v === was ? undefined : v;
  };
  const memory = changed('memory');
  if (memory !== undefined) {
    const n = parseSize(memory);
    if (n === undefined || n < 6 * 1024 * 1024) return { error: `memory: ${memory || '(empty)'} is not a size of at least 6m (as docker requires)` };
    opts.memory = n;
    flags.push('--memory', memory);
  }
  const swap = changed('memorySwap');
  if (swap !== undefined) {
    const n = swap === '-1' ? -1 : parseSize(swap);
    if (n === undefined) return { error: `memory+swap: ${swap || '(empty)'} is not a size or -1` };
    opts.memorySwap = n;
    flags.push('--memory-swap', swap);
  }
  const cpus = changed('cpus');
  if (cpus !== undefined) {
    const n = Number(cpus);
    if (!cpus || !Number.isFinite(n) || n <= 0) return { error: `CPUs: ${cpus || '(empty)'} is not a positive number` };
    opts.nanoCpus = Math.round(n * 1e9);
    flags.push('--cpus', cpus);
  }
  const pids = changed('pids');
  if (pids !== undefined) {
    const n = Number(pids);
    if (!/^-?\d+$/.test(pids) || n < -1) return { error: `pids limit: ${pids || '(empty)'} is not a whole number (-1 = unlimited)` };
    opts.pidsLimit = n;
    flags.push('--pids-limit', pids);
  }
  const restart = changed('restart');
  if (restart !== undefined) {
    const m = /^(no|always|unless-stopped|on-failure)(?::(\d+))?$/.exec(restart);
    if (!m || (m[2] !== undefined && m[1] !== 'on-failure'))
      return { error: `restart: ${restart || '(empty)'} is not no, always, unless-stopped or on-failure[:N]` };
    opts.restartPolicy = { name: m[1] as 'no', ...(m[2] !== undefined ? { maximumRetryCount: Number(m[2]) } : {}) };
    flags.push('--restart', restart);
  }
  if (!flags.length) return { error: 'nothing changed' };
  return { opts, flags };
}
