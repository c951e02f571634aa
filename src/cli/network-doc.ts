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
    // dockerd echoes the create's IPAM (Options null when none were sent; Config as given, else
    // what it allocated). Networks made before berth kept it: the old guess.
    IPAM: {
      Driver: 'default',
      Options: n.ipamRequest ? n.ipamRequest.options : n.driver === 'host' || n.driver === 'null' ? null : {},
      Config: (n.ipamRequest?.config.length ? n.ipamRequest.config : n.ipam).map((c) => ({
        Subnet: c.subnet,
        ...(c.ipRange ? { IPRange: c.ipRange } : {}),
        ...(c.gateway ? { Gateway: c.gateway } : {}),
      })),
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
