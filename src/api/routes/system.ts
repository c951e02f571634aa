/** System routes: _ping, version, info, events, system/df, auth; 501 for swarm and friends. */
import { hostname } from 'node:os';
import type { EngineEvent, EngineInfo } from '../../engine/api.js';
import { checkLogin } from '../../engine/registry/login.js';
import { domainOf } from '../../cli/login.js';
import type { Method, Route, RouteContext } from '../route.js';
import { checkFilterKeys, filtersParam, readJson } from '../body.js';
import { ApiError, badRequest } from '../errors.js';
import { sendJson, sendText, startJsonStream } from '../reply.js';
import { API_MAX_VERSION, API_MIN_VERSION } from '../server.js';
import { objOf } from '../container-config.js';

const EVENT_FILTERS = ['container', 'event', 'image', 'label', 'network', 'type', 'volume', 'scope', 'daemon', 'plugin', 'node', 'service', 'secret', 'config'];

/** docker's GET /info document (the fields docker's CLI, docker-py and compose read). */
function infoDoc(i: EngineInfo): Record<string, unknown> {
  return {
    ID: i.name,
    Containers: i.containers,
    ContainersRunning: i.containersRunning,
    ContainersPaused: i.containersPaused,
    ContainersStopped: i.containersStopped,
    Images: i.images,
    Driver: i.storageDriver,
    DriverStatus: [],
    Plugins: { Volume: ['local'], Network: ['bridge', 'host', 'macvlan', 'null'], Authorization: null, Log: ['json-file', 'k8s-file', 'none'] },
    MemoryLimit: true,
    SwapLimit: true,
    KernelMemory: false,
    CpuCfsPeriod: true,
    CpuCfsQuota: true,
    CPUShares: true,
    CPUSet: true,
    PidsLimit: true,
    IPv4Forwarding: true,
    BridgeNfIptables: true,
    BridgeNfIp6tables: true,
    Debug: false,
    NFd: 0,
    OomKillDisable: true,
    NGoroutines: 0,
    SystemTime: new Date().toISOString(),
    LoggingDriver: 'k8s-file',
    CgroupDriver: i.cgroupDriver,
    CgroupVersion: i.cgroupVersion,
    NEventsListener: 0,
    KernelVersion: i.kernelVersion,
    OperatingSystem: i.operatingSystem,
    OSVersion: '',
    OSType: 'linux',
    Architecture: i.architecture,
    IndexServerAddress: 'https://index.docker.io/v1/',
    RegistryConfig: {
      AllowNondistributableArtifactsCIDRs: [],
      AllowNondistributableArtifactsHostnames: [],
      InsecureRegistryCIDRs: ['127.0.0.0/8'],
      IndexConfigs: {},
      Mirrors: [],
    },
    NCPU: i.ncpu,
    MemTotal: i.memTotal,
    GenericResources: null,
    DockerRootDir: i.rootDir,
    HttpProxy: process.env.HTTP_PROXY ?? '',
    HttpsProxy: process.env.HTTPS_PROXY ?? '',
    NoProxy: process.env.NO_PROXY ?? '',
    Name: i.name || hostname(),
    Labels: [],
    ExperimentalBuild: false,
    ServerVersion: i.serverVersion,
    Runtimes: { [i.ociRuntime]: { path: i.ociRuntime } },
    DefaultRuntime: i.ociRuntime,
    Swarm: { NodeID: '', NodeAddr: '', LocalNodeState: 'inactive', ControlAvailable: false, Error: '', RemoteManagers: null },
    LiveRestoreEnabled: true,
    Isolation: '',
    InitBinary: 'docker-init',
    ContainerdCommit: { ID: '', Expected: '' },
    RuncCommit: { ID: '', Expected: '' },
    InitCommit: { ID: '', Expected: '' },
    SecurityOptions: ['name=seccomp,profile=default'],
    Warnings: null,
    // berth's own
    Engine: i.engine,
    RunRoot: i.runRoot,
  };
}

/** docker's event message: the old top-level status/id/from for containers and images too. */
export function eventDoc(e: EngineEvent): Record<string, unknown> {
  const attrs = e.attributes ?? {};
  const legacy = e.type === 'container' || e.type === 'image' ? { status: e.action, id: e.id, ...(attrs.image ? { from: attrs.image } : {}) } : {};
  return {
    ...legacy,
    Type: e.type,
    Action: e.action,
    Actor: { ID: e.id, Attributes: attrs },
    scope: 'local',
    time: Math.floor(e.time / 1000),
    timeNano: e.time * 1_000_000,
  };
}

