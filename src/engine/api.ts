/**
 * berth's one engine API. The embedded engine (runc + conmon + CNI, state in SQLite) and the
 * Docker-API backend both implement it; CLI commands and dashboard screens call only this.
 * Types only: importing this file pulls in no implementation (the UI imports it freely).
 *
 * Conventions: ids are full 64-hex strings (images carry their "sha256:" prefix, as docker's do);
 * times are ISO-8601 strings; sizes are bytes. Inspect documents use docker's JSON field names
 * (users script against them); summaries are engine-neutral camelCase.
 */
import type { Readable, Writable } from 'node:stream';
import type { CgroupSample } from '../cgroups/sample-types.js';

// ---------------------------------------------------------------- images

export interface ImageSummary {
  /** "sha256:<64 hex>", the digest of the image config (docker's image id). */
  id: string;
  /** "repo:tag" names pointing at this image, fully qualified as the user typed them
   *  (docker.io/library/ is shown short, as docker does). */
  repoTags: string[];
  repoDigests: string[];
  created: string;
  /** Unpacked size of all layers. */
  size: number;
  /** Containers (any state) created from this image. */
  containers: number;
  labels: Record<string, string>;
}

export interface ImageHistoryEntry {
  id: string; // image id for the top entry, "<missing>" below it, as docker shows
  created: string;
  createdBy: string;
  size: number;
  comment: string;
  emptyLayer: boolean;
}

export interface ImageRemoveReport {
  untagged: string[];
  deleted: string[];
}

/** docker's prune filters: a key, its values (`{ label: ['a=b'], until: ['24h'] }`). */
export type PruneFilters = Record<string, string[]>;

export interface ImagePruneReport {
  deleted: string[];
  spaceReclaimed: number;
  /** docker's ImagesDeleted entries in the daemon's order (untagged refs and deleted ids);
   *  without it, every id of `deleted` reads as a `deleted:` entry. */
  entries?: ImageDeleteEntry[];
}

/** One of docker's ImagesDeleted entries: a reference untagged or an image/layer id deleted. */
export type ImageDeleteEntry = { untagged: string } | { deleted: string };

export interface ImportOptions {
  /** "repo[:tag]" to tag the result with. */
  reference?: string;
  message?: string;
  /** Dockerfile-style changes (CMD, ENV, ...), as `docker import -c`. */
  changes?: string[];
  platform?: string;
}

export interface ProgressEvent {
  /** A layer id (short), or '' for whole-operation messages. */
  id: string;
  status: string;
  current?: number;
  total?: number;
}
export type ProgressFn = (e: ProgressEvent) => void;

/** A registry login given with one request (docker's X-Registry-Auth), not stored. */
export interface RegistryCredentials {
  username: string;
  password: string;
}

export interface ImageApi {
  list(opts?: { all?: boolean; filters?: Record<string, string[]> }): Promise<ImageSummary[]>;
  /** Docker's `image inspect` document. Accepts a name, a full or short id, or a digest. */
  inspect(ref: string): Promise<DockerImageInspect>;
  history(ref: string): Promise<ImageHistoryEntry[]>;
  tag(source: string, target: string): Promise<void>;
  remove(ref: string, opts?: { force?: boolean; noPrune?: boolean }): Promise<ImageRemoveReport>;
  /** `filters`: docker's prune filters (dangling, until, label, label!), see prune-filter.ts. */
  prune(opts?: { all?: boolean; filters?: PruneFilters }): Promise<ImagePruneReport>;
  /** A rootfs tarball (plain or compressed) becomes a one-layer image. Returns the image id.
   *  A URL is fetched by the engine (a daemon downloads it itself, as dockerd's fromSrc). */
  import(source: Readable | URL, opts?: ImportOptions): Promise<string>;
  /** docker-archive or OCI archive. Returns the names (or ids) loaded. */
  load(source: Readable, progress?: ProgressFn): Promise<string[]>;
  /** Writes a docker-archive (with OCI layout files too, as docker ≥ 25 does). */
  save(refs: string[], out: Writable): Promise<void>;
  /** `credentials`: used instead of the stored ones (the API's X-Registry-Auth). */
  /** `signal` cancels it: nothing of the image stays (no blob, layer or staging file). */
  pull(ref: string, opts?: { platform?: string; progress?: ProgressFn; credentials?: RegistryCredentials; signal?: AbortSignal }): Promise<string>;
  /** `pull --all-tags`: every tag of a repository (a name without tag or digest), one after the
   *  other with the same progress; returns the references pulled. */
  pullAllTags(repo: string, opts?: { progress?: ProgressFn; credentials?: RegistryCredentials; signal?: AbortSignal }): Promise<string[]>;
  /** `chunkSize`: PATCH uploads in chunks of that many bytes (registries that want them;
   *  a daemon chooses its own). */
  push(ref: string, opts?: { progress?: ProgressFn; chunkSize?: number; credentials?: RegistryCredentials }): Promise<void>;
}

