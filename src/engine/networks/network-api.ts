/**
 * The embedded engine's networks: rows in SQLite, host side through src/net (CNI). A network
 * exists on the host only once a container uses it (its bridge is made by the first attach),
 * so `network create` with bad input leaves nothing behind. Also the container engine's
 * network hooks: set up a sandbox at start, tear it down at exit, keep /etc/hosts in sync.
 */
import { recordEvent } from '../events/journal.js';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { NetworkApi, NetworkCreateOptions, NetworkSummary } from '../api.js';
import { EngineError, conflict, invalid, notFound } from '../errors.js';
import type { StateDb } from '../state/db.js';
import type { EnginePaths } from '../paths.js';
import type * as NetLib from '../../net/index.js';
import type { Cidr, NetPaths, NetworkRecord, ResolverContainer, Attachment, PortRequest } from '../../net/index.js';
import { netPaths } from '../../net/paths.js';
import { OPT_BRIDGE_NAME } from '../../net/options.js';
import type { NetworkHooks, ContainerNetworkView } from '../containers/context.js';
import type { ContainerRecords, Container } from '../containers/records.js';
import { NetworkRecords, recordOf, type Endpoint, type NetworkRow } from './records.js';
import { clearRemoval, finishRemovals, noteRemoval } from './removals.js';

// src/net (CNI, iptables, netns, ports) loads with the first operation that needs it: listings
// and inspect only read rows, and `ps` loaded its ~20 modules for nothing. Operations await
// net() first; the synchronous helpers they call use loaded().
let netLib: typeof NetLib | undefined;
const net = async (): Promise<typeof NetLib> => (netLib ??= await import('../../net/index.js'));
function loaded(): typeof NetLib {
  if (!netLib) throw new Error('src/net used before it was loaded');
  return netLib;
}

/** src/net speaks NetError (it may not import the engine); the engine speaks EngineError. */
export async function wrapNet<T>(f: () => Promise<T> | T): Promise<T> {
  try {
    return await f();
  } catch (e) {
    throw asEngineError(e);
  }
}

function asEngineError(e: unknown): unknown {
  // a NetError comes from src/net, so src/net is loaded when there is one
  return netLib && e instanceof netLib.NetError ? new EngineError(e.kind, e.message, { cause: e }) : e;
}

const BUILTIN = ['bridge', 'host', 'none'];

export class EmbeddedNetworks implements NetworkApi, NetworkHooks {
  readonly rows: NetworkRecords;
  readonly net: NetPaths;

  constructor(
    private readonly db: StateDb,
    private readonly paths: EnginePaths,
    private readonly containers: () => ContainerRecords,
  ) {
    this.rows = new NetworkRecords(db);
    this.net = netPaths(paths.runRoot);
  }

  /** bridge, host and none exist in every state root (made on first use). */
  async ensureBuiltins(): Promise<void> {
    // Every network command and every create passes here: the next one after a killed
    // `network rm` finishes it. A failure must not stop the command; the note stays for later.
    await this.finishRemovals().catch(() => 0);
    const { hostRoutes, planNetwork, OPT_BRIDGE_NAME } = await net();
    if (this.rows.byName('bridge') && this.rows.byName('host') && this.rows.byName('none')) return;
    const routes = await hostRoutes();
    this.db.tx(() => {
      const now = new Date().toISOString();
      if (!this.rows.byName('bridge')) {
        const existing = this.rows.all().filter((r) => r.record).map(recordOf);
        // BERTH_BRIDGE_NAME lets several state roots (tests) live side by side without sharing berth0.
        const options: Record<string, string> = process.env.BERTH_BRIDGE_NAME ? { [OPT_BRIDGE_NAME]: process.env.BERTH_BRIDGE_NAME } : {};
        const rec = planNetwork({ name: 'bridge', driver: 'bridge', options }, { existing, hostRoutes: routes, isDefault: true });
        this.db.run('INSERT INTO networks (id, name, driver, record, created) VALUES (?, ?, ?, ?, ?)', rec.id, 'bridge', 'bridge', JSON.stringify(rec), now);
      }
      for (const [name, driver] of [['host', 'host'], ['none', 'null']] as const) {
        if (!this.rows.byName(name)) this.db.run('INSERT INTO networks (id, name, driver, record, created) VALUES (?, ?, ?, NULL, ?)', randomBytes(32).toString('hex'), name, driver, now);
      }
    });
  }

