/**
 * The embedded containers with create's other endpoint settings kept: create.ts records a
 * network endpoint's fixed IP and aliases only, so Links, LinkLocalIPs, DriverOpts and whether
 * IPAMConfig was sent are stored right after (inspect echoes them, as dockerd).
 */
import type { ContainerCreateOptions } from '../api.js';
import { EmbeddedContainers } from '../containers/container-api.js';
import type { EmbeddedNetworks } from './network-api.js';

export class NetworkedContainers extends EmbeddedContainers {
  constructor(
    ctx: ConstructorParameters<typeof EmbeddedContainers>[0],
    limitHost: ConstructorParameters<typeof EmbeddedContainers>[1],
    private readonly nets: EmbeddedNetworks,
  ) {
    super(ctx, limitHost, nets);
  }

  override async create(opts: ContainerCreateOptions): Promise<{ id: string; warnings: string[] }> {
    const r = await super.create(opts);
    if (opts.endpoint && Object.keys(opts.endpoint).length) this.nets.recordCreateSettings(r.id, opts.endpoint);
    return r;
  }
}
