/**
 * `npm run bench [-- --only run,ps --n 10 --json FILE --no-compare]`: berth's speed and memory
 * targets (issues 3, 4, 5), measured on real containers in a temp state root, side by side with
 * podman and docker where they are installed and running. Prints a markdown table; cleans up
 * everything it made (`berth system reset --force`, then the temp dir) also on failure or Ctrl-C.
 */
import { busyboxRootfs, busyboxTarball } from '../test/fixtures/busybox.js';
import {
  benchBridge,
  benchCommit,
  benchDashboardRows,
  benchFleet,
  benchFloor,
  benchNetwork,
  benchRegistryRows,
  benchRun,
  benchSamplerRows,
  type Ctx,
  type Row,
} from './cases.js';
import { type Availability, type BenchEngine, BerthEngine, comparisonEngines, which } from './engines.js';
import { markdown, verdict, writeJson } from './report.js';
import { killChildren } from './timing.js';
import { performance } from 'node:perf_hooks';
import { hostname, cpus, release, loadavg } from 'node:os';

const ALL = [
  'floor',
  'run',
  'bridge',
  'commit',
  'stop',
  'network',
  'ps',
  'stats',
  'sampler',
  'dashboard',
  'dashboard-live',
  'registry',
  'docker',
  'images',
  'api',
] as const;
type Id = (typeof ALL)[number];
/** Benchmarks that need no container engine state. */
const NO_ENGINE: readonly Id[] = ['sampler', 'dashboard', 'images'];

interface Options {
  only: Set<Id>;
  n: number;
  json?: string;
  compare: boolean;
}

const USAGE = `usage: npm run bench -- [--only ${ALL.join(',')}] [--n N] [--json FILE] [--no-compare]
  --only LIST    run only these benchmarks (comma-separated; default all)
  --n N          runs per timed figure (default 20; median reported)
  --json FILE    also write the results as JSON to FILE
  --no-compare   skip podman and docker even when installed
`;