  private summary(row: NetworkRow): NetworkSummary {
    const rec = row.record ? recordOf(row) : undefined;
    const names = new Map(this.containers().all().map((c) => [c.id, c.name]));
    return {
      id: row.id,
      name: row.name,
      driver: row.driver,
      scope: 'local',
      internal: rec?.internal ?? false,
      ipam: rec ? [{ subnet: rec.subnet, gateway: rec.gateway, ...(rec.ipRange ? { ipRange: rec.ipRange } : {}) }] : [],
      options: rec ? { ...(rec.driver === 'bridge' ? { [OPT_BRIDGE_NAME]: rec.device } : { parent: rec.device }), ...rec.options } : {},
      labels: rec?.labels ?? {},
      created: row.created,
      containers: this.rows
        .endpointsOn(row.id)
        .filter((e) => e.attachment)
        .map((e) => ({ containerId: e.containerId, name: names.get(e.containerId) ?? '', ipv4Address: e.attachment!.ipv4, macAddress: e.attachment!.mac, aliases: e.aliases, endpointId: endpointId(e.containerId, row.id) })),
    };
  }

  async create(o: NetworkCreateOptions): Promise<NetworkSummary> {
    await this.ensureBuiltins();
    const { hostRoutes, planNetwork } = await net();
    const routes = await hostRoutes();
    const rec = await wrapNet(() =>
      this.db.tx(() => {
        if (this.rows.byName(o.name)) throw conflict(`network with name ${o.name} already exists`);
        const existing = this.rows.all().filter((r) => r.record).map(recordOf);
        const r = planNetwork({ name: o.name, driver: o.driver ?? 'bridge', ipam: o.ipam ?? [], internal: o.internal ?? false, options: o.options ?? {}, labels: o.labels ?? {} }, { existing, hostRoutes: routes });
        this.db.run('INSERT INTO networks (id, name, driver, record, created) VALUES (?, ?, ?, ?, ?)', r.id, r.name, r.driver, JSON.stringify(r), r.created);
        recordEvent(this.db, { type: 'network', action: 'create', id: r.id, attributes: { name: r.name, type: r.driver } });
        return r;
      }),
    );
    return this.summary(this.rows.find(rec.id));
  }

  async list(opts: { filters?: Record<string, string[]> } = {}): Promise<NetworkSummary[]> {
    await this.ensureBuiltins();
    let out = this.rows.all().map((r) => this.summary(r));
    const f = opts.filters ?? {};
    if (f.name?.length) out = out.filter((n) => f.name!.some((x) => n.name.includes(x)));
    if (f.driver?.length) out = out.filter((n) => f.driver!.includes(n.driver));
    if (f.id?.length) out = out.filter((n) => f.id!.some((x) => n.id.startsWith(x)));
    if (f.type?.length) out = out.filter((n) => f.type!.includes(BUILTIN.includes(n.name) ? 'builtin' : 'custom'));
    if (f.label?.length) out = out.filter((n) => f.label!.every((l) => { const eq = l.indexOf('='); return eq < 0 ? l in n.labels : n.labels[l.slice(0, eq)] === l.slice(eq + 1); }));
    return out;
  }

  async inspect(idOrName: string): Promise<NetworkSummary> {
    await this.ensureBuiltins();
    return this.summary(this.rows.find(idOrName));
  }

  async remove(idOrName: string): Promise<void> {
    await this.ensureBuiltins();
    const row = this.rows.find(idOrName);
    if (BUILTIN.includes(row.name)) throw conflict(`${row.name} is a pre-defined network and cannot be removed`);
    await this.dropRow(row, () => {
      const eps = this.rows.endpointsOn(row.id);
      if (eps.length) throw conflict(`error while removing network: network ${row.name} id ${row.id} has active endpoints`);
    });
  }

  /** Removes a network's host side (bridge, leases, rules) and its row, whoever uses it. */
  async removeHost(id: string): Promise<void> {
    const row = this.rows.find(id);
    await this.dropRow(row, () => this.db.run('DELETE FROM endpoints WHERE network_id = ?', row.id));
  }

