/** Docker's JSON → the engine API's summaries and documents (docker's names kept where the API keeps them). */
import type {
  ContainerState,
  ContainerSummary,
  DockerContainerInspect,
  DockerImageInspect,
  ImageHistoryEntry,
  ImageSummary,
  NetworkEndpoint,
  NetworkSummary,
  PortBinding,
  VolumeSummary,
} from '../api.js';
import { arr, bool, isoOf, num, obj, optObj, str, strMap, strs, type Json } from './wire.js';

const STATES: ContainerState[] = ['created', 'running', 'paused', 'restarting', 'removing', 'exited', 'dead'];
const stateOf = (v: unknown): ContainerState => (STATES.includes(v as ContainerState) ? (v as ContainerState) : 'dead');

/** docker.io/library/x:tag is shown short, as docker does. */
const shortName = (n: string) => n.replace(/^docker\.io\/library\//, '').replace(/^docker\.io\//, '');

export function imageSummary(v: unknown, containers: number): ImageSummary {
  const o = obj(v, 'image');
  return {
    id: str(o.Id),
    repoTags: strs(o.RepoTags)
      .filter((t) => t !== '<none>:<none>')
      .map(shortName),
    repoDigests: strs(o.RepoDigests).filter((t) => !t.startsWith('<none>')),
    created: isoOf(o.Created),
    size: num(o.Size),
    containers,
    labels: strMap(o.Labels),
  };
}

export function imageInspect(v: unknown): DockerImageInspect {
  const o = obj(v, 'image');
  const gd = optObj(o.GraphDriver);
  const rootfs = optObj(o.RootFS);
  return {
    // The daemon's whole document, with the fields berth reads validated (as for containers).
    ...o,
    Id: str(o.Id),
    RepoTags: strs(o.RepoTags),
    RepoDigests: strs(o.RepoDigests),
    Parent: str(o.Parent),
    Comment: str(o.Comment),
    Created: isoOf(o.Created),
    DockerVersion: str(o.DockerVersion),
    Author: str(o.Author),
    Config: optObj(o.Config) as DockerImageInspect['Config'],
    Architecture: str(o.Architecture),
    ...(o.Variant ? { Variant: str(o.Variant) } : {}),
    Os: str(o.Os),
    Size: num(o.Size),
    GraphDriver: { ...gd, Name: str(gd.Name), Data: strMap(gd.Data) },
    RootFS: { Type: str(rootfs.Type, 'layers'), Layers: strs(rootfs.Layers) },
    Metadata: { LastTagTime: str(optObj(o.Metadata).LastTagTime) },
  };
}

export function historyEntry(v: unknown): ImageHistoryEntry {
  const o = obj(v, 'history entry');
  return {
    id: str(o.Id, '<missing>'),
    created: isoOf(o.Created),
    createdBy: str(o.CreatedBy),
    size: num(o.Size),
    comment: str(o.Comment),
    emptyLayer: num(o.Size) === 0,
  };
}

function portsOf(v: unknown): PortBinding[] {
  return arr(v).map((p) => {
    const o = optObj(p);
    return {
      hostIp: str(o.IP) === '0.0.0.0' || str(o.IP) === '::' ? '' : str(o.IP),
      hostPort: num(o.PublicPort),
      containerPort: num(o.PrivatePort),
      protocol: str(o.Type) === 'udp' ? 'udp' : 'tcp',
    };
  });
}

const UNIT_MS: Record<string, number> = { second: 1e3, minute: 6e4, hour: 3.6e6, day: 8.64e7, week: 6.048e8, month: 2.592e9, year: 3.1536e10 };

/**
 * When a running container started, from docker's human status ("Up 5 minutes", "Up About an
 * hour (Paused)"): the list API carries no start time, and the dashboard shows uptime. As
 * precise as docker's own wording, which is all `docker ps` shows either.
 */
export function startedFromStatus(status: string, now = Date.now()): string | undefined {
  const m = /^Up (?:(Less than a second)|About an? (minute|hour)|(\d+) (second|minute|hour|day|week|month|year)s?)/.exec(status);
  if (!m) return undefined;
  const ms = m[1] ? 0 : m[2] ? UNIT_MS[m[2]]! : Number(m[3]) * UNIT_MS[m[4]!]!;
  return new Date(now - ms).toISOString();
}

export function containerSummary(v: unknown): ContainerSummary {
  const o = obj(v, 'container');
  const status = str(o.Status);
  const exit = /^Exited \((-?\d+)\)/.exec(status);
  // Podman's compat list has StartedAt (unix seconds); Docker's only says "Up …".
  const startedAt = num(o.StartedAt) > 0 ? new Date(num(o.StartedAt) * 1000).toISOString() : startedFromStatus(status);
  return {
    id: str(o.Id),
    names: strs(o.Names).map((n) => n.replace(/^\//, '')),
    image: shortName(str(o.Image)),
    imageId: str(o.ImageID),
    command: str(o.Command),
    created: isoOf(o.Created),
    state: stateOf(o.State),
    status,
    ...(startedAt ? { startedAt } : {}),
    ...(exit ? { exitCode: Number(exit[1]) } : {}),
    ports: portsOf(o.Ports),
    labels: strMap(o.Labels),
    networks: Object.keys(optObj(optObj(o.NetworkSettings).Networks)),
    mounts: arr(o.Mounts).map((m) => str(optObj(m).Name) || str(optObj(m).Source)),
    ...(o.SizeRw !== undefined ? { sizeRw: num(o.SizeRw) } : {}),
    ...(o.SizeRootFs !== undefined ? { sizeRootFs: num(o.SizeRootFs) } : {}),
  };
}

export function containerInspect(v: unknown): DockerContainerInspect {
  const o = obj(v, 'container');
  const st = optObj(o.State);
  const ns = optObj(o.NetworkSettings);
  const gd = optObj(o.GraphDriver);
  const nets: DockerContainerInspect['NetworkSettings']['Networks'] = {};
  for (const [name, e] of Object.entries(optObj(ns.Networks))) {
    const n = optObj(e);
    nets[name] = {
      // What berth does not read is kept as the daemon sent it (templates and inspect show it).
      ...n,
      NetworkID: str(n.NetworkID),
      EndpointID: str(n.EndpointID),
      Gateway: str(n.Gateway),
      IPAddress: str(n.IPAddress),
      IPPrefixLen: num(n.IPPrefixLen),
      MacAddress: str(n.MacAddress),
      Aliases: Array.isArray(n.Aliases) ? strs(n.Aliases) : null,
    };
  }
  const config = optObj(o.Config);
  return {
    // The daemon's whole document, with the fields berth reads validated: `inspect` and
    // `inspect -f` show everything docker would (SandboxID, Health, IPAMConfig …).
    ...o,
    Id: str(o.Id),
    Created: str(o.Created),
    Path: str(o.Path),
    Args: strs(o.Args),
    State: {
      ...st,
      Status: stateOf(st.Status),
      Running: bool(st.Running),
      Paused: bool(st.Paused),
      Restarting: bool(st.Restarting),
      OOMKilled: bool(st.OOMKilled),
      Dead: bool(st.Dead),
      Pid: num(st.Pid),
      ExitCode: num(st.ExitCode),
      Error: str(st.Error),
      StartedAt: str(st.StartedAt),
      FinishedAt: str(st.FinishedAt),
    },
    Image: str(o.Image),
    ResolvConfPath: str(o.ResolvConfPath),
    HostnamePath: str(o.HostnamePath),
    HostsPath: str(o.HostsPath),
    LogPath: str(o.LogPath),
    Name: str(o.Name),
    RestartCount: num(o.RestartCount),
    Driver: str(o.Driver),
    Platform: str(o.Platform),
    HostConfig: optObj(o.HostConfig),
    GraphDriver: { ...gd, Name: str(gd.Name), Data: strMap(gd.Data) },
    Mounts: arr(o.Mounts).map((m) => {
      const x = optObj(m);
      return {
        Type: str(x.Type),
        ...(x.Name ? { Name: str(x.Name) } : {}),
        Source: str(x.Source),
        Destination: str(x.Destination),
        ...(x.Driver ? { Driver: str(x.Driver) } : {}),
        Mode: str(x.Mode),
        RW: bool(x.RW),
        Propagation: str(x.Propagation),
      };
    }),
    Config: { ...(config as unknown as DockerContainerInspect['Config']), Image: str(config.Image), Hostname: str(config.Hostname) },
    NetworkSettings: {
      ...ns,
      Ports: optObj(ns.Ports) as DockerContainerInspect['NetworkSettings']['Ports'],
      SandboxKey: str(ns.SandboxKey),
      IPAddress: str(ns.IPAddress),
      Gateway: str(ns.Gateway),
      MacAddress: str(ns.MacAddress),
      Networks: nets,
    },
    ...(o.SizeRw !== undefined ? { SizeRw: num(o.SizeRw) } : {}),
    ...(o.SizeRootFs !== undefined ? { SizeRootFs: num(o.SizeRootFs) } : {}),
  };
}

export function volumeSummary(v: unknown, usedBy: string[]): VolumeSummary {
  const o = obj(v, 'volume');
  const usage = optObj(o.UsageData);
  return {
    name: str(o.Name),
    driver: str(o.Driver, 'local'),
    mountpoint: str(o.Mountpoint),
    createdAt: str(o.CreatedAt),
    labels: strMap(o.Labels),
    options: strMap(o.Options),
    ...(o.Labels === null || o.Options === null ? { unset: { labels: o.Labels === null, options: o.Options === null } } : {}),
    scope: 'local',
    usedBy,
    ...(typeof usage.Size === 'number' && usage.Size >= 0 ? { size: usage.Size } : {}),
  };
}

const DRIVERS = ['bridge', 'host', 'null', 'macvlan'] as const;

/** `endpoints`: what the container list says about this network, when the document has none. */
export function networkSummary(v: unknown, endpoints?: NetworkEndpoint[]): NetworkSummary {
  const o = obj(v, 'network');
  const ipam = optObj(o.IPAM);
  const own: NetworkEndpoint[] = Object.entries(optObj(o.Containers)).map(([id, e]) => {
    const x = optObj(e);
    return { containerId: id, name: str(x.Name), ipv4Address: str(x.IPv4Address), macAddress: str(x.MacAddress), aliases: [], endpointId: str(x.EndpointID) };
  });
  const driver = str(o.Driver);
  return {
    id: str(o.Id),
    name: str(o.Name),
    driver: (DRIVERS as readonly string[]).includes(driver) ? (driver as NetworkSummary['driver']) : 'bridge',
    scope: 'local',
    internal: bool(o.Internal),
    ipam: arr(ipam.Config).map((c) => {
      const x = optObj(c);
      return { subnet: str(x.Subnet), ...(x.IPRange ? { ipRange: str(x.IPRange) } : {}), ...(x.Gateway ? { gateway: str(x.Gateway) } : {}) };
    }),
    options: strMap(o.Options),
    labels: strMap(o.Labels),
    created: str(o.Created),
    containers: own.length ? own : (endpoints ?? []),
  };
}

/** Each network's endpoints as the container list reports them (one request instead of one per network). */
export function endpointsByNetwork(containers: unknown[]): Map<string, NetworkEndpoint[]> {
  const out = new Map<string, NetworkEndpoint[]>();
  for (const c of containers) {
    const o = optObj(c);
    const name = strs(o.Names)[0]?.replace(/^\//, '') ?? '';
    for (const [, e] of Object.entries(optObj(optObj(o.NetworkSettings).Networks))) {
      const x: Json = optObj(e);
      const id = str(x.NetworkID);
      if (!id) continue;
      const list = out.get(id) ?? out.set(id, []).get(id)!;
      list.push({
        containerId: str(o.Id),
        name,
        ipv4Address: x.IPAddress ? `${str(x.IPAddress)}/${num(x.IPPrefixLen)}` : '',
        macAddress: str(x.MacAddress),
        aliases: strs(x.Aliases),
        endpointId: str(x.EndpointID),
      });
    }
  }
  return out;
}
