/**
 * Render-cost benchmark for the dashboard (not a test: no timed assertions). Renders N fake
 * running containers on a fake TTY with the production render options (incremental rendering,
 * alternate screen), drives the stats ticks by hand and reports, per steady-state tick, the CPU
 * time of this process and the bytes written to the "terminal"; plus time to first frame, key
 * press to frame, and RSS. `npm run bench` calls `benchDashboard` (see the lead's bench/main).
 *
 * CPU includes the fake engine's sampler pass (cheap next to the real one, which the platform
 * notes put at ~0.8 ms per 50 containers) and React/Ink/Yoga work.
 */
import { EventEmitter } from 'node:events';
import { Writable } from 'node:stream';
import { render } from 'ink';
import { Dashboard } from '../../src/screens/Dashboard.js';
import { manualClock } from '../../src/screens/clock.js';
import { FakeEngine } from '../fakes/fake-engine.js';
import { installInkPatches } from '../../src/ui/ink-patches.js';

export interface BenchOptions {
  containers: number;
  /** How many of them are busy (figures change every tick); default all — the worst case. */
  busy?: number;
  /** Read the host's CPU/memory through systeminformation, as in production (default: off). */
  hostStats?: boolean;
  /** Keys typed before measuring, e.g. '2' to measure with the images pane up. */
  keys?: string;
  /** Steady-state ticks measured (after warm-up). */
  ticks?: number;
  warmup?: number;
  columns?: number;
  rows?: number;
  /** Time between ticks; Ink throttles frames to maxFps, so keep this above 50 ms. */
  tickGapMs?: number;
}

export interface BenchResult {
  keys: string;
  containers: number;
  busy: number;
  hostStats: boolean;
  columns: number;
  rows: number;
  ticks: number;
  cpuMsPerTick: number;
  bytesPerTick: number;
  /** At 1 Hz: CPU % of one core and bytes per second to the terminal. */
  cpuPercentAt1Hz: number;
  bytesPerSecondAt1Hz: number;
  firstFrameMs: number;
  keyToFrameMs: number;
  rssMB: number;
  /** Ink frames per tick (1 is ideal: one state update per sampler pass). */
  framesPerTick: number;
}

class FakeTty extends Writable {
  isTTY = true;
  bytes = 0;
  writes = 0;
  onWrite?: () => void;
  constructor(
    public columns: number,
    public rows: number,
  ) {
    super();
  }
  override _write(chunk: Buffer | string, _enc: BufferEncoding, cb: () => void): void {
    this.bytes += Buffer.byteLength(chunk);
    this.writes++;
    this.onWrite?.();
    cb();
  }
}

