/**
 * The benchmarks. Each measures one thing on berth and, where it makes sense, on the comparison
 * engines with the same command line, and returns rows for the report.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchEngine, BerthEngine, PodmanEngine, DockerEngine } from './engines.js';
import { SRC_ROOT, BERTH_BIN } from './engines.js';
import { childCpuMs, type Cmd, ok, repeat, runTimed, type Stats, stats as statsOf } from './timing.js';
import type { BenchResult } from '../test/screens/dashboard-bench.js';

export interface Row {
  id: string;
  benchmark: string;
  unit: string;
  berth?: Stats | number | string;
  /** Target: berth's figure must be ≤ this. */
  target?: number;
  docker?: Stats | number | string;
  podman?: Stats | number | string;
  notes: string;
}

export interface Ctx {
  n: number;
  berth: BerthEngine;
  others: BenchEngine[];
  log(msg: string): void;
}

/** Per engine: its figure, or the reason there is none. */
async function perEngine(ctx: Ctx, row: Omit<Row, 'docker' | 'podman'>, measure: (e: BenchEngine) => Promise<Stats | number | string>): Promise<Row> {
  const out: Row = { ...row };
  for (const e of [ctx.berth as BenchEngine, ...ctx.others]) {
    try {
      ctx.log(`  ${row.id}: ${e.name}`);
      out[e.name] = await measure(e);
    } catch (err) {
      out[e.name] = `error: ${String((err as Error).message ?? err)
        .split('\n')[0]!
        .slice(0, 120)}`;
      ctx.log(`  ${row.id}: ${e.name} failed: ${String(err)}`);
    }
  }
  return out;
}

const timedOk = async (c: Cmd): Promise<number> => (await ok(c)).ms;

/** The node binary scripts/node picks (Node ≥ 22), to time its bare start-up. */
function nodeBinary(): string {
  return spawnSync(join(SRC_ROOT, 'scripts/node'), ['-p', 'process.execPath'], { encoding: 'utf8' }).stdout.trim();
}

export async function benchFloor(ctx: Ctx, rootfs: string): Promise<Row[]> {
  const node = nodeBinary();
  const rows: Row[] = [];
  ctx.log('floor: node start-up');
  rows.push({
    id: 'floor',
    benchmark: "`node -e ''` (bare Node start-up)",
    unit: 'ms',
    berth: await repeat(ctx.n, async () => timedOk({ file: node, args: ['-e', ''] })),
    notes: node,
  });
  rows.push({
    id: 'floor',
    benchmark: "`scripts/node -e ''` (bin/berth's Node launcher)",
    unit: 'ms',
    berth: await repeat(ctx.n, async () => timedOk({ file: join(SRC_ROOT, 'scripts/node'), args: ['-e', ''] })),
    notes: 'bin/berth and scripts/node are sh wrappers (dirname, cd) around node',
  });
  ctx.log('floor: berth --version');
  rows.push({
    id: 'floor',
    benchmark: '`berth --version`',
    unit: 'ms',
    berth: await repeat(ctx.n, async () => timedOk(ctx.berth.cmd(['--version']))),
    notes: 'wrapper + CLI module graph, no engine',
  });
  ctx.log('floor: runc run true');
  const { runcFloor, runtimeFloor } = await import('./runtime-floor.js');
  rows.push({
    id: 'floor',
    benchmark: '`runc run` of `true` alone (floor)',
    unit: 'ms',
    berth: await runcFloor(ctx, rootfs),
    notes: 'same busybox rootfs; issue ref: 26',
  });
  ctx.log('floor: conmon + runc create/start/delete');
  rows.push({
    id: 'floor',
    benchmark: 'conmon → `runc create`, `runc start`, exit, `runc delete` of `true` (floor of `run --rm`)',
    unit: 'ms',
    berth: await runtimeFloor(ctx, rootfs),
    notes: "in-process with the engine's conmon module: no Node start-up, no berth state; add `node -e ''` for the least a Node CLI can take",
  });
  ctx.log('floor: CNI bridge ADD/DEL');
  const { cniFloor } = await import('./cni-floor.js');
  const cni = await cniFloor(ctx);
  const cniNotes = "in-process with the engine's CNI module, berth's bridge configuration; no Node start-up, no berth state";
  rows.push(
    { id: 'floor', benchmark: 'CNI bridge plugin ADD into a netns (floor of `network connect`)', unit: 'ms', berth: cni.add, notes: cniNotes },
    { id: 'floor', benchmark: 'CNI bridge plugin DEL (floor of `network disconnect`)', unit: 'ms', berth: cni.del, notes: cniNotes },
  );
  return rows;
}

