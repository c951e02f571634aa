/**
 * Issue 7's performance target: with 50 containers on a Docker daemon, what berth's dashboard
 * work (the events stream + one stats pass per second, the dashboard's loop without Ink) costs
 * berth (≤ 2 % of one core) and the daemon (≤ +5 points), for each stats path, beside
 * `docker stats` on the same containers in the same run.
 *
 * `benchDocker({ host? })`: without a host it starts a private dockerd (test/docker/dockerd.ts)
 * and removes it afterwards. Rows have bench/cases.ts's Row shape.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { DockerEngine } from '../src/engine/docker/engine.js';
import { createSampler } from '../src/engine/docker/stats.js';
import { TestDockerd } from '../test/docker/dockerd.js';

export interface DockerBenchOptions {
  host?: string;
  containers?: number;
  seconds?: number;
  log?: (msg: string) => void;
}

export interface DockerBenchRow {
  id: string;
  benchmark: string;
  unit: string;
  berth?: number | string;
  docker?: number | string;
  target?: number;
  notes: string;
}

const TICK = 100; // USER_HZ

/** utime+stime of a process and its children still running (dockerd → containerd), in ms. */
function treeCpuMs(pid: number): number {
  let total = 0;
  const stat = (p: number) => {
    try {
      const s = readFileSync(`/proc/${p}/stat`, 'utf8');
      const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
      return ((Number(f[11]) + Number(f[12])) * 1000) / TICK;
    } catch {
      return 0;
    }
  };
  total += stat(pid);
  try {
    for (const c of readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean)) total += stat(Number(c));
  } catch {
    // no children file: the daemon alone
  }
  return total;
}

async function window(seconds: number, daemonPid: number | undefined, work: () => Promise<void>): Promise<{ selfPct: number; daemonPct: number }> {
  const c0 = process.cpuUsage();
  const d0 = daemonPid ? treeCpuMs(daemonPid) : 0;
  const t0 = Date.now();
  await work();
  const wall = Date.now() - t0;
  const c = process.cpuUsage(c0);
  return { selfPct: ((c.user + c.system) / 1000 / wall) * 100, daemonPct: daemonPid ? ((treeCpuMs(daemonPid) - d0) / wall) * 100 : NaN };
}

export async function benchDocker(opts: DockerBenchOptions = {}): Promise<DockerBenchRow[]> {
  const log = opts.log ?? (() => undefined);
  const n = opts.containers ?? 50;
  const seconds = opts.seconds ?? 10;
  const own = opts.host ? undefined : new TestDockerd('berth-dbench');
  const rows: DockerBenchRow[] = [];
  try {
    if (own) {
      log('starting a private dockerd');
      await own.start();
      await own.importBusybox();
    }
    const host = opts.host ?? own!.host;
    const engine = own?.engine ?? new DockerEngine({ host });
    const daemonPid = own ? Number(readFileSync(`${own.dir}/docker.pid`, 'utf8')) : undefined;
    log(`starting ${n} containers`);
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const { id } = await engine.containers.create({ image: 'busybox', name: `bench-${i}`, cmd: ['sleep', '3600'], labels: { 'berth.bench': '1' } });
      await engine.containers.start(id);
      ids.push(id);
    }
    await sleep(1000);
    const idle = await window(seconds, daemonPid, () => sleep(seconds * 1000));
    rows.push({
      id: 'docker-idle',
      benchmark: `daemon idle, ${n} containers`,
      unit: '% of one core',
      berth: +idle.daemonPct.toFixed(2),
      notes: 'baseline for the rows below',
    });

    for (const [mode, o] of [
      ['cgroup', { cgroups: true }],
      ['one-shot', { cgroups: false, oneShot: true }],
      ['stream', { cgroups: false, oneShot: false }],
    ] as const) {
      if (mode === 'cgroup' && !engine.client.endpoint.local) continue;
      const sampler = await createSampler(engine.client, o);
      const ac = new AbortController();
      // The dashboard's loop: the events stream open, one stats pass a second.
      const events = (async () => {
        try {
          for await (const _ of engine.system.events(ac.signal)) void _;
        } catch {
          // aborted
        }
      })();
      await sampler.sample();
      await sleep(1000);
      const w = await window(seconds, daemonPid, async () => {
        for (let i = 0; i < seconds; i++) {
          const t = Date.now();
          await sampler.sample();
          await sleep(Math.max(0, 1000 - (Date.now() - t)));
        }
      });
      ac.abort();
      await events;
      await sampler.close();
      rows.push({
        id: `docker-dash-${mode}`,
        benchmark: `dashboard loop, stats by ${mode}`,
        unit: '% of one core (berth)',
        berth: +w.selfPct.toFixed(2),
        target: 2,
        notes: `${sampler.mode}`,
      });
      rows.push({
        id: `docker-daemon-${mode}`,
        benchmark: `daemon + containerd under it, stats by ${mode}`,
        unit: 'points over idle',
        berth: +(w.daemonPct - idle.daemonPct).toFixed(2),
        target: 5,
        notes: '',
      });
    }

    const cli = ['/usr/bin/docker', '/usr/local/bin/docker'].find((p) => existsSync(p));
    if (cli) {
      const child = spawn(cli, ['-H', host, 'stats', '--format', '{{.ID}} {{.CPUPerc}}'], { stdio: ['ignore', 'ignore', 'ignore'] });
      await sleep(2000);
      const c0 = treeCpuMs(child.pid!);
      const w = await window(seconds, daemonPid, () => sleep(seconds * 1000));
      const cliPct = ((treeCpuMs(child.pid!) - c0) / (seconds * 1000)) * 100;
      child.kill('SIGTERM');
      rows.push({
        id: 'docker-stats-cli',
        benchmark: '`docker stats` on the same containers',
        unit: '% of one core',
        docker: +cliPct.toFixed(2),
        notes: 'the docker CLI process',
      });
      rows.push({
        id: 'docker-stats-daemon',
        benchmark: 'daemon + containerd under `docker stats`',
        unit: 'points over idle',
        docker: +(w.daemonPct - idle.daemonPct).toFixed(2),
        notes: '',
      });
    }
    if (!own) {
      for (const id of ids) await engine.containers.remove(id, { force: true }).catch(() => undefined);
      await engine.close();
    }
  } finally {
    if (own) await own.stop();
  }
  return rows;
}

// `node dist/bench/docker.js` runs it alone.
if (import.meta.url === `file://${process.argv[1]}`) {
  benchDocker({ log: (m) => process.stderr.write(`${m}\n`), host: process.env.BENCH_DOCKER_HOST }).then(
    (rows) => console.table(rows),
    (e) => {
      console.error(e);
      process.exitCode = 1;
    },
  );
}