  /**
   * Deletes the row (after `before`, in the same transaction), then the host side, with a
   * write-ahead note around both (removals.ts) so a kill between them leaves nothing unowned.
   */
  private async dropRow(row: NetworkRow, before: () => void): Promise<void> {
    const rec = row.record ? recordOf(row) : undefined;
    const note = rec ? noteRemoval(this.paths.runRoot, rec) : undefined;
    try {
      this.db.tx(() => {
        before();
        this.db.run('DELETE FROM networks WHERE id = ?', row.id);
        recordEvent(this.db, { type: 'network', action: 'destroy', id: row.id, attributes: { name: row.name, type: row.driver } });
      });
    } catch (e) {
      if (note) clearRemoval(note);
      throw e;
    }
    if (!rec || !note) return;
    // On failure the note stays: the next command tries the host side again.
    const { removeNetworkHost } = await net();
    await wrapNet(() => removeNetworkHost(this.net, rec));
    clearRemoval(note);
  }

  /** Host sides of networks whose removal a killed berth left half-done (removals.ts). */
  async finishRemovals(): Promise<number> {
    return finishRemovals(this.paths.runRoot, {
      rowExists: (id) => this.db.get('SELECT 1 AS x FROM networks WHERE id = ?', id) !== undefined,
      deviceInUse: (dev) => this.rows.all().some((r) => r.record && r.driver === 'bridge' && recordOf(r).device === dev),
      removeHost: async (rec, opts) => {
        const { removeNetworkHost } = await net();
        return wrapNet(() => removeNetworkHost(this.net, rec, opts));
      },
    });
  }

  /** Network namespaces of containers that no longer exist (crash debris). */
  async removeLeftovers(liveIds: string[]): Promise<number> {
    const { leftoverNetns, removeOrphanNetns } = await net();
    const keys = await wrapNet(() => leftoverNetns(this.net, liveIds));
    for (const k of keys) await wrapNet(() => removeOrphanNetns(this.net, k));
    return keys.length;
  }

  async prune(): Promise<string[]> {
    await this.ensureBuiltins();
    const out: string[] = [];
    for (const r of this.rows.all()) {
      if (BUILTIN.includes(r.name) || this.rows.endpointsOn(r.id).length) continue;
      try {
        await this.remove(r.id);
        out.push(r.name);
      } catch {
        /* became used meanwhile */
      }
    }
    return out;
  }

  /** Only bridge/user-network containers have a sandbox of their own to plug into. */
  private ownsSandbox(c: Container): boolean {
    const m = c.spec.networkMode;
    return m !== 'host' && m !== 'none' && !m.startsWith('container:');
  }

  async connect(network: string, container: string, opts: { ip?: string; aliases?: string[] } = {}): Promise<void> {
    await this.ensureBuiltins();
    const row = this.rows.find(network);
    const c = this.containers().find(container);
    if (row.driver === 'host' || row.driver === 'null') throw invalid(`container cannot be disconnected from host network or connected to host network`);
    if (!this.ownsSandbox(c)) throw invalid(`container sharing network namespace with another container or host cannot be connected to any other network`);
    if (this.rows.endpointsOf(c.id).some((e) => e.networkId === row.id)) throw conflict(`endpoint with name ${c.name} already exists in network ${row.name}`);
    const rec = recordOf(row);
    if (rec.isDefault && (opts.ip || opts.aliases?.length)) throw invalid('network-scoped aliases and user specified IP address are only supported for user-defined networks');
    const connected = () => recordEvent(this.db, { type: 'network', action: 'connect', id: row.id, attributes: { container: c.id, name: row.name, type: row.driver } });
    this.db.tx(() => this.rows.addEndpoint({ containerId: c.id, networkId: row.id, fixedIp: opts.ip ?? '', aliases: opts.aliases ?? [] }));
    if (c.state !== 'running' && c.state !== 'paused') return connected(); // attached at its next start
    const { attach, netnsPath: sandboxPath } = await net();
    const mine = this.rows.endpointsOf(c.id);
    const netnsPath = mine.find((e) => e.attachment)?.attachment?.netnsPath ?? sandboxPath(this.net, c.id);
    if (!existsSync(netnsPath)) {
      this.db.tx(() => this.rows.removeEndpoint(c.id, row.id));
      throw conflict(`container ${c.name} has no network namespace to connect`);
    }
    const used = new Set(mine.map((e) => e.attachment?.ifname).filter(Boolean));
    let n = 0;
    while (used.has(`eth${n}`)) n++;
    try {
      const a = await wrapNet(() => attach(this.net, rec, { containerId: c.id, netns: netnsPath, ifname: `eth${n}`, ...(opts.ip ? { fixedIp: opts.ip } : {}), takenIps: this.takenIps(row.id, c.id), aliases: opts.aliases ?? [], revise: this.reviser(row.id) }));
      this.db.tx(() => {
        this.rows.setAttachment(c.id, row.id, a);
        connected();
      });
    } catch (e) {
      this.db.tx(() => this.rows.removeEndpoint(c.id, row.id));
      throw e;
    }
    await this.syncHosts();
  }