export async function benchRun(ctx: Ctx): Promise<Row[]> {
  const none = await perEngine(
    ctx,
    { id: 'run', benchmark: '`run --rm --net none IMAGE true`', unit: 'ms', target: 70, notes: 'issue ref: docker 202, podman 137, runc 26' },
    async (e) => repeat(ctx.n, async () => timedOk(e.cmd(['run', '--rm', '--network', 'none', e.image, 'true']))),
  );
  return [none];
}

export async function benchBridge(ctx: Ctx): Promise<Row[]> {
  return [
    await perEngine(
      ctx,
      { id: 'bridge', benchmark: '`run --rm IMAGE true` (default bridge)', unit: 'ms', target: 100, notes: 'issue ref: docker 276, podman 325' },
      async (e) => repeat(ctx.n, async () => timedOk(e.cmd(['run', '--rm', e.image, 'true']))),
    ),
  ];
}

const TEN_MB = 10 * 1024 * 1024;

export async function benchCommit(ctx: Ctx): Promise<Row[]> {
  const n = Math.min(ctx.n, 10);
  return [
    await perEngine(
      ctx,
      {
        id: 'commit',
        benchmark: '`commit` of a container that wrote 10 MB',
        unit: 'ms',
        target: 100,
        notes: `10 MB from /dev/urandom (incompressible); median of ${n}; issue ref: docker 103`,
      },
      async (e) => {
        const name = `${e.prefix}-w`;
        await ok(e.cmd(['run', '--network', 'none', '--name', name, e.image, 'sh', '-c', `head -c ${TEN_MB} /dev/urandom > /big`]));
        return repeat(n, async (i) => timedOk(e.cmd(['commit', name, `${e.prefix}-img${i + 10}`])));
      },
    ),
  ];
}

export async function benchNetwork(ctx: Ctx): Promise<Row[]> {
  const connect: Row = { id: 'network', benchmark: '`network connect` (running container, user network)', unit: 'ms', target: 50, notes: '' };
  const disconnect: Row = { id: 'network', benchmark: '`network disconnect` (same)', unit: 'ms', target: 50, notes: '' };
  for (const e of [ctx.berth as BenchEngine, ...ctx.others]) {
    try {
      ctx.log(`  network: ${e.name}`);
      const net = `${e.prefix}-net`;
      const ctr = `${e.prefix}-nc`;
      await ok(e.cmd(['network', 'create', net]));
      if ('networks' in e) (e as PodmanEngine | DockerEngine).networks.push(net);
      await ok(e.cmd(['run', '-d', '--name', ctr, e.image, 'sleep', '3600']));
      const c: number[] = [];
      const d: number[] = [];
      let cpuC = 0;
      let cpuD = 0;
      for (let i = -1; i < ctx.n; i++) {
        const c0 = childCpuMs();
        const tc = await timedOk(e.cmd(['network', 'connect', net, ctr]));
        const c1 = childCpuMs();
        const td = await timedOk(e.cmd(['network', 'disconnect', net, ctr]));
        if (i >= 0) {
          c.push(tc);
          d.push(td);
          cpuC += c1 - c0;
          cpuD += childCpuMs() - c1;
        }
      }
      await ok(e.cmd(['rm', '-f', ...(e.name === 'podman' ? ['-t', '0'] : []), ctr]));
      connect[e.name] = { ...statsOf(c), cpu: cpuC / ctx.n };
      disconnect[e.name] = { ...statsOf(d), cpu: cpuD / ctx.n };
    } catch (err) {
      connect[e.name] = disconnect[e.name] = `error: ${String((err as Error).message)
        .split('\n')[0]!
        .slice(0, 120)}`;
      ctx.log(`  network: ${e.name} failed: ${String(err)}`);
    }
  }
  return [connect, disconnect];
}

