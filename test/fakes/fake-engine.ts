/**
 * An in-memory Engine for dashboard tests and benchmarks. It keeps real state (containers change
 * state on start/stop/pause, networks gain and lose endpoints, commit makes an image), emits the
 * events the real engine would, and its sampler returns counters that grow between passes, so the
 * screens are exercised as they would be against the embedded engine — not against a stub.
 *
 * `calls` records every mutating call; `failNext(method, err)` makes the next call of a method
 * reject, for the dashboard's error paths.
 */
import { createHash } from 'node:crypto';
import { PassThrough, type Readable, type Writable } from 'node:stream';
import type {
  ContainerApi,
  ContainerCreateOptions,
  ContainerState,
  ContainerSummary,
  DockerContainerInspect,
  DockerImageInspect,
  Engine,
  EngineEvent,
  EngineInfo,
  ExecOptions,
  ImageApi,
  ImageSummary,
  LogLine,
  LogOptions,
  NetworkApi,
  NetworkCreateOptions,
  NetworkSummary,
  ProcessIO,
  StatsSample,
  StatsSampler,
  SystemApi,
  VolumeApi,
  VolumeSummary,
} from '../../src/engine/api.js';
import type { BuildOptions, SystemPruneReport } from '../../src/engine/api.js'; // house
import { EngineError } from '../../src/engine/errors.js';
import { pack as tarPack, extract as tarExtract } from 'tar-stream';
import { posix } from 'node:path';

const posixDirname = (p: string) => posix.dirname(p);

const GiB = 1024 ** 3;
const HOST_MEM = 8 * GiB;
const NCPU = 2;

export interface FakeContainer {
  id: string;
  name: string;
  image: string;
  imageId: string;
  cmd: string[];
  env: string[];
  created: string;
  state: ContainerState;
  startedAt?: string;
  finishedAt?: string;
  exitCode?: number;
  ports: ContainerSummary['ports'];
  networks: Map<string, { ip: string; mac: string }>;
  mounts: { type: 'bind' | 'volume'; source: string; target: string }[];
  memory: number;
  nanoCpus: number;
  pidsLimit: number;
  logs: string[];
  /** Counters the sampler grows; `load` is the fraction of a core it burns. */
  cpuNs: number;
  load: number;
  /** false: an idle service whose figures do not move between passes. */
  busy: boolean;
  netRx: number;
  netTx: number;
  labels: Record<string, string>;
  health?: ContainerSummary['health'];
  restartCount: number;
  memorySwap: number;
  restartPolicy: NonNullable<ContainerCreateOptions['restartPolicy']>;
}

export interface FakeCall {
  method: string;
  args: unknown[];
}

export interface FakeSeed {
  /** Running containers named `app-0` … to create (for benchmarks). */
  running?: number;
  /** Stopped containers to add. */
  stopped?: number;
  /** Of the running ones, how many are busy (CPU wanders every pass); the rest idle at a
   *  constant 0.1 % with constant memory and no traffic, as most real services sit. Default: all. */
  busy?: number;
}

function hex64(seed: string): string {
  return createHash('sha256').update(seed).digest('hex');
}