  async disconnect(network: string, container: string, opts: { force?: boolean } = {}): Promise<void> {
    await this.ensureBuiltins();
    const row = this.rows.find(network);
    const c = this.containers().find(container);
    const ep = this.rows.endpointsOf(c.id).find((e) => e.networkId === row.id);
    if (!ep) {
      if (opts.force) return;
      throw notFound(`container ${c.id} is not connected to network ${row.name}`);
    }
    const { detach } = await net();
    if (ep.attachment) await wrapNet(() => detach(this.net, recordOf(row), ep.attachment!));
    else await this.detachUnrecorded(c, row.id, ep.fixedIp);
    this.db.tx(() => {
      this.rows.removeEndpoint(c.id, row.id);
      recordEvent(this.db, { type: 'network', action: 'disconnect', id: row.id, attributes: { container: c.id, name: row.name, type: row.driver } });
    });
    await this.syncHosts();
  }

  /**
   * A running container's endpoint without an attachment: a `connect` killed between its CNI ADD
   * and recording the result (connect writes the endpoint row first). DEL it without a stored
   * result under the name connect picked (the lowest ethN the recorded attachments leave free):
   * the plugins remove that interface and free its lease. (At stop, teardown sweeps it anyway.)
   */
  private async detachUnrecorded(c: Container, networkId: string, fixedIp: string): Promise<void> {
    if (c.state !== 'running' && c.state !== 'paused') return;
    const { detach, netnsPath: sandboxPath } = await net();
    const mine = this.rows.endpointsOf(c.id);
    const netnsPath = mine.find((e) => e.attachment)?.attachment?.netnsPath ?? sandboxPath(this.net, c.id);
    if (!existsSync(netnsPath)) return;
    const used = new Set(mine.map((e) => e.attachment?.ifname).filter(Boolean));
    let n = 0;
    while (used.has(`eth${n}`)) n++;
    const guess: Attachment = { networkId, containerId: c.id, netnsPath, ifname: `eth${n}`, ipv4: '', ip: '', mac: '', gateway: '', aliases: [], ports: [], fixedIp, cniResult: undefined };
    await wrapNet(() => detach(this.net, recordOf(this.rows.find(networkId)), guess));
  }

  /**
   * attach's `revise`: the network's current row (another process may have re-planned it), and
   * when its bridge is about to be made on a subnet a host route now covers (another berth root
   * or Docker took it since `network create`), a new automatic subnet, persisted.
   */
  private reviser(networkId: string): (routes: Cidr[] | null) => NetworkRecord {
    return (routes) => {
      const { parseCidr, overlaps, validateIpam, formatCidr, chooseSubnet } = loaded();
      const rec = recordOf(this.rows.find(networkId));
      const mine = parseCidr(rec.subnet);
      if (!routes || !mine || !routes.some((r) => overlaps(r, mine))) return rec;
      const others = this.rows.all().filter((r) => r.record && r.id !== networkId).map((r) => recordOf(r).subnet);
      const plan = validateIpam({ subnet: formatCidr(chooseSubnet([...routes, ...others])) });
      const next: NetworkRecord = { ...rec, subnet: plan.subnet, gateway: plan.gateway };
      this.db.tx(() => this.db.run('UPDATE networks SET record = ? WHERE id = ?', JSON.stringify(next), networkId));
      return next;
    };
  }