/** `docker build`'s options that every backend honours. */
export interface BuildOptions {
  /** The build context: a local directory (a daemon receives it as a tar). */
  context: string;
  /** Path of the Dockerfile (default CONTEXT/Dockerfile). */
  dockerfile?: string;
  tags?: string[];
  buildArgs?: Record<string, string>;
  labels?: Record<string, string>;
  noCache?: boolean;
  target?: string;
  /** Network for RUN instructions (docker's default: bridge). */
  network?: string;
  /** Always pull the base images. */
  pull?: boolean;
  /** Settings of every RUN step's container: docker build's --add-host, --shm-size and its limits. */
  runContainer?: BuildRunSettings;
  /** Images whose layer chains alone may give cache hits (docker build --cache-from); none named here that exist: no hits. */
  cacheFrom?: string[];
  /** The build's log: step lines and RUN output (stderr in red), as docker's classic builder prints them. */
  out: Writable;
  /** The image id, told before the final "Successfully built/tagged" lines (dockerd's aux message comes first). */
  onImage?: (id: string) => void;
}

/** docker build's --add-host, --shm-size, -m, --memory-swap, --cpu-shares, --cpuset-cpus,
 *  --cpu-period and --cpu-quota: applied to each RUN step's container, not kept in the image. */
export type BuildRunSettings = Pick<
  ContainerCreateOptions,
  'extraHosts' | 'shmSize' | 'memory' | 'memorySwap' | 'cpuShares' | 'cpusetCpus' | 'cpuPeriod' | 'cpuQuota'
>;

/** What only the embedded engine does: it owns a state root on this host. */
export interface EmbeddedOps {
  /** Removes every container, network, volume and image of the state root, then the root. */
  reset(): Promise<void>;
  /** conmon's exit command: record the exit, release the container, honour --rm/--restart. */
  containerExited(id: string, runToken?: string): Promise<void>;
}

// ---------------------------------------------------------------- containers

export type ContainerState = 'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead';

export interface PortBinding {
  hostIp: string; // '' = all addresses
  hostPort: number;
  containerPort: number;
  protocol: 'tcp' | 'udp';
}

export interface MountSpec {
  type: 'bind' | 'volume' | 'tmpfs';
  /** Host path (bind), volume name (volume; '' = anonymous), unused for tmpfs. */
  source: string;
  target: string;
  readOnly: boolean;
  options?: string[];
  /** A missing bind source is created (docker's -v) instead of refused (docker's --mount). */
  createHostPath?: boolean;
  /** A bind's propagation (docker's -v mode, --mount bind-propagation); rprivate when absent. */
  propagation?: MountPropagation;
}

export type MountPropagation = 'private' | 'rprivate' | 'shared' | 'rshared' | 'slave' | 'rslave';
export const MOUNT_PROPAGATIONS: readonly MountPropagation[] = ['private', 'rprivate', 'shared', 'rshared', 'slave', 'rslave'];

/** A host device made available inside the container (docker's --device). */
export interface DeviceMapping {
  pathOnHost: string;
  /** Defaults to pathOnHost. */
  pathInContainer?: string;
  /** Any of r, w, m; "rwm" by default. */
  cgroupPermissions?: string;
}

/** One resource limit (docker's --ulimit); -1 = unlimited. */
export interface Ulimit {
  /** docker's short name: nofile, nproc, core, ... */
  name: string;
  soft: number;
  hard: number;
}

/** docker's --log-driver and --log-opt. */
export interface LogConfig {
  /** 'json-file' | 'k8s-file' | 'none'; '' or absent = the engine's default. */
  type: string;
  config: Record<string, string>;
}