function parseArgs(argv: string[]): Options {
  const o: Options = { only: new Set(ALL), n: 20, compare: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const [flag, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const val = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    if (flag === '--only') {
      const ids = val()
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      for (const id of ids) if (!(ALL as readonly string[]).includes(id)) throw new Error(`unknown benchmark "${id}" (known: ${ALL.join(', ')})`);
      o.only = new Set(ids as Id[]);
    } else if (flag === '--n') {
      o.n = Number(val());
      if (!Number.isInteger(o.n) || o.n < 1) throw new Error('--n must be a positive integer');
    } else if (flag === '--json') o.json = val();
    else if (flag === '--no-compare') o.compare = false;
    else if (flag === '-h' || flag === '--help') {
      process.stdout.write(USAGE);
      process.exit(0);
    } else throw new Error(`unknown option ${a}\n${USAGE}`);
  }
  return o;
}

const log = (msg: string) => process.stderr.write(`${msg}\n`);

async function main(): Promise<number> {
  let opts: Options;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`bench: ${(e as Error).message}\n`);
    return 2;
  }
  if (process.getuid?.() !== 0) log('bench: warning: not root; containers will fail');
  const t0 = performance.now();
  const load0 = loadavg();
  const needEngines = [...opts.only].some((id) => !NO_ENGINE.includes(id));
  const berth = new BerthEngine();
  const { engines: others, availability } = needEngines
    ? comparisonEngines({ noCompare: !opts.compare })
    : { engines: [] as BenchEngine[], availability: [] as Availability[] };
  const all: BenchEngine[] = [berth, ...others];

  // Clean-up on every way out: normal end, exception, Ctrl-C, SIGTERM. Synchronous on purpose.
  let cleaned = false;
  const cleanup = () => {
    if (cleaned) return;
    cleaned = true;
    log('bench: cleaning up');
    for (const e of all) e.cleanup();
  };
  const onSignal = (sig: NodeJS.Signals) => {
    log(`bench: ${sig}`);
    killChildren();
    cleanup();
    process.exit(sig === 'SIGINT' ? 130 : 143);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);
  process.on('exit', cleanup);

  const rows: Row[] = [];
  const compare: Record<string, string> = {};
  for (const a of availability) if (!a.available) compare[a.engine] = a.note;
  try {
    const ctx: Ctx = { n: opts.n, berth, others: [], log };
    const has = (id: Id) => opts.only.has(id);
    if (needEngines) {
      log(`bench: berth state in ${berth.dir} (bridge ${berth.bridge})`);
      for (const a of availability) log(`bench: ${a.engine}: ${a.note}`);
      const tarball = busyboxTarball();
      for (const e of all) {
        try {
          await e.importImage(tarball);
          if (e !== berth) ctx.others.push(e);
        } catch (err) {
          if (e === berth) throw err;
          compare[e.name] = `import failed: ${String((err as Error).message).slice(0, 80)}`;
          log(`bench: ${e.name}: ${String(err)}`);
        }
      }
    }
    if (has('floor')) {
      log('bench: floor');
      rows.push(...(await benchFloor(ctx, busyboxRootfs())));
    }
    if (has('run')) {
      log('bench: run --rm --net none');
      rows.push(...(await benchRun(ctx)));
    }
    if (has('bridge')) {
      log('bench: run --rm (bridge)');
      rows.push(...(await benchBridge(ctx)));
    }
    if (has('commit')) {
      log('bench: commit');
      rows.push(...(await benchCommit(ctx)));
    }
    if (has('stop')) {
      log('bench: stop');
      const { benchStop } = await import('./stop.js');
      rows.push(...(await benchStop(ctx)));
    }
    if (has('network')) {
      log('bench: network connect/disconnect');
      rows.push(...(await benchNetwork(ctx)));
    }
    if (has('ps') || has('stats')) {
      log('bench: ps / stats with 50 running');
      rows.push(...(await benchFleet(ctx, { ps: has('ps'), stats: has('stats') })));
    }
    if (has('sampler')) {
      log('bench: cgroup sampler');
      rows.push(...(await benchSamplerRows(ctx)));
    }
    if (has('dashboard')) {
      log('bench: dashboard');
      rows.push(...(await benchDashboardRows(ctx)));
    }
    if (has('dashboard-live')) {
      log('bench: dashboard on the real engine');
      const { benchDashboardLive } = await import('./dashboard-live.js');
      rows.push(...(await benchDashboardLive(ctx)));
    }
    if (has('registry')) {
      log('bench: registry');
      rows.push(...(await benchRegistryRows(ctx)));
    }
    if (has('docker')) {
      // The Docker-API backend against a dockerd of its own (issue 7): berth's and the daemon's CPU.
      log('bench: docker backend');
      const { benchDocker } = await import('./docker.js');
      rows.push(...(await benchDocker({ log })));
    }
    if (has('images')) {
      // Issue 12: import, load and pull of the real Debian image, each into an empty store.
      log('bench: images');
      const { benchImages } = await import('./images.js');
      const podman = opts.compare ? which('podman') : undefined;
      rows.push(...(await benchImages({ n: Math.min(opts.n, 5), log, ...(podman ? { podman } : {}) })));
    }
    if (has('api')) {
      // docker's CLI through berth's Engine API socket beside a dockerd (issue 14)
      log('bench: docker run through the API socket');
      const { benchApi } = await import('./api.js');
      rows.push(...(await benchApi(ctx, busyboxTarball())));
    }
  } catch (e) {
    log(`bench: failed: ${(e as Error).stack ?? String(e)}`);
    process.exitCode = 1;
  } finally {
    cleanup();
  }

  const elapsed = (performance.now() - t0) / 1000;
  const host = { hostname: hostname(), kernel: release(), cpus: cpus().length, cpu: cpus()[0]?.model ?? '', loadavgAtStart: load0, loadavgAtEnd: loadavg() };
  process.stdout.write(
    `\n## berth benchmarks (${new Date().toISOString()}, ${host.cpus} × ${host.cpu}, kernel ${host.kernel}, n=${opts.n}, ${elapsed.toFixed(0)} s)\n\n`,
  );
  process.stdout.write(
    `- load average at start / end: ${load0.map((x) => x.toFixed(2)).join(' ')} / ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')} (${host.cpus} CPUs; figures from a busy machine are inflated)\n`,
  );
  for (const a of availability) process.stdout.write(`- ${a.engine}: ${a.available ? a.note : a.note}\n`);
  process.stdout.write(`\n${markdown(rows, compare)}`);
  const over = rows.filter((r) => verdict(r) === 'over');
  if (over.length) process.stdout.write(`\nOver target: ${over.map((r) => r.benchmark).join('; ')}\n`);
  if (opts.json) {
    writeJson(opts.json, {
      date: new Date().toISOString(),
      host,
      n: opts.n,
      seconds: elapsed,
      availability,
      rows: rows.map((r) => ({ ...r, verdict: verdict(r) ?? null })),
    });
    log(`bench: wrote ${opts.json}`);
  }
  return process.exitCode === 1 ? 1 : 0;
}

process.exitCode = await main();