  /** Addresses other containers hold or reserved on a network. */
  private takenIps(networkId: string, except = ''): string[] {
    return this.rows.endpointsOn(networkId).filter((e) => e.containerId !== except).flatMap((e) => [e.attachment?.ip ?? '', e.fixedIp]).filter(Boolean);
  }

  // ------------------------------------------------------------ container hooks

  /** At create: validates the mode and records the container's first network. */
  planForCreate(
    _containerId: string,
    mode: string,
    o: { ip?: string; aliases?: string[]; ports: number; publishAll: boolean; dns: number; extraHosts: number; hostname: boolean },
  ): { mode: string; warnings: string[]; endpoint?: { networkId: string; fixedIp: string; aliases: string[] } } {
    const { parseNetworkMode, checkModeOptions, validateFixedIp } = loaded(); // create ran ensureBuiltins
    const m = wrapSync(() => parseNetworkMode(mode));
    const warnings = wrapSync(() => checkModeOptions(m, { ports: o.ports, publishAll: o.publishAll, aliases: o.aliases?.length ?? 0, ...(o.ip ? { ip: o.ip } : {}), dns: o.dns, extraHosts: o.extraHosts, hostname: o.hostname }));
    if (m.kind === 'bridge' || m.kind === 'network') {
      const row = m.kind === 'bridge' ? this.rows.byName('bridge') : this.rows.find(m.name);
      if (!row) throw notFound(`network ${mode} not found`);
      if (row.driver === 'host') return { mode: 'host', warnings };
      if (row.driver === 'null') return { mode: 'none', warnings };
      if (o.ip) wrapSync(() => validateFixedIp(recordOf(row), o.ip!, this.takenIps(row.id)));
      return { mode: m.kind === 'bridge' ? 'bridge' : row.name, warnings, endpoint: { networkId: row.id, fixedIp: o.ip ?? '', aliases: o.aliases ?? [] } };
    }
    if (m.kind === 'container') return { mode: `container:${this.containers().find(m.ref).id}`, warnings };
    return { mode: m.kind, warnings };
  }

  addEndpoint(e: { containerId: string; networkId: string; fixedIp: string; aliases: string[] }): void {
    this.rows.addEndpoint(e);
  }

  async setup(containerId: string): Promise<string | undefined> {
    const { publishAllRequests, resolvePorts, setupSandbox } = await net();
    const c = this.containers().find(containerId);
    const eps = this.rows.endpointsOf(containerId);
    const nets = eps.map((e, i) => {
      const row = this.rows.find(e.networkId);
      // docker's --mac-address is the first network's
      const mac = i === 0 ? c.spec.host.macAddress : '';
      return { network: recordOf(row), ...(e.fixedIp ? { fixedIp: e.fixedIp } : {}), ...(mac ? { mac } : {}), aliases: e.aliases, takenIps: this.takenIps(e.networkId, containerId), revise: this.reviser(e.networkId) };
    });
    // Ports: explicit -p, plus -P for every exposed port, avoiding ports other containers hold.
    const requests: PortRequest[] = c.spec.ports.map((p) => ({ hostIp: p.hostIp, hostPortStart: p.hostPort, hostPortEnd: p.hostPort, containerPort: p.containerPort, protocol: p.protocol }));
    if (c.spec.publishAll) requests.push(...publishAllRequests(c.spec.exposedPorts, requests));
    const inUse = this.rows.allEndpoints().filter((e) => e.containerId !== containerId && e.attachment).flatMap((e) => e.attachment!.ports);
    const ports = await wrapNet(() => resolvePorts(requests, inUse));
    const sb = await wrapNet(() => setupSandbox(this.net, containerId, nets, ports));
    this.db.tx(() => sb.attachments.forEach((a, i) => this.rows.setAttachment(containerId, eps[i]!.networkId, a)));
    await this.syncHosts();
    return sb.netnsPath;
  }