export interface ContainerCreateOptions {
  image: string;
  name?: string;
  cmd?: string[];
  entrypoint?: string[] | null;
  env?: string[];
  workdir?: string;
  user?: string;
  hostname?: string;
  tty?: boolean;
  openStdin?: boolean;
  autoRemove?: boolean;
  restartPolicy?: { name: 'no' | 'on-failure' | 'always' | 'unless-stopped'; maximumRetryCount?: number };
  labels?: Record<string, string>;
  mounts?: MountSpec[];
  volumesFrom?: string[];
  /** --health-cmd and friends, or the image's HEALTHCHECK when absent. */
  healthcheck?: HealthConfig;
  /** Limits, in docker's units: bytes, nano-CPUs, relative shares. -1 = unlimited swap. */
  memory?: number;
  memorySwap?: number;
  nanoCpus?: number;
  cpuShares?: number;
  pidsLimit?: number;
  /** Network mode: 'bridge' (default), 'host', 'none', 'container:<id>' or a network name. */
  network?: string;
  ip?: string;
  networkAliases?: string[];
  /** The rest of NetworkingConfig's endpoint settings for `network` (inspect echoes them). */
  endpoint?: EndpointExtras;
  ports?: PortBinding[];
  publishAll?: boolean;
  extraHosts?: string[];
  dns?: string[];
  stopSignal?: string;
  stopTimeout?: number;
  pull?: 'missing' | 'always' | 'never';

  // Privilege and security (docker's HostConfig names in comments where they differ).
  privileged?: boolean;
  /** docker's names, with or without CAP_, any case, or ALL. */
  capAdd?: string[];
  capDrop?: string[];
  /** docker's forms: "no-new-privileges[=bool]", "seccomp=unconfined", "seccomp=<profile JSON>"
   *  (the CLI reads a profile file and sends its content, as docker's does), "apparmor=NAME",
   *  "label=…". */
  securityOpt?: string[];
  /** --group-add: group names (from the image) or gids. */
  groupAdd?: string[];
  /** ReadonlyRootfs. */
  readOnly?: boolean;

  // Devices and limits.
  devices?: DeviceMapping[];
  ulimits?: Ulimit[];
  /** Bytes of /dev/shm; 0/absent = docker's 64 MiB. */
  shmSize?: number;
  /** Namespaced sysctls only: net.* (own network namespace), the IPC ones (kernel.msg…, kernel.sem, kernel.shm…, fs.mqueue.…). */
  sysctls?: Record<string, string>;
  cpusetCpus?: string;
  cpusetMems?: string;
  /** CFS period and quota in µs (docker's CpuPeriod/CpuQuota). */
  cpuPeriod?: number;
  cpuQuota?: number;
  /** Memory soft limit, bytes. */
  memoryReservation?: number;
  oomKillDisable?: boolean;
  /** 10–1000, 0 = unset. */
  blkioWeight?: number;
  /** Deprecated in docker: accepted with docker 20.10's warning, never applied (runc ≥ 1.1 ignores it). */
  kernelMemory?: number;

  // Process and namespaces.
  /** Run an init as pid 1 that reaps zombies and forwards signals. */
  init?: boolean;
  /** 'private' (default) | 'shareable' | 'host' | 'none' | 'container:<name|id>'. */
  ipcMode?: string;
  /** '' (private) | 'host' | 'container:<name|id>'. */
  pidMode?: string;
  /** '' (private) | 'host'. */
  utsMode?: string;
  /** 'private' | 'host'; absent = the engine's default (docker's: host on cgroup v1, private on v2). */
  cgroupnsMode?: string;
  /** '' | 'host' (the only modes without a remapping daemon, as docker's). */
  usernsMode?: string;
  /** Ports the container listens on ("80/tcp"), added to the image's. */
  exposedPorts?: string[];
  dnsSearch?: string[];
  dnsOptions?: string[];
  macAddress?: string;
  domainname?: string;
  /** "os[/arch[/variant]]": the image must be for it. */
  platform?: string;

  logConfig?: LogConfig;
}

export interface ContainerSummary {
  id: string;
  names: string[]; // without docker's leading "/"
  image: string; // as the user named it
  imageId: string;
  command: string;
  created: string;
  state: ContainerState;
  /** docker's human status: "Up 3 minutes", "Exited (0) 2 hours ago", "Created". */
  status: string;
  startedAt?: string;
  finishedAt?: string;
  exitCode?: number;
  ports: PortBinding[];
  labels: Record<string, string>;
  networks: string[];
  mounts: string[];
  /** With list({ size: true }): bytes the container wrote (its writable layer), and those plus
   *  its image's (docker's SizeRw, SizeRootFs). */
  sizeRw?: number;
  sizeRootFs?: number;
  /** The healthcheck's state, when the container has one (docker's "(healthy)" in Status). */
  health?: 'starting' | 'healthy' | 'unhealthy';
  /** Restarts done by the restart policy since the container was created (docker's RestartCount). */
  restartCount?: number;
}

