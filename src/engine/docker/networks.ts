/** NetworkApi over the Docker API. */
import type { EndpointRequest, NetworkApi, NetworkCreateOptions, NetworkSummary, PruneFilters } from '../api.js';
import type { DockerClient } from './client.js';
import { endpointsByNetwork, networkSummary } from './map.js';
import { arr, optObj, str, strs } from './wire.js';

const enc = encodeURIComponent;

export class DockerNetworks implements NetworkApi {
  constructor(private readonly c: DockerClient) {}

  async create(o: NetworkCreateOptions): Promise<NetworkSummary> {
    const r = optObj(
      await this.c.json('POST', '/networks/create', {
        body: {
          Name: o.name,
          Driver: o.driver ?? 'bridge',
          Internal: o.internal ?? false,
          CheckDuplicate: true,
          IPAM: {
            Driver: 'default',
            ...(o.ipamOptions ? { Options: o.ipamOptions } : {}),
            Config: (o.ipam ?? []).map((i) => ({
              Subnet: i.subnet,
              ...(i.ipRange ? { IPRange: i.ipRange } : {}),
              ...(i.gateway ? { Gateway: i.gateway } : {}),
            })),
          },
          Options: o.options ?? {},
          Labels: o.labels ?? {},
        },
      }),
    );
    return this.inspect(str(r.Id));
  }

  async list(opts: { filters?: Record<string, string[]> } = {}): Promise<NetworkSummary[]> {
    // The list's Containers are empty: the container list says who is attached, in one request.
    const [nets, containers] = await Promise.all([
      this.c.json('GET', '/networks', { query: { filters: opts.filters ? JSON.stringify(opts.filters) : undefined } }),
      this.c.json('GET', '/containers/json', { query: { all: true } }),
    ]);
    const eps = endpointsByNetwork(arr(containers));
    return arr(nets).map((n) => networkSummary(n, eps.get(str(optObj(n).Id))));
  }

  async inspect(idOrName: string): Promise<NetworkSummary> {
    return networkSummary(await this.c.json('GET', `/networks/${enc(idOrName)}`));
  }

  async remove(idOrName: string): Promise<void> {
    await this.c.json('DELETE', `/networks/${enc(idOrName)}`);
  }

  async prune(opts: { filters?: PruneFilters } = {}): Promise<string[]> {
    const filters = opts.filters && Object.keys(opts.filters).length ? JSON.stringify(opts.filters) : undefined;
    return strs(optObj(await this.c.json('POST', '/networks/prune', { query: { filters } })).NetworksDeleted);
  }

  async connect(network: string, container: string, opts: EndpointRequest = {}): Promise<void> {
    await this.c.json('POST', `/networks/${enc(network)}/connect`, { body: { Container: container, EndpointConfig: endpointConfigDoc(opts) } });
  }

  async disconnect(network: string, container: string, opts: { force?: boolean } = {}): Promise<void> {
    await this.c.json('POST', `/networks/${enc(network)}/disconnect`, { body: { Container: container, Force: opts.force ?? false } });
  }
}

/** An EndpointRequest as docker's EndpointSettings (create's EndpointsConfig entry, connect's body). */
export function endpointConfigDoc(r: EndpointRequest): Record<string, unknown> {
  const ipam = r.ipamConfig || r.ip || r.linkLocalIps?.length;
  return {
    ...(ipam ? { IPAMConfig: { ...(r.ip ? { IPv4Address: r.ip } : {}), ...(r.linkLocalIps?.length ? { LinkLocalIPs: r.linkLocalIps } : {}) } } : {}),
    ...(r.aliases?.length ? { Aliases: r.aliases } : {}),
    ...(r.links ? { Links: r.links } : {}),
    ...(r.driverOpts ? { DriverOpts: r.driverOpts } : {}),
    ...(r.mac ? { MacAddress: r.mac } : {}),
  };
}
