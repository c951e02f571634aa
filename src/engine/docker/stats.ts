/**
 * Live stats from a Docker-API daemon without loading it. Cheapest first:
 *  1. cgroup files, when the daemon is on this machine (unix socket) and a container's cgroup
 *     is readable here: the same CgroupSampler the embedded engine uses, no daemon work at all;
 *  2. `one-shot=true` stats (API ≥ 1.41): one quick reading per container per pass; CPU % is
 *     computed here between two passes (docker's formula, 100 % = one core);
 *  3. older daemons: one `stream=true` stats connection per running container, kept open, whose
 *     latest message is used (a stream answers once a second and does its own two readings).
 * The set of running containers is listed once and again only after a container event (the
 * events stream), not on every pass.
 */
import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import type { StatsReading, StatsSample, StatsSampler } from '../api.js';
import { type CgroupDirs, type CgroupLayout, CgroupSampler, detectCgroups } from '../../cgroups/index.js';
import { type DockerClient, jsonLines } from './client.js';
import { arr, num, optObj, str, strs, type Json } from './wire.js';

/** One daemon stats document → a reading (memory as docker shows it: usage − inactive file). */
export function readingOf(v: unknown, id: string, name: string, at: number): StatsReading {
  const o = optObj(v);
  const cpu = optObj(o.cpu_stats);
  const usage = optObj(cpu.cpu_usage);
  const mem = optObj(o.memory_stats);
  const ms = optObj(mem.stats);
  // v1: total_inactive_file; v2: inactive_file (docker's calculateMemUsageUnixNoCache).
  const inactive = num(ms.total_inactive_file, num(ms.inactive_file));
  const used = num(mem.usage);
  let rx = 0;
  let tx = 0;
  for (const n of Object.values(optObj(o.networks))) {
    rx += num(optObj(n).rx_bytes);
    tx += num(optObj(n).tx_bytes);
  }
  let read = 0;
  let write = 0;
  for (const e of arr(optObj(o.blkio_stats).io_service_bytes_recursive)) {
    const x = optObj(e);
    const op = str(x.op).toLowerCase();
    if (op === 'read') read += num(x.value);
    if (op === 'write') write += num(x.value);
  }
  return {
    id,
    name,
    cpuNs: num(usage.total_usage),
    systemNs: num(cpu.system_cpu_usage),
    onlineCpus: num(cpu.online_cpus) || arr(usage.percpu_usage).length || 1,
    memUsage: inactive < used ? used - inactive : used,
    memLimit: num(mem.limit),
    netRx: rx,
    netTx: tx,
    blockRead: read,
    blockWrite: write,
    pids: num(optObj(o.pids_stats).current),
    at,
  };
}

/** docker's CPU %: Δcontainer / Δsystem × online CPUs × 100. */
export function cpuPercent(prev: Pick<StatsReading, 'cpuNs' | 'systemNs'>, cur: StatsReading): number {
  const dc = cur.cpuNs - prev.cpuNs;
  const ds = cur.systemNs - prev.systemNs;
  return dc > 0 && ds > 0 ? (dc / ds) * cur.onlineCpus * 100 : 0;
}

function sampleOf(r: StatsReading, pct: number | null): StatsSample {
  return { ...r, cpuPercent: pct, memPercent: r.memLimit > 0 ? (r.memUsage / r.memLimit) * 100 : 0 };
}

/** A container's cgroup directories from /proc/<pid>/cgroup, if they are this machine's and its. */
export function cgroupDirsOf(layout: CgroupLayout, id: string, procCgroup: string): CgroupDirs | undefined {
  const lines = procCgroup
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const [, ctrls = '', path = ''] = /^\d+:([^:]*):(.*)$/.exec(l) ?? [];
      return { ctrls: ctrls.split(','), path };
    });
  // The id in the path proves the pid is that container's on this machine (not a pid of
  // another pid namespace, e.g. a daemon in a VM behind a forwarded socket).
  if (layout.version === 2) {
    const l = lines.find((x) => x.ctrls.length === 1 && x.ctrls[0] === '');
    return l && l.path.includes(id) ? { version: 2, dir: `${layout.root}${l.path}` } : undefined;
  }
  const byController: Record<string, string> = {};
  for (const [ctrl, mount] of Object.entries(layout.v1Mounts)) {
    const l = lines.find((x) => x.ctrls.includes(ctrl));
    if (!l || !l.path.includes(id)) return undefined;
    byController[ctrl] = `${mount}${l.path}`;
  }
  return { version: 1, byController };
}