export const FLEET = 50;

/** 50 running `sleep` containers, then `ps -a` and `stats --no-stream` over them. */
export async function benchFleet(ctx: Ctx, which: { ps: boolean; stats: boolean }): Promise<Row[]> {
  const runD: Row = {
    id: 'ps',
    benchmark: `\`run -d --net none IMAGE sleep 3600\` (making the ${FLEET})`,
    unit: 'ms',
    notes: 'set-up of the ps/stats benchmarks',
  };
  const ps: Row = { id: 'ps', benchmark: `\`ps -a\` with ${FLEET} running`, unit: 'ms', target: 50, notes: 'issue ref: docker 23, podman 54' };
  const st: Row = { id: 'stats', benchmark: `\`stats --no-stream\` for ${FLEET}`, unit: 'ms', target: 80, notes: 'issue ref: docker 1990, podman 66' };
  const rm: Row = { id: 'ps', benchmark: `\`rm -f\` of the ${FLEET} (one command)`, unit: 'ms', notes: 'clean-up, for information' };
  for (const e of [ctx.berth as BenchEngine, ...ctx.others]) {
    try {
      ctx.log(`  fleet: ${e.name}: starting ${FLEET}`);
      const names: string[] = [];
      // A failed start is retried under a new name (counted), so that there are 50 to list.
      let attempt = 0;
      runD[e.name] = await repeat(
        FLEET,
        async () => {
          const name = `${e.prefix}-s${attempt++}`;
          names.push(name);
          return timedOk(e.cmd(['run', '-d', '--network', 'none', '--name', name, e.image, 'sleep', '3600']));
        },
        0,
      );
      const running = (await ok(e.cmd(['ps', '-q']))).stdout.split('\n').filter(Boolean).length;
      if (running < FLEET) {
        for (let i = running; i < FLEET; i++) {
          const name = `${e.prefix}-s${attempt++}`;
          names.push(name);
          await ok(e.cmd(['run', '-d', '--network', 'none', '--name', name, e.image, 'sleep', '3600']));
        }
      }
      if (which.ps) ps[e.name] = await repeat(ctx.n, async () => timedOk(e.cmd(['ps', '-a'])));
      // docker's stats waits ~2 s for a second sample: a few runs are enough there.
      if (which.stats) st[e.name] = await repeat(e.name === 'docker' ? Math.min(ctx.n, 3) : ctx.n, () => timedOk(e.cmd(['stats', '--no-stream'])));
      // podman's rm -f stops with a 10 s grace first (sleep as PID 1 ignores SIGTERM); docker's kills.
      rm[e.name] = (await runTimed(e.cmd(['rm', '-f', ...(e.name === 'podman' ? ['-t', '0'] : []), ...names]))).ms; // names of failed starts may not exist
    } catch (err) {
      const msg = `error: ${String((err as Error).message)
        .split('\n')[0]!
        .slice(0, 120)}`;
      for (const r of [runD, ps, st]) if (r[e.name] === undefined) r[e.name] = msg;
      ctx.log(`  fleet: ${e.name} failed: ${String(err)}`);
    }
  }
  return [runD, ...(which.ps ? [ps] : []), ...(which.stats ? [st] : []), rm];
}