export interface LogOptions {
  follow?: boolean;
  /** Number of lines from the end; undefined = all. */
  tail?: number;
  timestamps?: boolean;
  since?: string;
  until?: string;
  /** docker's --details: each record's text starts with its log attributes (`k=v,…`) and a
   *  space. The embedded engine keeps no attributes (no --log-opt labels/env), so the prefix
   *  is a lone space, as docker's for a container without them. */
  details?: boolean;
}

export interface LogLine {
  stream: 'stdout' | 'stderr';
  time: string;
  text: string; // without the trailing newline
  /** false when the line was cut by the runtime (k8s-file "P") and continues in the next. */
  complete: boolean;
}

export interface ExecOptions {
  cmd: string[];
  tty?: boolean;
  interactive?: boolean;
  detach?: boolean;
  env?: string[];
  workdir?: string;
  user?: string;
  privileged?: boolean;
}

/** Where an attached or exec'd process's streams go. With tty, stdout carries everything. */
export interface ProcessIO {
  stdin?: Readable & { isTTY?: boolean; setRawMode?(raw: boolean): unknown };
  stdout: Writable & { columns?: number; rows?: number; on?(ev: 'resize', fn: () => void): unknown };
  stderr: Writable;
}

export interface CommitOptions {
  reference?: string;
  message?: string;
  author?: string;
  changes?: string[];
  pause?: boolean;
}

export interface TopResult {
  titles: string[];
  processes: string[][];
}

export interface ContainerPruneReport {
  deleted: string[];
  spaceReclaimed: number;
}

/** docker's HostConfig.Healthcheck (durations in nanoseconds; Test as docker: ["NONE"],
 *  ["CMD", …], ["CMD-SHELL", "…"]). */
export interface HealthConfig {
  test?: string[];
  interval?: number;
  timeout?: number;
  startPeriod?: number;
  retries?: number;
}

/** `docker update`: what may change on a live container (docker's units, as in create). */
export interface ContainerUpdateOptions {
  memory?: number;
  memorySwap?: number;
  memoryReservation?: number;
  nanoCpus?: number;
  cpuShares?: number;
  cpuPeriod?: number;
  cpuQuota?: number;
  cpusetCpus?: string;
  cpusetMems?: string;
  pidsLimit?: number;
  blkioWeight?: number;
  restartPolicy?: ContainerCreateOptions['restartPolicy'];
}

/** One entry of `docker diff`: Kind 0 = changed, 1 = added, 2 = deleted (docker's numbers). */
export interface ContainerChange {
  path: string;
  kind: 0 | 1 | 2;
}