  async teardown(containerId: string): Promise<void> {
    const { netnsPath: sandboxPath, teardownSandbox, cleanupContainer } = await net();
    const items: { network: NetworkRecord; attachment: Attachment }[] = [];
    const unrecorded: { network: NetworkRecord; ifname: string }[] = [];
    for (const [i, e] of this.rows.endpointsOf(containerId).entries()) {
      const network = recordOf(this.rows.find(e.networkId));
      if (e.attachment) items.push({ network, attachment: e.attachment });
      else unrecorded.push({ network, ifname: `eth${i}` });
    }
    // A netns with endpoints that have no recorded attachment: a set-up cut short (berth killed
    // between CNI ADD and writing its result). Its lease, veth and port rules are known to no
    // row, so DEL those networks without a stored result and sweep what carries the id.
    const cutShort = unrecorded.length > 0 && existsSync(sandboxPath(this.net, containerId));
    await wrapNet(() => teardownSandbox(this.net, containerId, items));
    if (cutShort) await wrapNet(() => cleanupContainer(this.net, containerId, unrecorded));
    this.db.tx(() => {
      for (const e of this.rows.endpointsOf(containerId)) this.rows.setAttachment(containerId, e.networkId, null);
    });
    await this.syncHosts();
  }

  async release(containerId: string): Promise<void> {
    await this.teardown(containerId);
    this.db.tx(() => this.db.run('DELETE FROM endpoints WHERE container_id = ?', containerId));
  }

  describe(containerId: string): ContainerNetworkView {
    return this.viewOf(containerId, this.rows.endpointsOf(containerId), (id) => this.rows.find(id));
  }

  describeAll(): Map<string, ContainerNetworkView> {
    const byId = new Map(this.rows.all().map((r) => [r.id, r]));
    const endpoints = new Map<string, Endpoint[]>();
    for (const e of this.rows.allEndpoints()) (endpoints.get(e.containerId) ?? endpoints.set(e.containerId, []).get(e.containerId)!).push(e);
    const out = new Map<string, ContainerNetworkView>();
    for (const [id, eps] of endpoints) {
      eps.sort((a, b) => a.position - b.position);
      out.set(id, this.viewOf(id, eps, (n) => byId.get(n) ?? this.rows.find(n)));
    }
    return out;
  }

  private viewOf(containerId: string, endpoints: Endpoint[], network: (id: string) => NetworkRow): ContainerNetworkView {
    const view: ContainerNetworkView = { networks: {}, ports: [], sandboxKey: '' };
    for (const e of endpoints) {
      const row = network(e.networkId);
      const a = e.attachment;
      view.networks[row.name] = {
        NetworkID: row.id,
        EndpointID: a ? endpointId(containerId, row.id) : '',
        Gateway: a?.gateway ?? '',
        IPAddress: a?.ip ?? '',
        IPPrefixLen: a ? Number(a.ipv4.split('/')[1]) : 0,
        MacAddress: a?.mac ?? '',
        Aliases: e.aliases.length ? e.aliases : null,
      };
      if (a) {
        view.ports.push(...a.ports);
        view.sandboxKey ||= a.netnsPath;
      }
    }
    return view;
  }

  /** Rewrites every container's /etc/hosts in place from who is attached where. */
  async syncHosts(): Promise<void> {
    const { parseExtraHost, syncHostsFiles } = await net();
    const eps = this.rows.allEndpoints();
    const dns = new Set(this.rows.all().filter((r) => r.record && !recordOf(r).isDefault).map((r) => r.id));
    const all: ResolverContainer[] = this.containers()
      .all()
      .filter((c) => this.ownsSandbox(c))
      .map((c) => ({
        id: c.id,
        name: c.name,
        hostname: c.spec.hostname,
        hostsPath: `${this.paths.containers}/${c.id}/hosts`,
        extraHosts: c.spec.extraHosts.map((h) => parseExtraHost(h)),
        endpoints: eps.filter((e) => e.containerId === c.id && e.attachment).map((e) => ({ networkId: e.networkId, ip: e.attachment!.ip, aliases: e.aliases })),
      }));
    syncHostsFiles(all, dns);
  }
}

/** docker-shaped (64 hex digits) and stable: the container's and the network's ids, halved. */
function endpointId(containerId: string, networkId: string): string {
  return `${containerId.slice(0, 32)}${networkId.slice(0, 32)}`;
}

function wrapSync<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    throw asEngineError(e);
  }
}