interface Running {
  id: string;
  name: string;
}

const CONCURRENCY = 8;

async function mapLimit<T, R>(items: T[], n: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let i = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (i < items.length) {
        const k = i++;
        out[k] = await fn(items[k]!);
      }
    }),
  );
  return out;
}

export class DockerStatsSampler implements StatsSampler {
  private running: Running[] = [];
  private dirty = true;
  private readonly events = new AbortController();
  private cgroups?: CgroupSampler;
  /** Containers whose cgroup files we could not use (read through the API instead). */
  private readonly viaApi = new Set<string>();
  private readonly prev = new Map<string, StatsReading>();
  private readonly streams = new Map<string, { res?: IncomingMessage; latest?: Json; ac: AbortController }>();
  /** Which path was used in the last pass, for tests and the bench. */
  mode: 'cgroup' | 'one-shot' | 'stream' | 'mixed' = 'one-shot';

  private readonly useOneShot: boolean;

  constructor(
    private readonly c: DockerClient,
    opts: { cgroups?: boolean; oneShot?: boolean } = {},
  ) {
    this.useOneShot = opts.oneShot ?? c.atLeast('1.41');
    if ((opts.cgroups ?? true) && c.endpoint.local) {
      try {
        this.cgroups = new CgroupSampler({ layout: detectCgroups() });
      } catch {
        this.cgroups = undefined;
      }
    }
    void this.watch();
  }

  /** Container events mark the running set stale; the next pass lists again. */
  private async watch(): Promise<void> {
    const filters = JSON.stringify({ type: ['container'], event: ['start', 'die', 'destroy', 'rename', 'pause', 'unpause', 'restart'] });
    while (!this.events.signal.aborted) {
      try {
        const res = await this.c.stream('GET', '/events', { query: { filters }, signal: this.events.signal });
        for await (const _ of jsonLines(res)) this.dirty = true;
      } catch {
        // the daemon went away: list on every pass until the stream is back
      }
      this.dirty = true;
      if (!this.events.signal.aborted) await new Promise((r) => setTimeout(r, 2000).unref());
    }
  }