/** A small deterministic PRNG so sampled numbers evolve but tests are repeatable. */
function lcg(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** An async queue per event subscriber. */
class EventHub {
  private readonly subs = new Set<(e: EngineEvent) => void>();
  /** Past events, for `since` (as the real engines replay them). */
  private readonly past: EngineEvent[] = [];
  emit(type: EngineEvent['type'], action: string, id: string, attributes?: Record<string, string>): void {
    const e: EngineEvent = { type, action, id, time: Date.now(), ...(attributes ? { attributes } : {}) };
    this.past.push(e);
    if (this.past.length > 1000) this.past.shift();
    for (const s of this.subs) s(e);
  }
  async *stream(signal: AbortSignal, since?: number): AsyncIterable<EngineEvent> {
    const queue: EngineEvent[] = since === undefined ? [] : this.past.filter((e) => e.time >= since);
    let wake: (() => void) | undefined;
    const push = (e: EngineEvent) => {
      queue.push(e);
      wake?.();
    };
    const onAbort = () => wake?.();
    this.subs.add(push);
    signal.addEventListener('abort', onAbort);
    try {
      while (!signal.aborted) {
        const e = queue.shift();
        if (e) {
          yield e;
          continue;
        }
        await new Promise<void>((r) => (wake = r));
        wake = undefined;
      }
    } finally {
      this.subs.delete(push);
      signal.removeEventListener('abort', onAbort);
    }
  }
  get subscribers(): number {
    return this.subs.size;
  }
}

export class FakeEngine implements Engine {
  readonly calls: FakeCall[] = [];
  readonly containersById = new Map<string, FakeContainer>();
  readonly imagesById = new Map<string, ImageSummary & { cmd: string[] }>();
  readonly networksByName = new Map<string, NetworkSummary>();
  readonly volumesByName = new Map<string, VolumeSummary>();
  readonly hub = new EventHub();
  private readonly failures = new Map<string, Error>();
  private readonly rand = lcg(42);
  private clock = Date.parse('2026-11-22T12:00:00Z');
  private nextIp = 2;
  /** The IO handed to the last exec/attach (tests check the dashboard passed the terminal). */
  lastIo: ProcessIO | undefined;
  execDelayMs = 0;
  /** Sampler passes taken (the dashboard pauses them while a shell has the terminal). */
  samplePasses = 0;

  constructor(seed: FakeSeed = {}) {
    this.addImage('docker.io/library/busybox:latest', ['sh'], 4_400_000);
    this.addImage('docker.io/library/nginx:1.27', ['nginx', '-g', 'daemon off;'], 192_000_000);
    this.addImage('', ['sh'], 1_000_000); // dangling, for prune
    this.addNetwork('bridge', '10.88.0.0/16', '10.88.0.1');
    this.addNetwork('host', '', '', 'host');
    this.addNetwork('backend', '10.89.1.0/24', '10.89.1.1');
    this.addVolume('data', 12_345_678);
    this.addVolume('cache', undefined);
    if (seed.running === undefined && seed.stopped === undefined) {
      this.addContainer({
        name: 'web',
        image: 'docker.io/library/nginx:1.27',
        state: 'running',
        ports: [{ hostIp: '', hostPort: 8080, containerPort: 80, protocol: 'tcp' }],
        volume: 'data',
        load: 0.25,
      });
      this.addContainer({ name: 'db', image: 'docker.io/library/busybox:latest', state: 'running', networks: ['bridge', 'backend'], load: 0.6 });
      this.addContainer({ name: 'worker', image: 'docker.io/library/busybox:latest', state: 'paused', load: 0 });
      this.addContainer({ name: 'old-job', image: 'docker.io/library/busybox:latest', state: 'exited', load: 0 });
    }
    for (let i = 0; i < (seed.running ?? 0); i++) {
      const c = this.addContainer({ name: `app-${i}`, image: 'docker.io/library/busybox:latest', state: 'running', load: this.rand() * 0.5 });
      if (seed.busy !== undefined && i >= seed.busy) {
        c.busy = false;
        c.load = 0.001;
      }
    }
    for (let i = 0; i < (seed.stopped ?? 0); i++) {
      this.addContainer({ name: `done-${i}`, image: 'docker.io/library/busybox:latest', state: 'exited', load: 0 });
    }
  }

  // ------------------------------------------------------------ test controls

  /** The next call of `method` (e.g. 'containers.stop') rejects with `err`. */
  failNext(method: string, err: Error = new EngineError('runtime', `${method} failed`)): void {
    this.failures.set(method, err);
  }

  callsTo(method: string): FakeCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** A healthcheck result: the container's health changes and docker's health_status event follows. */
  setHealth(name: string, health: NonNullable<ContainerSummary['health']>): void {
    const c = this.find(name);
    c.health = health;
    this.ev('container', `health_status: ${health}`, c.id);
  }

  /** The restart policy restarted it: the count grows, with docker's die/start events. */
  restartedByPolicy(name: string, exitCode = 1): void {
    const c = this.find(name);
    c.exitCode = exitCode;
    this.ev('container', 'die', c.id);
    c.restartCount++;
    c.startedAt = this.iso();
    this.ev('container', 'start', c.id);
  }

  /** Advances the fake's clock (uptimes, sampler timestamps). */
  advance(ms: number): void {
    this.clock += ms;
  }

  now(): number {
    return this.clock;
  }

  /** An event with the attributes docker gives it (name, image, exitCode; the container of a network event). */
  private ev(type: EngineEvent['type'], action: string, id: string, extra: Record<string, string> = {}): void {
    const attrs: Record<string, string> = {};
    if (type === 'container') {
      const c = this.containersById.get(id);
      if (c) {
        attrs['name'] = c.name;
        attrs['image'] = c.image;
        if (action === 'die') attrs['exitCode'] = String(c.exitCode ?? 0);
        Object.assign(attrs, c.labels);
      }
    } else if (type === 'network') {
      const n = [...this.networksByName.values()].find((x) => x.id === id);
      if (n) attrs['name'] = n.name;
      attrs['type'] = 'bridge';
    } else if (type === 'image') {
      const i = this.imagesById.get(id);
      if (i?.repoTags[0]) attrs['name'] = i.repoTags[0];
    }
    this.hub.emit(type, action, id, { ...attrs, ...extra });
  }

  private record(method: string, ...args: unknown[]): void {
    this.calls.push({ method, args });
    const f = this.failures.get(method);
    if (f) {
      this.failures.delete(method);
      throw f;
    }
  }

  private iso(): string {
    return new Date(this.clock).toISOString();
  }

  addImage(ref: string, cmd: string[], size: number): string {
    const id = `sha256:${hex64(`image:${ref}:${this.imagesById.size}`)}`;
    this.imagesById.set(id, {
      id,
      repoTags: ref ? [ref] : [],
      repoDigests: [],
      created: this.iso(),
      size,
      containers: 0,
      labels: {},
      cmd,
    });
    return id;
  }

  addNetwork(name: string, subnet: string, gateway: string, driver: NetworkSummary['driver'] = 'bridge'): NetworkSummary {
    const n: NetworkSummary = {
      id: hex64(`net:${name}`),
      name,
      driver,
      scope: 'local',
      internal: false,
      ipam: subnet ? [{ subnet, gateway }] : [],
      options: {},
      labels: {},
      created: this.iso(),
      containers: [],
    };
    this.networksByName.set(name, n);
    return n;
  }

  addVolume(name: string, size: number | undefined): VolumeSummary {
    const v: VolumeSummary = {
      name,
      driver: 'local',
      mountpoint: `/var/lib/berth/volumes/${name}/_data`,
      createdAt: this.iso(),
      labels: {},
      options: {},
      scope: 'local',
      usedBy: [],
      size,
    };
    this.volumesByName.set(name, v);
    return v;
  }

  addContainer(o: {
    name: string;
    image: string;
    state: ContainerState;
    ports?: ContainerSummary['ports'];
    networks?: string[];
    volume?: string;
    load: number;
    labels?: Record<string, string>;
    health?: ContainerSummary['health'];
    restartCount?: number;
  }): FakeContainer {
    const image = [...this.imagesById.values()].find((i) => i.repoTags.includes(o.image));
    if (!image) throw new EngineError('not-found', `no such image: ${o.image}`);
    const id = hex64(`ctr:${o.name}:${this.containersById.size}`);
    const c: FakeContainer = {
      id,
      name: o.name,
      image: o.image,
      imageId: image.id,
      cmd: image.cmd,
      env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', `APP=${o.name}`],
      created: this.iso(),
      state: o.state,
      ports: o.ports ?? [],
      networks: new Map(),
      mounts: [],
      memory: 256 * 1024 * 1024,
      nanoCpus: 1e9,
      pidsLimit: 100,
      logs: [],
      cpuNs: 0,
      load: o.load,
      busy: true,
      netRx: 0,
      netTx: 0,
      labels: { ...(o.labels ?? {}) },
      restartCount: o.restartCount ?? 0,
      memorySwap: -1,
      restartPolicy: { name: 'no' },
      ...(o.health ? { health: o.health } : {}),
    };
    if (o.state !== 'created') c.startedAt = new Date(this.clock - 3_600_000).toISOString();
    if (o.state === 'exited') {
      c.finishedAt = new Date(this.clock - 60_000).toISOString();
      c.exitCode = 0;
    }
    for (let i = 0; i < 30; i++) c.logs.push(`${o.name} log line ${i}${i % 7 === 0 ? ' ERROR something' : ''}`);
    this.containersById.set(id, c);
    for (const n of o.networks ?? ['bridge']) this.attachNet(c, n);
    if (o.volume) {
      c.mounts.push({ type: 'volume', source: o.volume, target: '/data' });
      this.volumesByName.get(o.volume)?.usedBy.push(id);
    }
    image.containers++;
    return c;
  }

  private attachNet(c: FakeContainer, name: string, ip?: string): void {
    const n = this.networksByName.get(name);
    if (!n) throw new EngineError('not-found', `network ${name} not found`);
    if (c.networks.has(name)) throw new EngineError('conflict', `container ${c.name} is already connected to ${name}`);
    const base = n.ipam[0]?.subnet.split('/')[0]?.split('.').slice(0, 3).join('.') ?? '10.0.0';
    const addr = ip ?? `${base}.${this.nextIp++}`;
    const mac = `02:42:${(this.nextIp % 256).toString(16).padStart(2, '0')}:00:00:01`;
    c.networks.set(name, { ip: addr, mac });
    n.containers.push({ containerId: c.id, name: c.name, ipv4Address: `${addr}/${n.ipam[0]?.subnet.split('/')[1] ?? '16'}`, macAddress: mac, aliases: [] });
  }

  private find(idOrName: string): FakeContainer {
    for (const c of this.containersById.values()) {
      if (c.id === idOrName || c.name === idOrName || (idOrName.length >= 3 && c.id.startsWith(idOrName))) return c;
    }
    throw new EngineError('not-found', `no such container: ${idOrName}`);
  }

  private findImage(ref: string): ImageSummary & { cmd: string[] } {
    for (const i of this.imagesById.values()) {
      if (i.id === ref || i.repoTags.includes(ref) || i.id.startsWith(`sha256:${ref}`) || i.id.slice(7).startsWith(ref)) return i;
    }
    throw new EngineError('not-found', `no such image: ${ref}`);
  }

  private summary(c: FakeContainer): ContainerSummary {
    const up = c.state === 'running' || c.state === 'paused';
    return {
      id: c.id,
      names: [c.name],
      image: c.image,
      imageId: c.imageId,
      command: c.cmd.join(' '),
      created: c.created,
      state: c.state,
      status: up ? `Up 1 hour${c.state === 'paused' ? ' (Paused)' : ''}` : c.state === 'exited' ? `Exited (${c.exitCode ?? 0}) 1 minute ago` : 'Created',
      startedAt: c.startedAt,
      finishedAt: c.finishedAt,
      exitCode: c.exitCode,
      ports: c.ports,
      labels: { ...c.labels },
      networks: [...c.networks.keys()],
      mounts: c.mounts.map((m) => m.source),
      ...(c.health ? { health: c.health } : {}),
      restartCount: c.restartCount,
    };
  }

  // ------------------------------------------------------------ containers

  readonly containers: ContainerApi = {
    create: async (opts: ContainerCreateOptions) => {
      this.record('containers.create', opts);
      const c = this.addContainer({ name: opts.name ?? `c${this.containersById.size}`, image: opts.image, state: 'created', load: 0.1 });
      this.ev('container', 'create', c.id);
      return { id: c.id, warnings: [] };
    },
    start: async (id) => {
      this.record('containers.start', id);
      const c = this.find(id);
      if (c.state === 'paused') throw new EngineError('conflict', 'cannot start a paused container, try unpause instead');
      if (c.state !== 'running') {
        c.state = 'running';
        c.startedAt = this.iso();
        c.load = c.load || 0.1;
        this.ev('container', 'start', c.id);
      }
    },
    stop: async (id) => {
      this.record('containers.stop', id);
      const c = this.find(id);
      if (c.state === 'running' || c.state === 'paused') {
        c.state = 'exited';
        c.exitCode = 143;
        c.finishedAt = this.iso();
        this.ev('container', 'die', c.id);
        this.ev('container', 'stop', c.id);
      }
    },
    restart: async (id) => {
      this.record('containers.restart', id);
      const c = this.find(id);
      c.state = 'running';
      c.startedAt = this.iso();
      this.ev('container', 'restart', c.id);
    },
    kill: async (id, signal) => {
      this.record('containers.kill', id, signal);
      const c = this.find(id);
      if (c.state !== 'running') throw new EngineError('conflict', `container ${c.name} is not running`);
      c.state = 'exited';
      c.exitCode = 137;
      c.finishedAt = this.iso();
      this.ev('container', 'kill', c.id);
      this.ev('container', 'die', c.id);
    },
    pause: async (id) => {
      this.record('containers.pause', id);
      const c = this.find(id);
      if (c.state !== 'running') throw new EngineError('conflict', `container ${c.name} is not running`);
      c.state = 'paused';
      this.ev('container', 'pause', c.id);
    },
    unpause: async (id) => {
      this.record('containers.unpause', id);
      const c = this.find(id);
      if (c.state !== 'paused') throw new EngineError('conflict', `container ${c.name} is not paused`);
      c.state = 'running';
      this.ev('container', 'unpause', c.id);
    },
    remove: async (id, opts) => {
      this.record('containers.remove', id, opts);
      const c = this.find(id);
      if ((c.state === 'running' || c.state === 'paused') && !opts?.force) {
        throw new EngineError('conflict', `cannot remove container ${c.name}: container is ${c.state}: stop the container before removing or force remove`);
      }
      this.dropContainer(c);
      this.ev('container', 'destroy', c.id, { name: c.name, image: c.image });
    },
    rename: async (id, newName) => {
      this.record('containers.rename', id, newName);
      this.find(id).name = newName;
      this.ev('container', 'rename', this.find(newName).id);
    },
    list: async (opts) => {
      const all = [...this.containersById.values()].filter((c) => opts?.all || c.state === 'running');
      return all.map((c) => this.summary(c));
    },
    inspect: async (id) => this.inspectContainer(this.find(id)),
    logs: (id: string, opts?: LogOptions, signal?: AbortSignal) => this.logStream(id, opts, signal),
    wait: async (id) => this.find(id).exitCode ?? 0,
    top: async (id) => {
      this.find(id);
      return { titles: ['PID', 'CMD'], processes: [['1', 'sh']] };
    },
    prune: async () => {
      this.record('containers.prune');
      const deleted: string[] = [];
      for (const c of [...this.containersById.values()]) {
        if (c.state === 'exited' || c.state === 'created' || c.state === 'dead') {
          this.dropContainer(c);
          deleted.push(c.id);
          this.ev('container', 'destroy', c.id, { name: c.name, image: c.image });
        }
      }
      return { deleted, spaceReclaimed: deleted.length * 1000 };
    },
    exec: async (id: string, opts: ExecOptions, io: ProcessIO) => {
      this.record('containers.exec', id, opts);
      const c = this.find(id);
      if (c.state !== 'running') throw new EngineError('conflict', `container ${c.name} is not running`);
      this.lastIo = io;
      io.stdout.write(`fake shell in ${c.name}\r\n`);
      if (this.execDelayMs) await new Promise((r) => setTimeout(r, this.execDelayMs));
      return 0;
    },
    attach: async (id, io) => {
      this.record('containers.attach', id);
      const c = this.find(id);
      if (c.state !== 'running') throw new EngineError('conflict', `container ${c.name} is not running`);
      this.lastIo = io;
      io.stdout.write(`attached to ${c.name}\r\n`);
      return 'detached' as const;
    },
    startAttached: async (id, io) => {
      this.record('containers.startAttached', id);
      const c = this.find(id);
      c.state = 'running';
      c.startedAt = this.iso();
      this.ev('container', 'start', c.id);
      this.lastIo = io;
      return 'detached' as const;
    },
    commit: async (id, opts) => {
      this.record('containers.commit', id, opts);
      const c = this.find(id);
      const imageId = this.addImage(opts?.reference ?? '', c.cmd, 5_000_000);
      this.ev('image', 'commit', imageId);
      return imageId;
    },
    copyFrom: async () => {
      throw new EngineError('unsupported', 'copy is not faked');
    },
    copyTo: async () => {
      throw new EngineError('unsupported', 'copy is not faked');
    },
    stat: async () => {
      throw new EngineError('unsupported', 'stat is not faked');
    },
    sampler: async () => this.makeSampler(),
    update: async (id, opts) => {
      this.record('containers.update', id, opts);
      const c = this.find(id);
      // docker's rule: a swap limit below the memory limit is refused, nothing changes.
      const memory = opts.memory ?? c.memory;
      const swap = opts.memorySwap ?? c.memorySwap;
      if (swap > 0 && memory > 0 && swap < memory) throw new EngineError('invalid', 'Minimum memoryswap limit should be larger than memory limit, see usage');
      if (opts.memory !== undefined) c.memory = opts.memory;
      if (opts.memorySwap !== undefined) c.memorySwap = opts.memorySwap;
      if (opts.nanoCpus !== undefined) c.nanoCpus = opts.nanoCpus;
      if (opts.pidsLimit !== undefined) c.pidsLimit = opts.pidsLimit;
      if (opts.restartPolicy) c.restartPolicy = { ...opts.restartPolicy };
      this.ev('container', 'update', c.id);
      return { warnings: [] };
    },
    changes: async (id) => {
      this.find(id);
      throw new EngineError('unsupported', 'changes are not faked');
    },
    export: async () => {
      throw new EngineError('unsupported', 'export is not faked');
    },
  };

  private dropContainer(c: FakeContainer): void {
    this.containersById.delete(c.id);
    for (const n of this.networksByName.values()) n.containers = n.containers.filter((e) => e.containerId !== c.id);
    for (const v of this.volumesByName.values()) v.usedBy = v.usedBy.filter((x) => x !== c.id);
    const img = this.imagesById.get(c.imageId);
    if (img) img.containers--;
  }

  private inspectContainer(c: FakeContainer): DockerContainerInspect {
    const nets: DockerContainerInspect['NetworkSettings']['Networks'] = {};
    for (const [name, a] of c.networks) {
      const n = this.networksByName.get(name);
      nets[name] = {
        NetworkID: n?.id ?? '',
        EndpointID: hex64(`ep:${c.id}:${name}`),
        Gateway: n?.ipam[0]?.gateway ?? '',
        IPAddress: a.ip,
        IPPrefixLen: 16,
        MacAddress: a.mac,
        Aliases: null,
      };
    }
    const ports: DockerContainerInspect['NetworkSettings']['Ports'] = {};
    for (const p of c.ports) ports[`${p.containerPort}/${p.protocol}`] = [{ HostIp: p.hostIp || '0.0.0.0', HostPort: String(p.hostPort) }];
    return {
      Id: c.id,
      Created: c.created,
      Path: c.cmd[0] ?? '',
      Args: c.cmd.slice(1),
      State: {
        Status: c.state,
        Running: c.state === 'running' || c.state === 'paused',
        Paused: c.state === 'paused',
        Restarting: false,
        OOMKilled: false,
        Dead: false,
        Pid: c.state === 'running' ? 4242 : 0,
        ExitCode: c.exitCode ?? 0,
        Error: '',
        StartedAt: c.startedAt ?? '',
        FinishedAt: c.finishedAt ?? '',
      },
      Image: c.imageId,
      ResolvConfPath: '',
      HostnamePath: '',
      HostsPath: '',
      LogPath: `/run/berth/${c.id}/ctr.log`,
      Name: `/${c.name}`,
      RestartCount: c.restartCount,
      Driver: 'overlay',
      Platform: 'linux',
      HostConfig: {
        Memory: c.memory,
        NanoCpus: c.nanoCpus,
        CpuShares: 0,
        PidsLimit: c.pidsLimit,
        MemorySwap: c.memorySwap,
        RestartPolicy: { Name: c.restartPolicy.name, MaximumRetryCount: c.restartPolicy.maximumRetryCount ?? 0 },
      },
      GraphDriver: { Name: 'overlay', Data: {} },
      Mounts: c.mounts.map((m) => ({
        Type: m.type,
        Name: m.source,
        Source: `/var/lib/berth/volumes/${m.source}/_data`,
        Destination: m.target,
        Mode: '',
        RW: true,
        Propagation: '',
      })),
      Config: { Image: c.image, Hostname: c.id.slice(0, 12), Env: c.env, Cmd: c.cmd },
      NetworkSettings: { Ports: ports, SandboxKey: '', IPAddress: '', Gateway: '', MacAddress: '', Networks: nets },
    };
  }

  private async *logStream(id: string, opts?: LogOptions, signal?: AbortSignal): AsyncIterable<LogLine> {
    const c = this.find(id);
    const start = opts?.tail === undefined ? 0 : Math.max(0, c.logs.length - opts.tail);
    let i = start;
    const line = (text: string): LogLine => ({ stream: text.includes('ERROR') ? 'stderr' : 'stdout', time: this.iso(), text, complete: true });
    for (; i < c.logs.length; i++) yield line(c.logs[i]!);
    if (!opts?.follow) return;
    // Following: the container keeps logging while it runs.
    while (!signal?.aborted) {
      await new Promise<void>((r) => {
        const t = setTimeout(r, 50);
        signal?.addEventListener(
          'abort',
          () => {
            clearTimeout(t);
            r();
          },
          { once: true },
        );
      });
      if (signal?.aborted) return;
      if (c.state === 'running') c.logs.push(`${c.name} log line ${c.logs.length}`);
      for (; i < c.logs.length; i++) yield line(c.logs[i]!);
    }
  }

  private makeSampler(): StatsSampler {
    const prev = new Map<string, { cpuNs: number; systemNs: number }>();
    let systemNs = 1e12;
    let closed = false;
    return {
      readsAll: true, // as the embedded engine's
      sample: async (ids) => {
        if (closed) throw new EngineError('invalid', 'sampler closed');
        this.samplePasses++;
        const elapsedNs = 1e9;
        systemNs += elapsedNs * NCPU;
        this.clock += 1000;
        const out: StatsSample[] = [];
        for (const c of this.containersById.values()) {
          if (c.state !== 'running') continue;
          if (ids && !ids.includes(c.id) && !ids.includes(c.name)) continue;
          // The load wanders a little, so numbers (and sparklines) evolve from pass to pass.
          if (c.busy) {
            c.load = Math.min(1.8, Math.max(0.01, c.load + (this.rand() - 0.5) * 0.1));
            c.netRx += Math.floor(this.rand() * 5000);
            c.netTx += Math.floor(this.rand() * 2000);
          }
          c.cpuNs += c.load * elapsedNs;
          const p = prev.get(c.id);
          const cpuPercent = p ? ((c.cpuNs - p.cpuNs) / (systemNs - p.systemNs)) * NCPU * 100 : null;
          prev.set(c.id, { cpuNs: c.cpuNs, systemNs });
          const memUsage = Math.floor(c.memory * (0.2 + c.load * 0.3));
          out.push({
            id: c.id,
            name: c.name,
            cpuNs: c.cpuNs,
            systemNs,
            onlineCpus: NCPU,
            memUsage,
            memLimit: c.memory,
            netRx: c.netRx,
            netTx: c.netTx,
            blockRead: 0,
            blockWrite: 0,
            pids: 3,
            at: this.clock,
            cpuPercent,
            memPercent: (memUsage / c.memory) * 100,
          });
        }
        return out;
      },
      close: async () => {
        closed = true;
      },
    };
  }

  // ------------------------------------------------------------ images

  readonly images: ImageApi = {
    ...this.housePullPush(), // house
    list: async () => [...this.imagesById.values()].map(({ cmd: _cmd, ...i }) => ({ ...i, repoTags: [...i.repoTags] })),
    inspect: async (ref): Promise<DockerImageInspect> => {
      const i = this.findImage(ref);
      return {
        Id: i.id,
        RepoTags: i.repoTags,
        RepoDigests: [],
        Parent: '',
        Comment: '',
        Created: i.created,
        DockerVersion: '',
        Author: '',
        Config: { Cmd: i.cmd, Env: ['PATH=/bin'] },
        Architecture: 'amd64',
        Os: 'linux',
        Size: i.size,
        GraphDriver: { Name: 'overlay', Data: {} },
        RootFS: { Type: 'layers', Layers: [`sha256:${hex64(i.id)}`] },
        Metadata: { LastTagTime: '' },
      };
    },
    history: async (ref) => {
      const i = this.findImage(ref);
      return [{ id: i.id, created: i.created, createdBy: `/bin/sh -c #(nop) CMD ${JSON.stringify(i.cmd)}`, size: i.size, comment: '', emptyLayer: false }];
    },
    tag: async (source, target) => {
      this.record('images.tag', source, target);
      this.findImage(source).repoTags.push(target);
      this.ev('image', 'tag', this.findImage(source).id);
    },
    remove: async (ref, opts) => {
      this.record('images.remove', ref, opts);
      const i = this.findImage(ref);
      if (i.containers > 0 && !opts?.force) throw new EngineError('conflict', `image is being used by ${i.containers} container(s)`);
      this.imagesById.delete(i.id);
      this.ev('image', 'delete', i.id);
      return { untagged: i.repoTags, deleted: [i.id] };
    },
    prune: async () => {
      this.record('images.prune');
      const deleted: string[] = [];
      let spaceReclaimed = 0;
      for (const i of [...this.imagesById.values()]) {
        if (i.repoTags.length === 0 && i.containers === 0) {
          this.imagesById.delete(i.id);
          deleted.push(i.id);
          spaceReclaimed += i.size;
          this.ev('image', 'delete', i.id);
        }
      }
      return { deleted, spaceReclaimed };
    },
    import: async () => {
      throw new EngineError('unsupported', 'import is not faked');
    },
    load: async () => {
      throw new EngineError('unsupported', 'load is not faked');
    },
    save: async (_refs: string[], _out: Writable) => {
      throw new EngineError('unsupported', 'save is not faked');
    },
  };

  // ------------------------------------------------------------ volumes

  readonly volumes: VolumeApi = {
    create: async (opts) => {
      this.record('volumes.create', opts);
      const name = opts?.name || hex64(`vol:${this.volumesByName.size}`);
      if (this.volumesByName.has(name)) throw new EngineError('conflict', `volume ${name} already exists`);
      const v = this.addVolume(name, 0);
      this.ev('volume', 'create', name);
      return v;
    },
    list: async () => [...this.volumesByName.values()].map((v) => ({ ...v, usedBy: [...v.usedBy] })),
    inspect: async (name) => {
      const v = this.volumesByName.get(name);
      if (!v) throw new EngineError('not-found', `no such volume: ${name}`);
      return v;
    },
    remove: async (name) => {
      this.record('volumes.remove', name);
      const v = this.volumesByName.get(name);
      if (!v) throw new EngineError('not-found', `no such volume: ${name}`);
      if (v.usedBy.length) throw new EngineError('conflict', `volume ${name} is in use`);
      this.volumesByName.delete(name);
      this.ev('volume', 'destroy', name);
    },
    prune: async () => {
      this.record('volumes.prune');
      const deleted: string[] = [];
      for (const v of [...this.volumesByName.values()]) {
        if (v.usedBy.length === 0) {
          this.volumesByName.delete(v.name);
          deleted.push(v.name);
          this.ev('volume', 'destroy', v.name);
        }
      }
      return { deleted, spaceReclaimed: 0 };
    },
  };

  // ------------------------------------------------------------ networks

  readonly networks: NetworkApi = {
    create: async (opts: NetworkCreateOptions) => {
      this.record('networks.create', opts);
      if (this.networksByName.has(opts.name)) throw new EngineError('conflict', `network with name ${opts.name} already exists`);
      const subnet = opts.ipam?.[0]?.subnet ?? `10.90.${this.networksByName.size}.0/24`;
      const n = this.addNetwork(opts.name, subnet, opts.ipam?.[0]?.gateway ?? subnet.replace(/\.0\/\d+$/, '.1'));
      this.ev('network', 'create', n.id);
      return n;
    },
    list: async () => [...this.networksByName.values()].map((n) => ({ ...n, containers: [...n.containers] })),
    inspect: async (idOrName) => {
      const n = [...this.networksByName.values()].find((x) => x.name === idOrName || x.id === idOrName);
      if (!n) throw new EngineError('not-found', `network ${idOrName} not found`);
      return n;
    },
    remove: async (idOrName) => {
      this.record('networks.remove', idOrName);
      const n = [...this.networksByName.values()].find((x) => x.name === idOrName || x.id === idOrName);
      if (!n) throw new EngineError('not-found', `network ${idOrName} not found`);
      if (['bridge', 'host'].includes(n.name)) throw new EngineError('conflict', `${n.name} is a pre-defined network and cannot be removed`);
      if (n.containers.length) throw new EngineError('conflict', `network ${n.name} has active endpoints`);
      this.networksByName.delete(n.name);
      this.ev('network', 'destroy', n.id);
    },
    prune: async () => {
      this.record('networks.prune');
      const out: string[] = [];
      for (const n of [...this.networksByName.values()]) {
        if (n.containers.length === 0 && !['bridge', 'host'].includes(n.name)) {
          this.networksByName.delete(n.name);
          out.push(n.name);
          this.ev('network', 'destroy', n.id);
        }
      }
      return out;
    },
    connect: async (network, container, opts) => {
      this.record('networks.connect', network, container, opts);
      const c = this.find(container);
      this.attachNet(c, network, opts?.ip);
      this.ev('network', 'connect', this.networksByName.get(network)!.id, { container: c.id });
    },
    disconnect: async (network, container) => {
      this.record('networks.disconnect', network, container);
      const c = this.find(container);
      const n = this.networksByName.get(network);
      if (!n || !c.networks.has(network)) throw new EngineError('conflict', `container ${c.name} is not connected to ${network}`);
      c.networks.delete(network);
      n.containers = n.containers.filter((e) => e.containerId !== c.id);
      this.ev('network', 'disconnect', n.id, { container: c.id });
    },
  };

  // ------------------------------------------------------------ system

  readonly system: SystemApi = {
    info: async (): Promise<EngineInfo> => {
      const cs = [...this.containersById.values()];
      return {
        name: 'fakehost',
        engine: 'embedded',
        serverVersion: '0.1.0',
        operatingSystem: 'Debian GNU/Linux 12',
        kernelVersion: '6.18.0',
        architecture: 'x86_64',
        ncpu: NCPU,
        memTotal: HOST_MEM,
        ociRuntime: 'runc',
        storageDriver: 'overlay',
        cgroupVersion: '1',
        cgroupDriver: 'cgroupfs',
        rootDir: '/var/lib/berth',
        runRoot: '/run/berth',
        containers: cs.length,
        containersRunning: cs.filter((c) => c.state === 'running').length,
        containersPaused: cs.filter((c) => c.state === 'paused').length,
        containersStopped: cs.filter((c) => c.state === 'exited').length,
        images: this.imagesById.size,
      };
    },
    version: async () => ({ version: '0.1.0', apiVersion: '1.43', nodeVersion: process.version, os: 'linux', arch: 'amd64', components: [] }),
    events: (signal: AbortSignal, opts) => this.hub.stream(signal, opts?.since),
    prune: async () => this.systemPrune(),
    pruneBuildCache: async () => ({ deleted: [], spaceReclaimed: 0 }), // the fake builds nothing
    df: async () => {
      throw new EngineError('unsupported', 'df is not faked');
    },
  };

  async close(): Promise<void> {
    this.record('close');
  }

  // house: what the engine interface requires — a typed `system prune` report, `build`, and
  // `pull`/`push` as required members (a pull adds the image when missing; a push records).
  // The fake registry's repositories have one tag each: latest.
  private housePullPush(): Pick<ImageApi, 'pull' | 'pullAllTags' | 'push'> {
    const pull = (ref: string) => {
      const name = ref.includes('/') ? ref : `docker.io/library/${ref}`;
      const full = /:[^/]*$/.test(name) ? name : `${name}:latest`;
      const known = [...this.imagesById.values()].find((i) => i.repoTags.includes(full));
      return known?.id ?? this.addImage(full, ['sh'], 1_000_000);
    };
    return {
      pull: async (ref) => {
        this.record('images.pull', ref);
        return pull(ref);
      },
      pullAllTags: async (repo) => {
        this.record('images.pullAllTags', repo);
        pull(`${repo}:latest`);
        return [`${repo}:latest`];
      },
      push: async (ref) => {
        this.record('images.push', ref);
        this.findImage(ref);
      },
    };
  }

  async build(opts: BuildOptions): Promise<string> {
    this.record('build', opts.context);
    opts.out.write('Step 1/1 : FROM busybox\n');
    return this.addImage(opts.tags?.[0] ?? '', ['sh'], 1_000_000);
  }

  private async systemPrune(): Promise<SystemPruneReport> {
    this.record('system.prune');
    return { containersDeleted: [], networksDeleted: [], volumesDeleted: [], imagesDeleted: [], buildCacheDeleted: [], spaceReclaimed: 0 };
  }

  // dash-b ------------------------------------------------------------------------------------
  // Logs with their own times (merged logs, since), labels (compose projects), top, pull with
  // per-layer progress, and a small file tree for the file browser and copy out / in.

  /** Labels per container id, shown in list() summaries. */
  readonly dashBLabels = new Map<string, Record<string, string>>();
  /** Timed log lines per container id: logs() serves these (since honoured) instead of `logs`. */
  readonly dashBLogs = new Map<string, LogLine[]>();
  /** Processes `top` returns per container id. */
  readonly dashBTop = new Map<string, string[][]>();
  /** Layers a pull reports: id → size; a pull of an unknown name fails as a registry would. */
  dashBPullLayers: Record<string, number> = { aaa111: 3_000_000, bbb222: 12_000_000 };
  /** Time between a pull's progress steps (a slow pull can be cancelled half-way). */
  dashBPullStepMs = 5;
  /** Files per container id: absolute path → content, null for a directory ("/" is implied). */
  readonly dashBFiles = new Map<string, Map<string, string | Buffer | null>>();
  private readonly dashBInstalled = this.installDashB();

  /** A container's file tree (directories are created for every parent). */
  setFiles(nameOrId: string, files: Record<string, string | Buffer | null>): void {
    const c = this.find(nameOrId);
    const tree = this.dashBFiles.get(c.id) ?? new Map<string, string | Buffer | null>();
    for (const [path, content] of Object.entries(files)) {
      for (let d = posixDirname(path); d !== '/'; d = posixDirname(d)) if (!tree.has(d)) tree.set(d, null);
      tree.set(path, content);
    }
    this.dashBFiles.set(c.id, tree);
  }

  private dashBTree(id: string): Map<string, string | Buffer | null> {
    const c = this.find(id);
    const tree = this.dashBFiles.get(c.id);
    if (!tree) throw new EngineError('unsupported', 'no files faked for this container');
    return tree;
  }

  /** Adds a line to a container's timed logs at `time` (ISO). */
  addTimedLog(nameOrId: string, time: string, text: string, stream: LogLine['stream'] = 'stdout'): void {
    const c = this.find(nameOrId);
    const list = this.dashBLogs.get(c.id) ?? [];
    list.push({ stream, time, text, complete: true });
    this.dashBLogs.set(c.id, list);
  }

  private installDashB(): boolean {
    const list = this.containers.list;
    this.containers.list = async (opts) => (await list(opts)).map((s) => ({ ...s, labels: { ...s.labels, ...(this.dashBLabels.get(s.id) ?? {}) } }));
    const logs = this.containers.logs;
    const timed = this.dashBLogs;
    const self = this;
    this.containers.logs = (id: string, opts?: LogOptions, signal?: AbortSignal) => {
      const c = self.find(id);
      const own = timed.get(c.id);
      if (!own) return logs(id, opts, signal);
      return (async function* () {
        const d = opts?.since ? /^(\d+)([mh])$/.exec(opts.since) : undefined;
        const since = opts?.since ? self.clock - Number(d?.[1] ?? 0) * (d?.[2] === 'h' ? 3600_000 : 60_000) : undefined;
        let rows = own.filter((l) => since === undefined || Date.parse(l.time) >= since);
        if (opts?.tail !== undefined) rows = rows.slice(Math.max(0, rows.length - opts.tail));
        for (const l of rows) yield l;
        if (!opts?.follow) return;
        await new Promise<void>((r) => (signal?.aborted ? r() : signal?.addEventListener('abort', () => r(), { once: true })));
      })();
    };
    this.containers.top = async (id) => {
      const c = this.find(id);
      if (c.state !== 'running') throw new EngineError('conflict', `container ${c.name} is not running`);
      return {
        titles: ['UID', 'PID', 'PPID', 'C', 'STIME', 'TTY', 'TIME', 'CMD'],
        processes: this.dashBTop.get(c.id) ?? [['root', '4242', '4200', '0', '12:00', '?', '00:00:00', c.cmd.join(' ')]],
      };
    };
    const exec = this.containers.exec;
    this.containers.exec = async (id, opts, io) => {
      if (opts.cmd[0] !== 'ls') return exec(id, opts, io);
      this.record('containers.exec', id, opts);
      const tree = this.dashBTree(id);
      const dir = opts.cmd[opts.cmd.length - 1]!.replace(/(.)\/$/, '$1');
      if (dir !== '/' && tree.get(dir) !== null) {
        io.stderr.write(`ls: cannot access '${dir}': No such file or directory\n`);
        return 2;
      }
      const kids = [...tree.keys()]
        .filter((p) => p !== dir && posixDirname(p) === dir)
        .map((p) => p.slice(dir === '/' ? 1 : dir.length + 1) + (tree.get(p) === null ? '/' : ''));
      io.stdout.write(
        kids
          .sort()
          .map((k) => `${k}\n`)
          .join(''),
      );
      return 0;
    };
    const statOf = (tree: Map<string, string | Buffer | null>, path: string) => {
      const p = path.replace(/(.)\/+$/, '$1');
      if (p !== '/' && !tree.has(p)) throw new EngineError('not-found', `Could not find the file ${path} in container`);
      const v = p === '/' ? null : tree.get(p)!;
      return {
        name: p.split('/').pop() || '/',
        size: v === null ? 4096 : Buffer.byteLength(v),
        mode: v === null ? 0o40755 : 0o644,
        mtime: this.iso(),
        isDir: v === null,
        linkTarget: '',
      };
    };
    this.containers.stat = async (id, path) => statOf(this.dashBTree(id), path);
    this.containers.copyFrom = async (id, path) => {
      const tree = this.dashBTree(id);
      const stat = statOf(tree, path);
      const p = path.replace(/(.)\/+$/, '$1');
      const pk = tarPack();
      const base = stat.name;
      if (!stat.isDir) pk.entry({ name: base, mode: 0o644 }, tree.get(p) as string | Buffer);
      else {
        pk.entry({ name: base, type: 'directory', mode: 0o755 });
        for (const [q, v] of [...tree.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
          if (!q.startsWith(`${p === '/' ? '' : p}/`)) continue;
          const rel = `${base}/${q.slice(p === '/' ? 1 : p.length + 1)}`;
          if (v === null) pk.entry({ name: rel, type: 'directory', mode: 0o755 });
          else pk.entry({ name: rel, mode: 0o644 }, v);
        }
      }
      pk.finalize();
      return { stream: pk as unknown as Readable, stat };
    };
    this.containers.copyTo = async (id, dir, tar) => {
      this.record('containers.copyTo', id, dir);
      const tree = this.dashBTree(id);
      const at = statOf(tree, dir);
      if (!at.isDir) throw new EngineError('invalid', `${dir} is not a directory`);
      const ex = tarExtract();
      const root = dir.replace(/(.)\/+$/, '$1');
      await new Promise<void>((res, rej) => {
        ex.on('entry', (h, stream, next) => {
          const parts: Buffer[] = [];
          stream.on('data', (c: unknown) => parts.push(c as Buffer));
          stream.on('end', () => {
            const path = `${root === '/' ? '' : root}/${h.name.replace(/\/+$/, '')}`;
            tree.set(path, h.type === 'directory' ? null : Buffer.concat(parts));
            next();
          });
        });
        ex.on('finish', res);
        ex.on('error', rej);
        tar.pipe(ex);
      });
    };
    this.images.pull = async (ref, opts) => {
      this.record('images.pull', ref);
      if (!/^[a-z0-9./:_-]+$/.test(ref) || ref.includes('missing'))
        throw new EngineError('not-found', `pull access denied for ${ref}, repository does not exist`);
      const p = opts?.progress;
      p?.({ id: '', status: `Pulling from ${ref}` });
      for (const [id, size] of Object.entries(this.dashBPullLayers)) {
        p?.({ id, status: 'Pulling fs layer' });
        for (let done = 0; done <= size; done += size / 4) {
          opts?.signal?.throwIfAborted(); // a cancelled pull adds no image
          p?.({ id, status: 'Downloading', current: done, total: size });
          await new Promise((r) => setTimeout(r, this.dashBPullStepMs));
        }
        p?.({ id, status: 'Pull complete' });
      }
      const full = ref.includes(':') ? ref : `${ref}:latest`;
      const imageId = this.addImage(
        full,
        ['sh'],
        Object.values(this.dashBPullLayers).reduce((a, b) => a + b, 0),
      );
      this.hub.emit('image', 'pull', imageId);
      return imageId;
    };
    return true;
  }
}

/** A stdin-like stream with the tty bits the dashboard's handoff touches. */
export function fakeTtyStdin(): Readable & { isTTY: boolean; rawModes: boolean[]; setRawMode(raw: boolean): void } {
  const s = new PassThrough() as unknown as Readable & { isTTY: boolean; rawModes: boolean[]; setRawMode(raw: boolean): void };
  s.isTTY = true;
  s.rawModes = [];
  s.setRawMode = (raw: boolean) => {
    s.rawModes.push(raw);
  };
  return s;
}