export async function benchSamplerRows(ctx: Ctx): Promise<Row[]> {
  const { benchSampler } = await import('../src/cgroups/index.js');
  const rows: Row[] = [];
  for (const kind of ['live', 'fixture-v1', 'fixture-v2'] as const) {
    try {
      ctx.log(`  sampler: ${kind}`);
      const r = benchSampler({ containers: FLEET, passes: 200, kind });
      rows.push({
        id: 'sampler',
        benchmark: `cgroup sampler, per container per pass (${kind}${kind === 'live' ? `, ${r.mode}` : ''})`,
        unit: 'ms',
        berth: r.perContainerMs,
        target: 1,
        notes: `${r.containers} containers, ${r.passes} passes, ${r.perPassMs.toFixed(3)} ms/pass; issue: "well under 1 ms"`,
      });
    } catch (err) {
      rows.push({ id: 'sampler', benchmark: `cgroup sampler (${kind})`, unit: 'ms', berth: `error: ${String(err).slice(0, 120)}`, notes: '' });
    }
  }
  return rows;
}

/** What the dashboard's render benchmark reports (one JSON line from its child process). */
type DashResult = BenchResult;

/**
 * The render-cost runs: 50 busy containers at 80x24 and at a larger size, and 500 at both (issue
 * 15: the steady cost with 500 must stay what it is with 50, and the first frame under 400 ms).
 */
const DASH_RUNS = [
  { containers: FLEET, columns: 80, rows: 24 },
  { containers: FLEET, columns: 120, rows: 40 },
  { containers: 500, columns: 80, rows: 24 },
  { containers: 500, columns: 120, rows: 40 },
] as const;

/**
 * Issue 15's figures for 50 busy containers: ≈1 % of a core (10 ms of CPU per 1 Hz tick),
 * ≈0.9 KB/s to the terminal at 80x24, RSS ≈ 92 MB; the first frame under 400 ms.
 */
const DASH_TARGET = { cpuMsPerTick: 10, bytesPerTick80x24: 922, bytesPerTick: 2048, rssMB: 92, rssMB500: 150, firstFrameMs: 400 } as const;

/**
 * The dashboard's render-cost helper (`benchDashboard`), looked for in src/screens, src/ui and
 * test/screens; run in a child process so that its RSS is its own, with React's production
 * build (runDashboard chooses it; the development build also coalesces frames, so its bytes
 * per tick are not a user's). Then `berth` itself on a pseudo-terminal: first frame after the
 * launch, and key press to frame.
 */