  private async refresh(): Promise<void> {
    this.dirty = false;
    const list = arr(await this.c.json('GET', '/containers/json', { query: { filters: JSON.stringify({ status: ['running'] }) } }));
    const next = list.map((x) => ({ id: str(optObj(x).Id), name: (strs(optObj(x).Names)[0] ?? '').replace(/^\//, '') }));
    const ids = new Set(next.map((r) => r.id));
    for (const id of [...this.prev.keys()]) if (!ids.has(id)) this.prev.delete(id);
    for (const [id, s] of this.streams) if (!ids.has(id)) (s.ac.abort(), this.streams.delete(id));
    if (this.cgroups) {
      for (const id of this.cgroups.ids()) if (!ids.has(id)) this.cgroups.untrack(id);
      const tracked = new Set(this.cgroups.ids());
      for (const id of [...this.viaApi]) if (!ids.has(id)) this.viaApi.delete(id);
      // New containers, and ones whose cgroup went away (a restart): look up their cgroup.
      for (const r of next) if (!tracked.has(r.id) && !this.viaApi.has(r.id)) await this.trackCgroup(r);
    }
    this.running = next;
  }

  private async trackCgroup(r: Running): Promise<void> {
    this.viaApi.add(r.id);
    try {
      const pid = num(optObj(optObj(await this.c.json('GET', `/containers/${r.id}/json`)).State).Pid);
      if (pid <= 0) return;
      const dirs = cgroupDirsOf(this.cgroups!.layout, r.id, readFileSync(`/proc/${pid}/cgroup`, 'utf8'));
      if (dirs && this.cgroups!.track(r.id, r.name, dirs, pid)) this.viaApi.delete(r.id);
    } catch {
      // not readable here: the API it is
    }
  }

  async sample(ids?: string[]): Promise<StatsSample[]> {
    if (this.dirty) await this.refresh();
    const want = ids ? this.running.filter((r) => ids.includes(r.id) || ids.includes(r.name)) : this.running;
    const out: StatsSample[] = [];
    const api: Running[] = [];
    const cg = this.cgroups ? new Set(this.cgroups.ids()) : undefined;
    const local = want.filter((r) => cg?.has(r.id) && !this.viaApi.has(r.id));
    if (local.length) {
      const names = new Map(want.map((r) => [r.id, r.name]));
      for (const s of this.cgroups!.sample(local.map((r) => r.id))) out.push({ ...s, name: names.get(s.id) ?? s.name });
    }
    for (const r of want) if (!local.includes(r)) api.push(r);
    if (api.length) {
      if (!this.useOneShot) {
        // One stream per container asked for (the visible ones, when the caller names them).
        const keep = new Set(api.map((r) => r.id));
        for (const [id, st] of this.streams) if (!keep.has(id)) (st.ac.abort(), this.streams.delete(id));
      }
      const read = this.useOneShot ? await mapLimit(api, CONCURRENCY, (r) => this.oneShot(r)) : api.map((r) => this.fromStream(r));
      for (const s of read) if (s) out.push(s);
    }
    this.mode = api.length === 0 && local.length ? 'cgroup' : local.length ? 'mixed' : this.useOneShot ? 'one-shot' : 'stream';
    return out;
  }

  private async oneShot(r: Running): Promise<StatsSample | undefined> {
    try {
      const doc = await this.c.json('GET', `/containers/${r.id}/stats`, { query: { stream: false, 'one-shot': true } });
      const cur = readingOf(doc, r.id, r.name, Date.now());
      const prev = this.prev.get(r.id);
      this.prev.set(r.id, cur);
      return sampleOf(cur, prev ? cpuPercent(prev, cur) : null);
    } catch {
      this.dirty = true; // it stopped between the list and the read
      return undefined;
    }
  }

  /** The latest message of the container's stats stream (opened on first use). */
  private fromStream(r: Running): StatsSample | undefined {
    let s = this.streams.get(r.id);
    if (!s) {
      const entry: { res?: IncomingMessage; latest?: Json; ac: AbortController } = { ac: new AbortController() };
      this.streams.set(r.id, entry);
      s = entry;
      void (async () => {
        try {
          const res = await this.c.stream('GET', `/containers/${r.id}/stats`, { query: { stream: true }, signal: entry.ac.signal });
          entry.res = res;
          for await (const doc of jsonLines(res)) entry.latest = optObj(doc);
        } catch {
          // closed or gone
        }
        if (this.streams.get(r.id) === entry) this.streams.delete(r.id);
      })();
    }
    if (!s.latest) return undefined;
    const cur = readingOf(s.latest, r.id, r.name, Date.now());
    const pre = optObj(s.latest.precpu_stats);
    const hasPre = num(pre.system_cpu_usage) > 0;
    return sampleOf(cur, hasPre ? cpuPercent({ cpuNs: num(optObj(pre.cpu_usage).total_usage), systemNs: num(pre.system_cpu_usage) }, cur) : null);
  }

  async close(): Promise<void> {
    this.events.abort();
    for (const s of this.streams.values()) s.ac.abort();
    this.streams.clear();
    this.cgroups?.close();
  }
}

export async function createSampler(c: DockerClient, opts?: { cgroups?: boolean; oneShot?: boolean }): Promise<DockerStatsSampler> {
  await c.negotiate();
  return new DockerStatsSampler(c, opts);
}
