/** A network as docker's `network inspect` prints it. */
import type { NetworkSummary } from '../engine/api.js';

export function networkDoc(n: NetworkSummary): Record<string, unknown> {
  return {
    Name: n.name,
    Id: n.id,
    Created: n.created,
    Scope: n.scope,
    Driver: n.driver,
    EnableIPv6: false,
    // docker: no IPAM options (null) on host/none, an empty map on the networks it allocates.
    IPAM: {
      Driver: 'default',
      Options: n.driver === 'host' || n.driver === 'null' ? null : {},
      Config: n.ipam.map((c) => ({ Subnet: c.subnet, ...(c.ipRange ? { IPRange: c.ipRange } : {}), ...(c.gateway ? { Gateway: c.gateway } : {}) })),
    },
    Internal: n.internal,
    Attachable: false,
    Ingress: false,
    ConfigFrom: { Network: '' },
    ConfigOnly: false,
    Containers: Object.fromEntries(
      n.containers.map((c) => [
        c.containerId,
        { Name: c.name, EndpointID: c.endpointId ?? '', MacAddress: c.macAddress, IPv4Address: c.ipv4Address, IPv6Address: '' },
      ]),
    ),
    Options: n.options,
    Labels: n.labels,
  };
}