export interface ContainerApi {
  create(opts: ContainerCreateOptions): Promise<{ id: string; warnings: string[] }>;
  start(idOrName: string): Promise<void>;
  stop(idOrName: string, opts?: { timeout?: number; signal?: string }): Promise<void>;
  restart(idOrName: string, opts?: { timeout?: number }): Promise<void>;
  kill(idOrName: string, signal?: string): Promise<void>;
  pause(idOrName: string): Promise<void>;
  unpause(idOrName: string): Promise<void>;
  remove(idOrName: string, opts?: { force?: boolean; volumes?: boolean }): Promise<void>;
  rename(idOrName: string, newName: string): Promise<void>;
  /**
   * `size`: also sizeRw/sizeRootFs (a walk of each writable layer: docker's ps --size).
   * `restartCounts`: also restartCount where the backend must ask for it (a Docker host's list has
   * none: it inspects the containers that may have restarted); the embedded engine always has it.
   */
  list(opts?: { all?: boolean; filters?: Record<string, string[]>; size?: boolean; restartCounts?: boolean }): Promise<ContainerSummary[]>;
  /** `size`: also SizeRw/SizeRootFs (docker's inspect --size). */
  inspect(idOrName: string, opts?: { size?: boolean }): Promise<DockerContainerInspect>;
  logs(idOrName: string, opts?: LogOptions, signal?: AbortSignal): AsyncIterable<LogLine>;
  /** Resolves with the exit code once the container is not running. */
  wait(idOrName: string, signal?: AbortSignal): Promise<number>;
  top(idOrName: string, psArgs?: string[]): Promise<TopResult>;
  /** Stopped containers; `filters`: until, label, label! (prune-filter.ts). */
  prune(opts?: { filters?: PruneFilters }): Promise<ContainerPruneReport>;
  /** Runs a process in a running container, its streams on `io`; resolves with its exit code
   *  (0 at once when detached). */
  exec(idOrName: string, opts: ExecOptions, io: ProcessIO): Promise<number>;
  /** Attaches `io` to the container's main process until it exits or the user detaches
   *  (Ctrl-P Ctrl-Q); resolves with 'detached' or the exit code. */
  attach(idOrName: string, io: ProcessIO, opts?: { detachKeys?: string; stdin?: boolean }): Promise<'detached' | number>;
  /** Starts a created/stopped container with `io` attached from its first byte of output
   *  (`run` without -d, `start -a`); resolves like `attach`. */
  startAttached(idOrName: string, io: ProcessIO, opts?: { detachKeys?: string; stdin?: boolean }): Promise<'detached' | number>;
  commit(idOrName: string, opts?: CommitOptions): Promise<string>;
  /** A tar stream of `path` inside the container (docker's archive API). A symlink as the last
   *  element is the link itself, unless `path` ends in "/" or "/." (then what it points to). */
  copyFrom(idOrName: string, path: string): Promise<{ stream: Readable; stat: PathStat }>;
  /** Extracts the tar stream into directory `path` inside the container; the files belong to
   *  the container's root unless `copyUIDGID` keeps the archive's owners (docker's cp -a). */
  copyTo(idOrName: string, path: string, tar: Readable, opts?: { copyUIDGID?: boolean }): Promise<void>;
  /** What `path` is, as lstat sees it: a symlink as the last element is described, not followed
   *  (its target in `linkTarget`), as docker's archive HEAD. */
  stat(idOrName: string, path: string): Promise<PathStat>;
  /**
   * The entries of directory `path` in a container, running or stopped, sorted by name, without
   * running anything in it (an image without `ls` is listed too). The path resolves as `cp`
   * resolves it: symlinks followed inside the container's root, never out of it; mounts seen.
   * Engines that cannot list without a process in the container leave it out.
   */
  listDir?(idOrName: string, path: string): Promise<DirEntry[]>;
  /**
   * A sampler for live stats (the dashboard keeps one open; `stats` uses two passes).
   * `listed`: a listing (any states) the caller has just made, which an engine may use for its
   * first pass instead of listing again.
   */
  sampler(listed?: ContainerSummary[]): Promise<StatsSampler>;
  /** Changes limits of a created or running container in place (its cgroup) and keeps them
   *  for the next start (docker update). */
  update(idOrName: string, opts: ContainerUpdateOptions): Promise<{ warnings: string[] }>;
  /** What the container changed against its image (docker diff), sorted by path. */
  changes(idOrName: string): Promise<ContainerChange[]>;
  /** The container's whole filesystem as a tar stream (docker export). */
  export(idOrName: string): Promise<Readable>;
}

/** One entry of a directory listing (`listDir`), as lstat describes it. */
export interface DirEntry {
  name: string;
  type: 'file' | 'dir' | 'symlink' | 'fifo' | 'socket' | 'char-device' | 'block-device';
  /** st_mode: the type and permission bits. */
  mode: number;
  size: number;
  mtime: string;
  /** A symlink's target as written; '' for anything else. */
  linkTarget: string;
  /** A symlink whose target, resolved inside the root (never out of it), is a directory. */
  targetIsDir: boolean;
}

export interface PathStat {
  name: string;
  size: number;
  mode: number;
  mtime: string;
  isDir: boolean;
  linkTarget: string;
}

// ---------------------------------------------------------------- stats

/** One reading of a container's counters; rates are computed between two readings. */
export type StatsReading = Omit<CgroupSample, 'cpuPercent' | 'memPercent'>;

/** A reading with docker's rates: the cgroup sampler's own type (src/cgroups owns its shape). */
export type StatsSample = CgroupSample;

