/**
 * The container engine's network hooks (NetworkHooks): at create, validate the mode and record
 * the first network; at start, set up the sandbox (netns, CNI, ports); at exit, tear it down;
 * describe a container's networks for inspect; keep every /etc/hosts in sync.
 */
import { existsSync } from 'node:fs';
import { notFound } from '../errors.js';
import type { Cidr, NetworkRecord, ResolverContainer, Attachment, PortRequest } from '../../net/index.js';
import type { NetworkHooks, ContainerNetworkView } from '../containers/context.js';
import type { Container } from '../containers/records.js';
import { recordOf, type Endpoint, type NetworkRow } from './records.js';
import { loaded, net, wrapNet, wrapSync } from './net-lib.js';
import { NetworkMaintenance } from './maintenance.js';
import { endpointSettings } from './endpoint-settings.js';
import type { EndpointExtras } from '../api.js';

export abstract class ContainerNetworkHooks extends NetworkMaintenance implements NetworkHooks {
  /** Only bridge/user-network containers have a sandbox of their own to plug into. */
  protected ownsSandbox(c: Container): boolean {
    const m = c.spec.networkMode;
    return m !== 'host' && m !== 'none' && !m.startsWith('container:');
  }

  /**
   * A running container's endpoint without an attachment: a `connect` killed between its CNI ADD
   * and recording the result (connect writes the endpoint row first). DEL it without a stored
   * result under the name connect picked (the lowest ethN the recorded attachments leave free):
   * the plugins remove that interface and free its lease. (At stop, teardown sweeps it anyway.)
   */
  protected async detachUnrecorded(c: Container, networkId: string, fixedIp: string): Promise<void> {
    if (c.state !== 'running' && c.state !== 'paused') return;
    const { detach, netnsPath: sandboxPath } = await net();
    const mine = this.rows.endpointsOf(c.id);
    const netnsPath = mine.find((e) => e.attachment)?.attachment?.netnsPath ?? sandboxPath(this.net, c.id);
    if (!existsSync(netnsPath)) return;
    const used = new Set(mine.map((e) => e.attachment?.ifname).filter(Boolean));
    let n = 0;
    while (used.has(`eth${n}`)) n++;
    const guess: Attachment = {
      networkId,
      containerId: c.id,
      netnsPath,
      ifname: `eth${n}`,
      ipv4: '',
      ip: '',
      mac: '',
      gateway: '',
      aliases: [],
      ports: [],
      fixedIp,
      cniResult: undefined,
    };
    await wrapNet(() => detach(this.net, recordOf(this.rows.find(networkId)), guess));
  }

  /**
   * attach's `revise`: the network's current row (another process may have re-planned it), and
   * when its bridge is about to be made on a subnet a host route now covers (another berth root
   * or Docker took it since `network create`), a new automatic subnet, persisted.
   */
  protected reviser(networkId: string): (routes: Cidr[] | null) => NetworkRecord {
    return (routes) => {
      const { parseCidr, overlaps, validateIpam, formatCidr, chooseSubnet } = loaded();
      const rec = recordOf(this.rows.find(networkId));
      const mine = parseCidr(rec.subnet);
      if (!routes || !mine || !routes.some((r) => overlaps(r, mine))) return rec;
      const others = this.rows
        .all()
        .filter((r) => r.record && r.id !== networkId)
        .map((r) => recordOf(r).subnet);
      const plan = validateIpam({ subnet: formatCidr(chooseSubnet([...routes, ...others])) });
      const next: NetworkRecord = { ...rec, subnet: plan.subnet, gateway: plan.gateway };
      this.db.tx(() => this.db.run('UPDATE networks SET record = ? WHERE id = ?', JSON.stringify(next), networkId));
      return next;
    };
  }

  /** Addresses other containers hold or reserved on a network. */
  protected takenIps(networkId: string, except = ''): string[] {
    return this.rows
      .endpointsOn(networkId)
      .filter((e) => e.containerId !== except)
      .flatMap((e) => [e.attachment?.ip ?? '', e.fixedIp])
      .filter(Boolean);
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
    const warnings = wrapSync(() =>
      checkModeOptions(m, {
        ports: o.ports,
        publishAll: o.publishAll,
        aliases: o.aliases?.length ?? 0,
        ...(o.ip ? { ip: o.ip } : {}),
        dns: o.dns,
        extraHosts: o.extraHosts,
        hostname: o.hostname,
      }),
    );
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

  addEndpoint(e: { containerId: string; networkId: string; fixedIp: string; aliases: string[]; settings?: EndpointExtras }): void {
    this.rows.addEndpoint(e);
  }

  async setup(containerId: string): Promise<string | undefined> {
    const { publishAllRequests, resolvePorts, setupSandbox } = await net();
    const c = this.containers().find(containerId);
    const eps = this.rows.endpointsOf(containerId);
    const nets = eps.map((e, i) => {
      const row = this.rows.find(e.networkId);
      // connect's MacAddress, else docker's --mac-address (the first network's)
      const mac = e.settings.mac || (i === 0 ? c.spec.host.macAddress : '');
      return {
        network: recordOf(row),
        ...(e.fixedIp ? { fixedIp: e.fixedIp } : {}),
        ...(mac ? { mac } : {}),
        aliases: e.aliases,
        takenIps: this.takenIps(e.networkId, containerId),
        revise: this.reviser(e.networkId),
      };
    });
    // Ports: explicit -p, plus -P for every exposed port, avoiding ports other containers hold.
    const requests: PortRequest[] = c.spec.ports.map((p) => ({
      hostIp: p.hostIp,
      hostPortStart: p.hostPort,
      hostPortEnd: p.hostPort,
      containerPort: p.containerPort,
      protocol: p.protocol,
    }));
    if (c.spec.publishAll) requests.push(...publishAllRequests(c.spec.exposedPorts, requests));
    const inUse = this.rows
      .allEndpoints()
      .filter((e) => e.containerId !== containerId && e.attachment)
      .flatMap((e) => e.attachment!.ports);
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
      out.set(
        id,
        this.viewOf(id, eps, (n) => byId.get(n) ?? this.rows.find(n)),
      );
    }
    return out;
  }

  protected viewOf(containerId: string, endpoints: Endpoint[], network: (id: string) => NetworkRow): ContainerNetworkView {
    const view: ContainerNetworkView = { networks: {}, ports: [], sandboxKey: '' };
    for (const e of endpoints) {
      const row = network(e.networkId);
      const a = e.attachment;
      // docker's whole EndpointSettings: ContainerNetworkView names only some of its fields
      view.networks[row.name] = endpointSettings(e, row, endpointId(containerId, row.id));
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
    const dns = new Set(
      this.rows
        .all()
        .filter((r) => r.record && !recordOf(r).isDefault)
        .map((r) => r.id),
    );
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
export function endpointId(containerId: string, networkId: string): string {
  return `${containerId.slice(0, 32)}${networkId.slice(0, 32)}`;
}