export async function benchDashboardRows(ctx: Ctx): Promise<Row[]> {
  const candidates = ['dist/src/screens/dashboard-bench.js', 'dist/src/ui/dashboard-bench.js', 'dist/test/screens/dashboard-bench.js'];
  const found = candidates.find((p) => {
    try {
      readFileSync(join(SRC_ROOT, p));
      return true;
    } catch {
      return false;
    }
  });
  if (!found)
    return [{ id: 'dashboard', benchmark: 'dashboard', unit: '', berth: 'n/a', notes: 'no exported benchDashboard in src/screens, src/ui or test/screens' }];
  const rows: Row[] = [];
  const results: DashResult[] = [];
  for (const run of DASH_RUNS) {
    ctx.log(`  dashboard: ${run.containers} busy containers at ${run.columns}x${run.rows} (${found})`);
    // As runDashboard does before Ink loads: every Ink patch, from its one place.
    const patches = JSON.stringify(join(SRC_ROOT, 'dist/src/ui/ink-patches.js'));
    const script = `import(${patches}).then((p) => p.installInkPatches()).then(() => import(${JSON.stringify(join(SRC_ROOT, found))})).then((m) => m.benchDashboard({ ...${JSON.stringify(run)}, ticks: 30 })).then((r) => { process.stdout.write('\\n@@' + JSON.stringify(r) + '\\n'); process.exit(0); })`;
    const r = await runTimed(
      { file: join(SRC_ROOT, 'scripts/node'), args: ['--input-type=module', '-e', script], env: { ...process.env, NO_COLOR: '1', NODE_ENV: 'production' } },
      { timeout: 300_000 },
    );
    const line = r.stdout.split('\n').find((l) => l.startsWith('@@'));
    if (r.code !== 0 || !line) {
      rows.push({
        id: 'dashboard',
        benchmark: `dashboard, ${run.containers} containers`,
        unit: '',
        berth: `error: exit ${r.code} ${r.stderr.trim().split('\n').slice(-1)[0] ?? ''}`.slice(0, 160),
        notes: found,
      });
      continue;
    }
    results.push(JSON.parse(line.slice(2)) as DashResult);
  }
  for (const d of results) {
    const k = `${d.containers} busy, ${d.columns}x${d.rows}`;
    const big = d.containers >= 500;
    const small = d.columns <= 80 && d.rows <= 24;
    const bytesTarget = small ? DASH_TARGET.bytesPerTick80x24 : DASH_TARGET.bytesPerTick;
    rows.push({
      id: 'dashboard',
      benchmark: `dashboard CPU per tick, ${k}`,
      unit: 'ms',
      berth: d.cpuMsPerTick,
      notes: `= ${d.cpuPercentAt1Hz.toFixed(2)} % of a core at 1 Hz${big ? ' (issue 15: as with 50)' : ' (target ≈ 1 % → ≤ 10 ms/tick)'}; ${d.framesPerTick.toFixed(2)} frames/tick`,
      ...(big ? {} : { target: DASH_TARGET.cpuMsPerTick }),
    });
    rows.push({
      id: 'dashboard',
      benchmark: `dashboard bytes written per tick, ${k}`,
      unit: 'B',
      berth: d.bytesPerTick,
      notes: `${(d.bytesPerSecondAt1Hz / 1024).toFixed(2)} KB/s at 1 Hz${big ? ' (issue 15: as with 50)' : small ? ' (target ≈ 0.9 KB/s)' : ' (target ≤ 2 KB/s)'}`,
      ...(big ? {} : { target: bytesTarget }),
    });
    rows.push({
      id: 'dashboard',
      benchmark: `dashboard RSS, ${k}`,
      unit: 'MB',
      berth: d.rssMB,
      notes: big ? '' : 'target ≈ 92 MB (issue 15)',
      target: big ? DASH_TARGET.rssMB500 : DASH_TARGET.rssMB,
    });
    rows.push({
      id: 'dashboard',
      benchmark: `dashboard first frame (in-process), ${k}`,
      unit: 'ms',
      berth: d.firstFrameMs,
      target: DASH_TARGET.firstFrameMs,
      notes: 'render() to the first write to the terminal, in-process (no Node start-up)',
    });
    rows.push({ id: 'dashboard', benchmark: `dashboard key press → frame (in-process), ${k}`, unit: 'ms', berth: d.keyToFrameMs, target: 50, notes: 'j' });
  }
  rows.forEach((r) => (r.notes = `${r.notes}${r.notes ? '; ' : ''}fake engine`));
  rows.push(...(await benchDashboardLaunch(ctx)));
  return rows;
}

/**
 * `berth` with no arguments on a 120x40 pseudo-terminal (bench/pty-launch.py), on the embedded
 * engine in the bench's state root: launch to first frame, and key press to frame. Median of a
 * few launches; the first, which fills V8's compile cache after a build, is left out.
 */
