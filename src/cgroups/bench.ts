/**
 * Micro-benchmark of the sampler: the cost of one pass per container. Exported for
 * `npm run bench`; not a timed test (timings on shared CI machines are noise).
 *
 *  - 'live':       N empty real cgroups on this host (v1 or v2), made and removed here.
 *  - 'fixture-v1' / 'fixture-v2': N recorded-style trees of regular files in a temp dir
 *                  (measures our parsing and syscalls, not the kernel's cgroup code).
 * Each container also reads this process's /proc/self/net/dev, as a tracked pid would.
 */
import { mkdirSync, mkdtempSync, rmSync, rmdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { type CgroupLayout, detectCgroups } from './detect.js';
import type { CgroupDirs } from './paths.js';
import { CgroupSampler } from './sampler.js';

export type BenchKind = 'live' | 'fixture-v1' | 'fixture-v2';

export interface BenchResult {
  kind: BenchKind;
  mode: string;
  containers: number;
  passes: number;
  /** Mean wall time of one pass over all containers, ms. */
  perPassMs: number;
  /** perPassMs / containers. */
  perContainerMs: number;
}

const V1_FILES: Record<string, Record<string, string>> = {
  cpuacct: { 'cpuacct.usage': '123456789012\n' },
  memory: {
    'memory.usage_in_bytes': '52330496\n',
    'memory.limit_in_bytes': '9223372036854771712\n',
    'memory.stat':
      'cache 2568192\nrss 3325952\nmapped_file 0\ninactive_file 2433024\n'.repeat(1) +
      'total_cache 2568192\ntotal_rss 3325952\ntotal_inactive_file 2433024\ntotal_active_file 135168\n',
  },
  pids: { 'pids.current': '3\n' },
  blkio: {
    'blkio.throttle.io_service_bytes_recursive': '8:0 Read 4096\n8:0 Write 8192\n8:0 Sync 12288\n8:0 Async 0\n8:0 Discard 0\n8:0 Total 12288\nTotal 12288\n',
  },
};
const V2_FILES: Record<string, string> = {
  'cpu.stat': 'usage_usec 123456789\nuser_usec 100000000\nsystem_usec 23456789\nnr_periods 0\nnr_throttled 0\nthrottled_usec 0\n',
  'memory.current': '52330496\n',
  'memory.max': 'max\n',
  'memory.stat':
    'anon 3325952\nfile 2568192\nkernel_stack 16384\nslab 120000\nactive_anon 3325952\ninactive_anon 0\nactive_file 135168\ninactive_file 2433024\nunevictable 0\n',
  'pids.current': '3\n',
  'io.stat': '8:0 rbytes=4096 wbytes=8192 rios=1 wios=2 dbytes=0 dios=0\n',
};

function fixtureDirs(base: string, kind: 'fixture-v1' | 'fixture-v2', i: number): CgroupDirs {
  if (kind === 'fixture-v2') {
    const dir = join(base, `c${i}`);
    mkdirSync(dir, { recursive: true });
    for (const [f, body] of Object.entries(V2_FILES)) writeFileSync(join(dir, f), body);
    return { version: 2, dir };
  }
  const byController: Record<string, string> = {};
  for (const [ctrl, files] of Object.entries(V1_FILES)) {
    const dir = join(base, ctrl, `c${i}`);
    mkdirSync(dir, { recursive: true });
    for (const [f, body] of Object.entries(files)) writeFileSync(join(dir, f), body);
    byController[ctrl] = dir;
  }
  return { version: 1, byController };
}

/** The controllers the sampler reads, to make live cgroups in. */
const LIVE_V1 = ['cpuacct', 'memory', 'pids', 'blkio'];

export function benchSampler(opts: { containers?: number; passes?: number; kind?: BenchKind; layout?: CgroupLayout } = {}): BenchResult {
  const n = opts.containers ?? 50;
  const passes = opts.passes ?? 200;
  const kind = opts.kind ?? 'live';
  const layout = opts.layout ?? detectCgroups();
  const made: string[] = [];
  let tmp: string | undefined;
  const sampler = new CgroupSampler({ layout });
  try {
    const parent = `berth-bench-${process.pid}`;
    if (kind !== 'live') tmp = mkdtempSync(join(tmpdir(), 'berth-cg-bench-'));
    for (let i = 0; i < n; i++) {
      let dirs: CgroupDirs;
      if (kind !== 'live') dirs = fixtureDirs(tmp!, kind, i);
      else if (layout.version === 2) {
        const dir = join(layout.root, parent, `c${i}`);
        mkdirSync(dir, { recursive: true });
        made.push(dir);
        dirs = { version: 2, dir };
      } else {
        const byController: Record<string, string> = {};
        for (const c of LIVE_V1) {
          const mount = layout.v1Mounts[c];
          if (!mount) continue;
          const dir = join(mount, parent, `c${i}`);
          mkdirSync(dir, { recursive: true });
          made.push(dir);
          byController[c] = dir;
        }
        dirs = { version: 1, byController };
      }
      if (!sampler.track(`c${i}`, `c${i}`, dirs, process.pid)) throw new Error(`bench: cgroup ${i} not found`);
    }
    for (let i = 0; i < 20; i++) sampler.sample(); // warm up (JIT, page cache)
    const t0 = performance.now();
    for (let i = 0; i < passes; i++) sampler.sample();
    const perPassMs = (performance.now() - t0) / passes;
    return { kind, mode: layout.mode, containers: n, passes, perPassMs, perContainerMs: perPassMs / n };
  } finally {
    sampler.close();
    // Children first, then the per-controller parents.
    const parents = new Set<string>();
    for (const d of made.reverse()) {
      rmdirSync(d);
      parents.add(join(d, '..'));
    }
    for (const p of parents) rmdirSync(p);
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  }
}