class FakeTtyIn extends EventEmitter {
  isTTY = true;
  private data: string | null = null;
  setEncoding() {}
  setRawMode() {}
  resume() {}
  pause() {}
  ref() {}
  unref() {}
  read = () => {
    const d = this.data;
    this.data = null;
    return d;
  };
  write(s: string) {
    this.data = s;
    this.emit('readable');
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function benchDashboard(opts: BenchOptions): Promise<BenchResult> {
  const columns = opts.columns ?? 120;
  const rows = opts.rows ?? 40;
  const ticks = opts.ticks ?? 30;
  const warmup = opts.warmup ?? 65; // past the first minute, when sparklines are full
  const gap = opts.tickGapMs ?? 60;
  // As runDashboard does (BENCH_INK_CACHE=0 measures Ink unpatched).
  if (process.env['BENCH_INK_CACHE'] !== '0') await installInkPatches();
  const engine = new FakeEngine({ running: opts.containers, busy: opts.busy ?? opts.containers });
  const clock = manualClock();
  const stdout = new FakeTty(columns, rows);
  const stdin = new FakeTtyIn();

  let frames = 0;
  const t0 = performance.now();
  let firstFrameMs = -1;
  stdout.onWrite = () => {
    if (firstFrameMs < 0) firstFrameMs = performance.now() - t0;
  };
  const app = render(
    <Dashboard
      engine={engine}
      engineLabel="embedded"
      caps={{ color: process.env.BENCH_COLOR !== '0', unicode: process.env.BENCH_ASCII !== '1' }}
      hostStats={opts.hostStats ? undefined : null}
      clock={clock}
    />,
    {
      stdout: stdout as unknown as NodeJS.WriteStream,
      stdin: stdin as unknown as NodeJS.ReadStream,
      exitOnCtrlC: false,
      patchConsole: false,
      alternateScreen: true,
      incrementalRendering: true,
      interactive: true,
      maxFps: 20,
      onRender: () => {
        frames++;
      },
    },
  );
  // Wait for the lists to load (the first frame with rows).
  await sleep(200);
  for (const k of opts.keys ?? '') {
    stdin.write(k);
    await sleep(20);
  }
  for (let i = 0; i < warmup; i++) {
    clock.tick();
    await sleep(5);
  }
  await sleep(gap);

  const bytes0 = stdout.bytes;
  const frames0 = frames;
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < ticks; i++) {
    clock.tick();
    await sleep(gap);
  }
  const cpu = process.cpuUsage(cpu0);
  const bytes = stdout.bytes - bytes0;
  const framesPerTick = (frames - frames0) / ticks;

  // Key press to frame: the next write after a 'j'.
  const writesBefore = stdout.writes;
  const k0 = performance.now();
  let keyToFrameMs = -1;
  stdout.onWrite = () => {
    if (keyToFrameMs < 0 && stdout.writes > writesBefore) keyToFrameMs = performance.now() - k0;
  };
  stdin.write('j');
  await sleep(150);

  const rssMB = process.memoryUsage().rss / 1024 / 1024;
  app.unmount();
  await sleep(20);
  const cpuMsPerTick = (cpu.user + cpu.system) / 1000 / ticks;
  const bytesPerTick = bytes / ticks;
  return {
    keys: opts.keys ?? '',
    containers: opts.containers,
    busy: opts.busy ?? opts.containers,
    hostStats: opts.hostStats ?? false,
    columns,
    rows,
    ticks,
    cpuMsPerTick: round(cpuMsPerTick),
    bytesPerTick: Math.round(bytesPerTick),
    cpuPercentAt1Hz: round(cpuMsPerTick / 10),
    bytesPerSecondAt1Hz: Math.round(bytesPerTick),
    firstFrameMs: Math.round(firstFrameMs),
    keyToFrameMs: round(keyToFrameMs),
    rssMB: Math.round(rssMB),
    framesPerTick: round(framesPerTick),
  };
}

const round = (n: number) => Math.round(n * 100) / 100;

/**
 * 50 containers (all busy: the worst case; and 10 busy of 50) at 80x24 and 120x40, and 500 at
 * 120x40, as a table for `npm run bench`. Run with NODE_ENV=production, as runDashboard does.
 */
export async function benchDashboardSuite(ticks = 60): Promise<BenchResult[]> {
  const out: BenchResult[] = [];
  for (const [containers, busy, columns, rows, hostStats, keys] of [
    [50, 50, 80, 24, false, ''],
    [50, 10, 80, 24, false, ''],
    [50, 10, 80, 24, true, ''],
    [50, 10, 80, 24, false, 'G'], // selection at the bottom: the busy rows are off screen
    [50, 50, 80, 24, false, '2'], // images pane up
    [50, 50, 120, 40, false, ''],
    [50, 10, 120, 40, false, ''],
    [500, 500, 120, 40, false, ''],
  ] as const) {
    out.push(await benchDashboard({ containers, busy, columns, rows, ticks, hostStats, keys }));
  }
  return out;
}

// `node dist/test/screens/dashboard-bench.js` runs the suite directly.
if (import.meta.url === `file://${process.argv[1]}`) {
  if (process.env['NODE_ENV'] !== 'production') console.error('note: run with NODE_ENV=production (React dev mode costs ~20 %)');
  const results = await benchDashboardSuite();
  console.table(results);
}