async function benchDashboardLaunch(ctx: Ctx): Promise<Row[]> {
  const n = Math.min(ctx.n, 7);
  const env: NodeJS.ProcessEnv = { ...ctx.berth.env, HOME: ctx.berth.dir };
  delete env.DOCKER_HOST;
  delete env.DOCKER_CONTEXT;
  delete env.BERTH_CONTEXT;
  delete env.NODE_ENV;
  const first: number[] = [];
  const keys: number[] = [];
  let error = '';
  for (let i = -1; i < n; i++) {
    ctx.log(`  dashboard launch ${i + 1}/${n}`);
    const r = await runTimed(
      { file: 'python3', args: [join(SRC_ROOT, 'bench/pty-launch.py'), '120', '40', 'Containers', '300', '--', BERTH_BIN], env },
      { timeout: 120_000 },
    );
    const line = r.stdout.trim().split('\n').pop() ?? '';
    let res: { firstFrameMs?: number; keyToFrameMs?: number; error?: string } = {};
    try {
      res = JSON.parse(line) as typeof res;
    } catch {
      res = { error: `exit ${r.code} ${r.stderr.trim().slice(0, 100)}` };
    }
    if (res.error || res.firstFrameMs === undefined) error ||= res.error ?? 'no frame';
    else if (i >= 0) {
      first.push(res.firstFrameMs);
      if (res.keyToFrameMs !== undefined) keys.push(res.keyToFrameMs);
    }
  }
  const notes = `\`berth\` on a 120x40 pty, empty embedded engine; median of ${n} launches after one to warm the compile cache${error ? `; failed: ${error}` : ''}`;
  return [
    {
      id: 'dashboard',
      benchmark: 'dashboard first frame after launch',
      unit: 'ms',
      berth: first.length ? statsOf(first) : `error: ${error}`,
      target: DASH_TARGET.firstFrameMs,
      notes,
    },
    {
      id: 'dashboard',
      benchmark: 'dashboard key press → frame (berth on a pty)',
      unit: 'ms',
      berth: keys.length ? statsOf(keys) : `error: ${error}`,
      target: 50,
      notes: "median of each launch's median of 6 pane switches",
    },
  ];
}

/** A colleague's bench/registry.ts (pull/push vs skopeo), when present. */
export async function benchRegistryRows(ctx: Ctx): Promise<Row[]> {
  const spec = './registry.js'; // not a literal: tsc must not require the module to exist
  let mod: Record<string, unknown>;
  try {
    mod = (await import(spec)) as Record<string, unknown>;
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ERR_MODULE_NOT_FOUND')
      return [{ id: 'registry', benchmark: 'registry pull/push vs skopeo', unit: '', berth: 'n/a', notes: 'bench/registry.ts not present' }];
    return [{ id: 'registry', benchmark: 'registry pull/push vs skopeo', unit: '', berth: `error: ${String(e).slice(0, 120)}`, notes: '' }];
  }
  const fn = (mod.benchRegistry ?? mod.default ?? Object.values(mod).find((v) => typeof v === 'function')) as ((o: unknown) => unknown) | undefined;
  if (typeof fn !== 'function')
    return [{ id: 'registry', benchmark: 'registry pull/push vs skopeo', unit: '', berth: 'n/a', notes: 'bench/registry.js exports no function' }];
  try {
    const res = await fn({ n: ctx.n, berth: BERTH_BIN, env: ctx.berth.env, dir: ctx.berth.dir, image: ctx.berth.image, log: ctx.log });
    return toRows(res);
  } catch (e) {
    return [{ id: 'registry', benchmark: 'registry pull/push vs skopeo', unit: '', berth: `error: ${String(e).slice(0, 160)}`, notes: '' }];
  }
}

/** Whatever shape registry.ts returns: rows already, an array of records, or one record of figures. */
function toRows(res: unknown): Row[] {
  const list = Array.isArray(res) ? res : [res];
  return list.map((r, i) => {
    const o = (r ?? {}) as Record<string, unknown>;
    if (typeof o.benchmark === 'string') return { id: 'registry', unit: 'ms', notes: '', ...(o as object) } as Row;
    const name = String(o.name ?? o.benchmark ?? o.op ?? `registry ${i + 1}`);
    const num = (k: string) => (typeof o[k] === 'number' ? (o[k] as number) : undefined);
    const berth = num('berth') ?? num('berthMs') ?? num('ms') ?? num('median');
    const skopeo = num('skopeo') ?? num('skopeoMs');
    return {
      id: 'registry',
      benchmark: name,
      unit: 'ms',
      ...(berth !== undefined ? { berth } : { berth: JSON.stringify(o).slice(0, 80) }),
      ...(typeof o.target === 'number' ? { target: o.target } : {}),
      notes: skopeo !== undefined ? `skopeo ${skopeo.toFixed(0)} ms` : String(o.notes ?? ''),
    };
  });
}