export interface StatsSampler {
  /** Reading every running container costs about what reading a few does (files on this
   *  machine, not a request per container): a caller may ask for all of them every pass. */
  readonly readsAll?: boolean;
  /** Reads every running container (or those named); rates relative to the previous pass. */
  sample(ids?: string[]): Promise<StatsSample[]>;
  close(): Promise<void>;
}

// ---------------------------------------------------------------- volumes

export interface VolumeSummary {
  name: string;
  driver: string;
  mountpoint: string;
  createdAt: string;
  labels: Record<string, string>;
  options: Record<string, string>;
  /** What the volume was made without (an anonymous one, an API request leaving them out):
   *  docker reports those as null, where a `volume create` (which sends empty maps) shows {}. */
  unset?: { labels: boolean; options: boolean };
  scope: 'local';
  /** Containers using it (ids). */
  usedBy: string[];
  /** Bytes, when cheap to know; undefined otherwise. */
  size?: number;
}

export interface VolumeApi {
  create(opts?: { name?: string; driver?: string; labels?: Record<string, string>; options?: Record<string, string> }): Promise<VolumeSummary>;
  list(opts?: { filters?: Record<string, string[]> }): Promise<VolumeSummary[]>;
  inspect(name: string): Promise<VolumeSummary>;
  remove(name: string, opts?: { force?: boolean }): Promise<void>;
  /** Unused anonymous volumes (`all`: named ones too); `filters`: label, label!, all. */
  prune(opts?: { all?: boolean; filters?: PruneFilters }): Promise<{ deleted: string[]; spaceReclaimed: number }>;
  /** A directory of the volume, as containers.listDir (the volume's top is its root). */
  listDir?(name: string, path: string): Promise<DirEntry[]>;
  /** What `path` in the volume is, as containers.stat (links resolved inside the volume).
   *  Engines without file access to volumes (the Docker API has none) leave this and the
   *  copies out. */
  stat?(name: string, path: string): Promise<PathStat>;
  /** A tar stream of `path` in the volume, as containers.copyFrom with the volume's top as the
   *  root: symlinks resolve inside the volume, never out of it. */
  copyFrom?(name: string, path: string): Promise<{ stream: Readable; stat: PathStat }>;
  /** Extracts the tar stream into directory `path` of the volume, as containers.copyTo: nothing
   *  is written outside the volume, whatever the archive or the volume's links say. */
  copyTo?(name: string, path: string, tar: Readable, opts?: { copyUIDGID?: boolean }): Promise<void>;
}

// ---------------------------------------------------------------- networks

export interface IpamConfig {
  subnet: string;
  ipRange?: string;
  gateway?: string;
}

export interface NetworkEndpoint {
  containerId: string;
  name: string;
  ipv4Address: string; // CIDR, as docker shows it
  macAddress: string;
  aliases: string[];
  /** docker's EndpointID of this attachment ('' when not known). */
  endpointId?: string;
}

export interface NetworkSummary {
  id: string;
  name: string;
  driver: 'bridge' | 'host' | 'null' | 'macvlan';
  scope: 'local';
  internal: boolean;
  ipam: IpamConfig[];
  /** IPAM as created, when known: docker's inspect echoes it (Options null when none sent). */
  ipamRequest?: { options: Record<string, string> | null; config: IpamConfig[] };
  options: Record<string, string>;
  labels: Record<string, string>;
  created: string;
  containers: NetworkEndpoint[];
}

/**
 * docker's EndpointSettings as requested (create's NetworkingConfig, connect's EndpointConfig),
 * beyond the fixed IP and aliases. Set fields were sent (inspect echoes them; unset shows null).
 */
export interface EndpointExtras {
  /** IPAMConfig was sent (an object, even if empty). */
  ipamConfig?: boolean;
  linkLocalIps?: string[];
  links?: string[];
  driverOpts?: Record<string, string>;
  /** The interface's MAC address (connect; at create it is the container's --mac-address). */
  mac?: string;
}

export interface EndpointRequest extends EndpointExtras {
  ip?: string;
  aliases?: string[];
}

export interface NetworkCreateOptions {
  name: string;
  driver?: 'bridge' | 'macvlan';
  ipam?: IpamConfig[];
  /** IPAM.Options as sent (null: none sent, which docker shows as null). */
  ipamOptions?: Record<string, string> | null;
  internal?: boolean;
  options?: Record<string, string>;
  labels?: Record<string, string>;
}

