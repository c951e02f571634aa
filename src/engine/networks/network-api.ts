/**
 * The embedded engine's networks: rows in SQLite, host side through src/net (CNI). A network
 * exists on the host only once a container uses it (its bridge is made by the first attach),
 * so `network create` with bad input leaves nothing behind. The container hooks are in
 * container-hooks.ts, the crash upkeep in maintenance.ts.
 */
import { existsSync } from 'node:fs';
import { recordEvent } from '../events/journal.js';
import type { EndpointRequest, NetworkApi, NetworkCreateOptions, NetworkSummary, PruneFilters } from '../api.js';
import { NETWORK_PRUNE_FILTERS, pruneFilter } from '../prune-filter.js';
import { conflict, invalid, runtimeError } from '../errors.js';
import { OPT_BRIDGE_NAME } from '../../net/options.js';
import { recordOf, type NetworkRow } from './records.js';
import { net, wrapNet } from './net-lib.js';
import { BUILTIN } from './maintenance.js';
import { ContainerNetworkHooks, endpointId } from './container-hooks.js';
import { checkEndpointRequest } from './endpoint-request.js';

export { wrapNet };

export class EmbeddedNetworks extends ContainerNetworkHooks implements NetworkApi {
  private summary(row: NetworkRow): NetworkSummary {
    const rec = row.record ? recordOf(row) : undefined;
    const names = new Map(
      this.containers()
        .all()
        .map((c) => [c.id, c.name]),
    );
    return {
      id: row.id,
      name: row.name,
      driver: row.driver,
      scope: 'local',
      internal: rec?.internal ?? false,
      ipam: rec ? [{ subnet: rec.subnet, gateway: rec.gateway, ...(rec.ipRange ? { ipRange: rec.ipRange } : {}) }] : [],
      ...(rec?.ipamRequest ? { ipamRequest: rec.ipamRequest } : {}),
      options: rec ? { ...(rec.driver === 'bridge' ? { [OPT_BRIDGE_NAME]: rec.device } : { parent: rec.device }), ...rec.options } : {},
      labels: rec?.labels ?? {},
      created: row.created,
      containers: this.rows
        .endpointsOn(row.id)
        .filter((e) => e.attachment)
        .map((e) => ({
          containerId: e.containerId,
          name: names.get(e.containerId) ?? '',
          ipv4Address: e.attachment!.ipv4,
          macAddress: e.attachment!.mac,
          aliases: e.aliases,
          endpointId: endpointId(e.containerId, row.id),
        })),
    };
  }

  async create(o: NetworkCreateOptions): Promise<NetworkSummary> {
    await this.ensureBuiltins();
    const { hostRoutes, planNetwork } = await net();
    const routes = await hostRoutes();
    const rec = await wrapNet(() =>
      this.db.tx(() => {
        if (this.rows.byName(o.name)) throw conflict(`network with name ${o.name} already exists`);
        const existing = this.rows
          .all()
          .filter((r) => r.record)
          .map(recordOf);
        const r = planNetwork(
          {
            name: o.name,
            driver: o.driver ?? 'bridge',
            ipam: o.ipam ?? [],
            ipamOptions: o.ipamOptions ?? null,
            internal: o.internal ?? false,
            options: o.options ?? {},
            labels: o.labels ?? {},
          },
          { existing, hostRoutes: routes },
        );
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
    if (f.label?.length)
      out = out.filter((n) =>
        f.label!.every((l) => {
          const eq = l.indexOf('=');
          return eq < 0 ? l in n.labels : n.labels[l.slice(0, eq)] === l.slice(eq + 1);
        }),
      );
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

  async prune(opts: { filters?: PruneFilters } = {}): Promise<string[]> {
    const filter = pruneFilter(opts.filters, NETWORK_PRUNE_FILTERS);
    await this.ensureBuiltins();
    const out: string[] = [];
    for (const r of this.rows.all()) {
      if (BUILTIN.includes(r.name) || this.rows.endpointsOn(r.id).length) continue;
      if (!filter.matches(r.created, r.record ? recordOf(r).labels : {})) continue;
      try {
        await this.remove(r.id);
        out.push(r.name);
      } catch {
        /* became used meanwhile */
      }
    }
    return out;
  }

  async connect(network: string, container: string, opts: EndpointRequest = {}): Promise<void> {
    await this.ensureBuiltins();
    const row = this.rows.find(network);
    const c = this.containers().find(container);
    if (row.driver === 'host' || row.driver === 'null') throw invalid(`container cannot be disconnected from host network or connected to host network`);
    if (!this.ownsSandbox(c)) throw invalid(`container sharing network namespace with another container or host cannot be connected to any other network`);
    if (this.rows.endpointsOf(c.id).some((e) => e.networkId === row.id)) throw conflict(`endpoint with name ${c.name} already exists in network ${row.name}`);
    const rec = recordOf(row);
    if (rec.isDefault && (opts.ip || opts.aliases?.length))
      throw invalid('network-scoped aliases and user specified IP address are only supported for user-defined networks');
    checkEndpointRequest(opts);
    const { ip, aliases, ...settings } = opts;
    const connected = () =>
      recordEvent(this.db, { type: 'network', action: 'connect', id: row.id, attributes: { container: c.id, name: row.name, type: row.driver } });
    this.db.tx(() => this.rows.addEndpoint({ containerId: c.id, networkId: row.id, fixedIp: ip ?? '', aliases: aliases ?? [], settings }));
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
      const a = await wrapNet(() =>
        attach(this.net, rec, {
          containerId: c.id,
          netns: netnsPath,
          ifname: `eth${n}`,
          ...(opts.ip ? { fixedIp: opts.ip } : {}),
          ...(opts.mac ? { mac: opts.mac } : {}),
          takenIps: this.takenIps(row.id, c.id),
          aliases: opts.aliases ?? [],
          revise: this.reviser(row.id),
        }),
      );
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
    // dockerd: a plain error (500) with or without force; its wording differs when not running
    if (!ep) {
      const running = c.state === 'running' || c.state === 'paused';
      throw runtimeError(`container ${c.id} is not connected to ${running ? 'network' : 'the network'} ${row.name}`);
    }
    const { detach } = await net();
    const undo = ep.attachment ? () => wrapNet(() => detach(this.net, recordOf(row), ep.attachment!)) : () => this.detachUnrecorded(c, row.id, ep.fixedIp);
    // force (docker's): the endpoint is dropped even when undoing its host side fails
    await undo().catch((e: unknown) => {
      if (!opts.force) throw e;
    });
    this.db.tx(() => {
      this.rows.removeEndpoint(c.id, row.id);
      recordEvent(this.db, { type: 'network', action: 'disconnect', id: row.id, attributes: { container: c.id, name: row.name, type: row.driver } });
    });
    await this.syncHosts();
  }
}