/** docker's since/until: unix seconds (with a fraction), or an RFC 3339 time. */
function timeParam(v: string | null, name: string): number | undefined {
  if (v === null || v === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const t = Date.parse(v);
  if (Number.isNaN(t)) throw badRequest(`invalid value for ${name}: ${JSON.stringify(v)}`);
  return t;
}

async function events(ctx: RouteContext): Promise<void> {
  const f = filtersParam(ctx.query);
  checkFilterKeys(f, EVENT_FILTERS);
  const since = timeParam(ctx.query.get('since'), 'since');
  const until = timeParam(ctx.query.get('until'), 'until');
  if (since !== undefined && until !== undefined && until < since) throw badRequest('since time must be before until time');
  const send = startJsonStream(ctx.res);
  try {
    for await (const e of ctx.engine.system.events(ctx.signal, {
      ...(since !== undefined ? { since } : {}),
      ...(until !== undefined ? { until } : {}),
      filters: f,
    })) {
      if (!send(eventDoc(e)) && ctx.res.destroyed) break;
    }
  } catch (e) {
    if (!ctx.signal.aborted) throw e;
  }
  ctx.res.end();
}

async function auth(ctx: RouteContext): Promise<void> {
  const b = objOf(await readJson(ctx.req), 'body') ?? {};
  const username = typeof b.username === 'string' ? b.username : '';
  const password = typeof b.password === 'string' ? b.password : '';
  const server = typeof b.serveraddress === 'string' ? b.serveraddress : '';
  if (!username || !password) throw badRequest('username and password are required');
  try {
    await checkLogin(domainOf(server || undefined), { username, password });
  } catch (e) {
    // docker answers a refused login with 401 and the registry's reason
    throw new ApiError(401, (e as Error).message);
  }
  sendJson(ctx.res, 200, { Status: 'Login Succeeded', IdentityToken: '' });
}

/** What berth does not do answers as docker does on a node outside a swarm (503) or plainly (501). */
function refusals(): Route[] {
  const swarm = 'This node is not a swarm manager. Use "docker swarm init" or "docker swarm join" to connect this node to swarm and try again.';
  const families: [string, number, string][] = [
    ['/swarm', 503, swarm],
    ['/nodes', 503, swarm],
    ['/services', 503, swarm],
    ['/tasks', 503, swarm],
    ['/secrets', 503, swarm],
    ['/configs', 503, swarm],
    ['/session', 501, 'berth does not support BuildKit sessions'],
    ['/distribution', 501, 'berth does not support the distribution API'],
  ];
  const methods: Method[] = ['GET', 'POST', 'PUT', 'DELETE'];
  return families.flatMap(([p, status, msg]) =>
    methods.flatMap((method) =>
      [p, `${p}/{rest*}`].map((path) => ({
        method,
        path,
        handle: async () => {
          throw new ApiError(status, msg);
        },
      })),
    ),
  );
}

const ping: Route['handle'] = async ({ req, res }) => {
  // The classic builder, as a dockerd without BuildKit says: docker CLIs that choose by it (20.10)
  // build through /build rather than a BuildKit session berth cannot serve.
  res.setHeader('Builder-Version', '1');
  res.setHeader('Cache-Control', 'no-cache, no-store, must-revalidate');
  res.setHeader('Pragma', 'no-cache');
  if (req.method === 'HEAD') {
    res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': 0 }).end();
    return;
  }
  sendText(res, 200, 'OK');
};

export const routes: Route[] = [
  // no plugins: an empty list, and docker's not-found (so `docker inspect NAME` tries the others)
  { method: 'GET', path: '/plugins', handle: async ({ res }) => sendJson(res, 200, []) },
  {
    method: 'GET',
    path: '/plugins/{name*}/json',
    handle: async ({ params }) => {
      throw new ApiError(404, `plugin "${params.name}" not found`);
    },
  },
  ...(['POST', 'DELETE'] as const).map((method) => ({
    method,
    path: '/plugins/{rest*}',
    handle: async () => {
      throw new ApiError(501, 'berth does not support plugins');
    },
  })),
  { method: 'GET', path: '/info', handle: async ({ engine, res }) => sendJson(res, 200, infoDoc(await engine.system.info())) },
  { method: 'GET', path: '/events', handle: events },
  { method: 'GET', path: '/system/df', handle: async ({ engine, res }) => sendJson(res, 200, await engine.system.df()) },
  { method: 'POST', path: '/auth', handle: auth },
  ...refusals(),
  { method: 'GET', path: '/_ping', handle: ping },
  { method: 'HEAD', path: '/_ping', handle: ping },
  {
    method: 'GET',
    path: '/version',
    handle: async ({ engine, res }) => {
      const [v, info] = await Promise.all([engine.system.version(), engine.system.info()]);
      sendJson(res, 200, {
        Platform: { Name: 'berth' },
        Components: [
          { Name: 'Engine', Version: v.version, Details: { ApiVersion: API_MAX_VERSION, MinAPIVersion: API_MIN_VERSION, Os: v.os, Arch: v.arch } },
          ...v.components.map((c) => ({ Name: c.name, Version: c.version, Details: {} })),
        ],
        Version: v.version,
        ApiVersion: API_MAX_VERSION,
        MinAPIVersion: API_MIN_VERSION,
        GitCommit: '',
        GoVersion: v.nodeVersion,
        Os: v.os,
        Arch: v.arch,
        KernelVersion: info.kernelVersion,
        BuildTime: '',
      });
    },
  },
];