export interface NetworkApi {
  create(opts: NetworkCreateOptions): Promise<NetworkSummary>;
  list(opts?: { filters?: Record<string, string[]> }): Promise<NetworkSummary[]>;
  inspect(idOrName: string): Promise<NetworkSummary>;
  remove(idOrName: string): Promise<void>;
  /** Unused user networks, by name; `filters`: until, label, label!. */
  prune(opts?: { filters?: PruneFilters }): Promise<string[]>;
  connect(network: string, container: string, opts?: EndpointRequest): Promise<void>;
  disconnect(network: string, container: string, opts?: { force?: boolean }): Promise<void>;
}

// ---------------------------------------------------------------- system

export interface EngineInfo {
  name: string; // host name
  engine: 'embedded' | 'docker' | 'podman';
  serverVersion: string;
  operatingSystem: string;
  kernelVersion: string;
  architecture: string;
  ncpu: number;
  memTotal: number;
  ociRuntime: string;
  storageDriver: string;
  cgroupVersion: '1' | '2';
  cgroupDriver: string;
  rootDir: string;
  runRoot: string;
  containers: number;
  containersRunning: number;
  containersPaused: number;
  containersStopped: number;
  images: number;
}

export interface VersionInfo {
  version: string;
  apiVersion: string;
  nodeVersion: string;
  os: string;
  arch: string;
  components: { name: string; version: string }[];
}

/** Something happened, in docker's terms (`docker events`): the dashboard refreshes the
 *  affected pane, `berth events` prints it, the API socket streams it. */
export interface EngineEvent {
  type: 'container' | 'image' | 'volume' | 'network';
  /** docker's action: create, start, die, stop, kill, destroy, pause, unpause, rename, restart,
   *  commit, "health_status: healthy", exec_create: …; pull, tag, untag, delete, import, load,
   *  push, save; connect, disconnect; mount … */
  action: string;
  /** Actor.ID: a container id, image id or name, network id, volume name. */
  id: string;
  /** Actor.Attributes: name, image, exitCode, signal, container, labels … */
  attributes?: Record<string, string>;
  /** ms since the epoch. */
  time: number;
}

export interface EventsOptions {
  /** Past events from this time (ms since the epoch) are replayed first. */
  since?: number;
  /** The stream ends at this time (ms since the epoch); with no `since`, history up to it. */
  until?: number;
  /** docker's filters: container, event, image, label, network, type, volume, scope, daemon. */
  filters?: Record<string, string[]>;
}

export interface SystemApi {
  info(): Promise<EngineInfo>;
  version(): Promise<VersionInfo>;
  /** Events as they happen (after replaying `since`…) until `signal` aborts or `until`. */
  events(signal: AbortSignal, opts?: EventsOptions): AsyncIterable<EngineEvent>;
  /** Removes stopped containers, unused networks, dangling images (and debris of crashes). */
  prune(opts?: { all?: boolean; volumes?: boolean }): Promise<SystemPruneReport>;
  /** docker's `builder prune`: the dangling build cache, or all of it; filters until, label, label!. */
  pruneBuildCache(opts?: { all?: boolean; filters?: PruneFilters }): Promise<BuildCachePruneReport>;
  /** docker's /system/df document (LayersSize, Images, Containers, Volumes, BuildCache). */
  df(): Promise<DockerDiskUsage>;
}

/** What `builder prune` removed: the cache entries' ids and their bytes. */
export interface BuildCachePruneReport {
  deleted: string[];
  spaceReclaimed: number;
}

/** What `system prune` removed, docker's sections in docker's order; `spaceReclaimed` counts
 *  every kind (containers' writable layers, volumes, images, build cache). */
export interface SystemPruneReport {
  containersDeleted: string[];
  networksDeleted: string[];
  volumesDeleted: string[];
  imagesDeleted: ImageDeleteEntry[];
  buildCacheDeleted: string[];
  spaceReclaimed: number;
  /** The embedded engine's leftovers of interrupted operations that were removed, in words
   *  (e.g. "2 staging dirs"); '' or absent when none (docker has no such thing). */
  leftovers?: string;
}

