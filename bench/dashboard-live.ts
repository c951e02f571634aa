/**
 * Issue 5's steady-state budget on the real engine: `berth` (the dashboard) on a pseudo-terminal
 * with 50 running containers that each do a little work every second (a shell loop starting
 * `sleep 1`, so CPU, memory and PIDs move on every tick), measured from /proc by
 * bench/pty-steady.py: CPU of the whole process (all threads) and bytes written to the terminal.
 *
 * Node compiles hot code over the first half minute (the work moves from the interpreter to
 * optimised code, on V8's worker threads), so the window starts after a warm-up: the budget is
 * for a dashboard left open, not its first seconds. Both are reported.
 */
import { join } from 'node:path';
import type { Ctx, Row } from './cases.js';
import { BERTH_BIN, SRC_ROOT } from './engines.js';
import { ok, runTimed } from './timing.js';

const CONTAINERS = 50;
const SIZES = [
  { columns: 80, rows: 24 },
  { columns: 120, rows: 40 },
];
const WARMUP_S = 30;
const MEASURE_S = 30;

interface Steady {
  cpuMsPerS?: number;
  bytesPerS?: number;
  rssMB?: number;
  threadsMsPerS?: Record<string, number>;
  error?: string;
}

async function steady(ctx: Ctx, size: { columns: number; rows: number }, warmupS: number, seconds: number): Promise<Steady> {
  const env: NodeJS.ProcessEnv = { ...ctx.berth.env, HOME: ctx.berth.dir };
  for (const k of ['DOCKER_HOST', 'DOCKER_CONTEXT', 'BERTH_CONTEXT', 'NODE_ENV', 'NO_COLOR']) delete env[k];
  const args = [
    join(SRC_ROOT, 'bench/pty-steady.py'),
    String(size.columns),
    String(size.rows),
    'Containers',
    String(warmupS),
    String(seconds),
    '--',
    BERTH_BIN,
  ];
  const r = await runTimed({ file: 'python3', args, env }, { timeout: (warmupS + seconds + 60) * 1000 });
  try {
    return JSON.parse(r.stdout.trim().split('\n').pop() ?? '') as Steady;
  } catch {
    return { error: `exit ${r.code} ${r.stderr.trim().slice(0, 120)}` };
  }
}

function threads(s: Steady): string {
  const t = s.threadsMsPerS ?? {};
  const main = t.main ?? 0;
  const rest = Object.entries(t)
    .filter(([k]) => k !== 'main')
    .reduce((a, [, v]) => a + v, 0);
  return `main thread ${main.toFixed(1)} ms/s, V8/libuv workers ${rest.toFixed(1)} ms/s`;
}

export async function benchDashboardLive(ctx: Ctx): Promise<Row[]> {
  const e = ctx.berth;
  const names: string[] = [];
  const rows: Row[] = [];
  try {
    ctx.log(`  dashboard-live: starting ${CONTAINERS} containers`);
    for (let i = 0; i < CONTAINERS; i++) {
      const name = `${e.prefix}-live${i}`;
      await ok(e.cmd(['run', '-d', '--network', 'none', '--name', name, e.image, 'sh', '-c', 'while :; do sleep 1; done']));
      names.push(name);
    }
    for (const size of SIZES) {
      const k = `${size.columns}x${size.rows}`;
      ctx.log(`  dashboard-live: ${k}, ${WARMUP_S} s warm-up, ${MEASURE_S} s measured`);
      const s = await steady(ctx, size, WARMUP_S, MEASURE_S);
      ctx.log(`  dashboard-live: ${k}, first seconds`);
      const early = await steady(ctx, size, 3, 15);
      if (s.error || s.cpuMsPerS === undefined) {
        rows.push({
          id: 'dashboard-live',
          benchmark: `dashboard, ${CONTAINERS} running, ${k}`,
          unit: '',
          berth: `error: ${s.error ?? 'no figures'}`,
          notes: '',
        });
        continue;
      }
      const earlyNote = early.cpuMsPerS !== undefined ? `; seconds 3–18 after launch: ${(early.cpuMsPerS / 10).toFixed(2)} %` : '';
      rows.push(
        {
          id: 'dashboard-live',
          benchmark: `dashboard CPU, ${CONTAINERS} running, ${k}, steady state`,
          unit: '%',
          berth: s.cpuMsPerS / 10,
          target: 1.5,
          notes: `% of one core over ${MEASURE_S} s after ${WARMUP_S} s; ${threads(s)}${earlyNote}; real engine, berth on a pty`,
        },
        {
          id: 'dashboard-live',
          benchmark: `dashboard bytes to the terminal, ${CONTAINERS} running, ${k}`,
          unit: 'B/s',
          berth: s.bytesPerS ?? 0,
          target: 2048,
          notes: 'same window',
        },
        { id: 'dashboard-live', benchmark: `dashboard RSS, ${CONTAINERS} running, ${k}`, unit: 'MB', berth: s.rssMB ?? 0, notes: 'end of the window' },
      );
    }
  } finally {
    if (names.length) await runTimed(e.cmd(['rm', '-f', ...names]), { timeout: 300_000 });
  }
  return rows;
}