/** docker's GET /system/df, the fields docker's CLI reads (docker's names). */
export interface DockerDiskUsage {
  LayersSize: number;
  Images: {
    Id: string;
    ParentId: string;
    RepoTags: string[];
    RepoDigests: string[];
    Created: number;
    Size: number;
    SharedSize: number;
    VirtualSize: number;
    Labels: Record<string, string>;
    Containers: number;
  }[];
  Containers: {
    Id: string;
    Names: string[];
    Image: string;
    ImageID: string;
    Command: string;
    Created: number;
    State: string;
    Status: string;
    SizeRw: number;
    SizeRootFs: number;
    Labels: Record<string, string>;
    Mounts: unknown[];
  }[];
  Volumes: {
    Name: string;
    Driver: string;
    Mountpoint: string;
    CreatedAt: string;
    Labels: Record<string, string>;
    Scope: string;
    Options: Record<string, string>;
    UsageData: { Size: number; RefCount: number };
  }[];
  BuildCache: unknown[];
}

export interface Engine {
  readonly images: ImageApi;
  readonly containers: ContainerApi;
  readonly volumes: VolumeApi;
  readonly networks: NetworkApi;
  readonly system: SystemApi;
  /** Builds an image from a Dockerfile; returns the image id. */
  build(opts: BuildOptions): Promise<string>;
  /** The embedded engine's own operations; absent on a daemon. */
  readonly embedded?: EmbeddedOps;
  close(): Promise<void>;
}

// ---------------------------------------------------------------- docker-shaped documents

/** `docker image inspect` (the fields berth fills; docker's names). */
export interface DockerImageInspect {
  Id: string;
  RepoTags: string[];
  RepoDigests: string[];
  Parent: string;
  Comment: string;
  Created: string;
  DockerVersion: string;
  Author: string;
  Config: OciImageConfigBody;
  Architecture: string;
  Variant?: string;
  Os: string;
  Size: number;
  GraphDriver: { Name: string; Data: Record<string, string> };
  RootFS: { Type: string; Layers: string[] };
  Metadata: { LastTagTime: string };
}

/** The `config` object of an OCI/docker image config, docker's field names. */
export interface OciImageConfigBody {
  User?: string;
  ExposedPorts?: Record<string, object>;
  Env?: string[];
  Entrypoint?: string[] | null;
  Cmd?: string[] | null;
  Volumes?: Record<string, object>;
  WorkingDir?: string;
  Labels?: Record<string, string>;
  StopSignal?: string;
  Healthcheck?: { Test?: string[]; Interval?: number; Timeout?: number; StartPeriod?: number; Retries?: number };
  OnBuild?: string[] | null;
  Shell?: string[];
  Hostname?: string;
  Domainname?: string;
  AttachStdin?: boolean;
  AttachStdout?: boolean;
  AttachStderr?: boolean;
  Tty?: boolean;
  OpenStdin?: boolean;
  StdinOnce?: boolean;
  Image?: string;
}

/** `docker container inspect` (the fields berth fills; docker's names). */
export interface DockerContainerInspect {
  Id: string;
  Created: string;
  Path: string;
  Args: string[];
  State: {
    Status: ContainerState;
    Running: boolean;
    Paused: boolean;
    Restarting: boolean;
    OOMKilled: boolean;
    Dead: boolean;
    Pid: number;
    ExitCode: number;
    Error: string;
    StartedAt: string;
    FinishedAt: string;
    /** With a healthcheck, once started (docker's State.Health). */
    Health?: { Status: 'starting' | 'healthy' | 'unhealthy'; FailingStreak: number; Log: { Start: string; End: string; ExitCode: number; Output: string }[] };
  };
  Image: string;
  ResolvConfPath: string;
  HostnamePath: string;
  HostsPath: string;
  LogPath: string;
  Name: string; // with docker's leading "/"
  RestartCount: number;
  Driver: string;
  Platform: string;
  HostConfig: Record<string, unknown>;
  GraphDriver: { Name: string; Data: Record<string, string> };
  Mounts: {
    Type: string;
    Name?: string;
    Source: string;
    Destination: string;
    Driver?: string;
    Mode: string;
    RW: boolean;
    Propagation: string;
  }[];
  Config: OciImageConfigBody & { Image: string; Hostname: string };
  NetworkSettings: {
    Ports: Record<string, { HostIp: string; HostPort: string }[] | null>;
    SandboxKey: string;
    IPAddress: string;
    Gateway: string;
    MacAddress: string;
    Networks: Record<
      string,
      { NetworkID: string; EndpointID: string; Gateway: string; IPAddress: string; IPPrefixLen: number; MacAddress: string; Aliases: string[] | null }
    >;
  };
  /** Only when asked for (inspect with size). */
  SizeRw?: number;
  SizeRootFs?: number;
}
