/** Checks of a requested endpoint's values (create's EndpointsConfig, connect's EndpointConfig). */
import { isIP } from 'node:net';
import type { EndpointRequest } from '../api.js';
import { invalid } from '../errors.js';

const MAC_RE = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i;

/** docker's checks of a request's values (the API and the CLI both come through here). */
export function checkEndpointRequest(r: EndpointRequest): void {
  // an interface needs a unicast address: the kernel refuses a multicast one mid-ADD
  if (r.mac && (!MAC_RE.test(r.mac) || (parseInt(r.mac.slice(0, 2), 16) & 1) === 1)) throw invalid(`invalid MAC address: ${r.mac}`);
  for (const a of r.linkLocalIps ?? []) if (!isIP(a)) throw invalid(`invalid link-local IP address: ${a}`);
  // dockerd adds them to the interface; berth's CNI set-up does not yet: refused, not dropped
  if (r.linkLocalIps?.length) throw invalid('berth does not support link-local IP addresses on an endpoint (LinkLocalIPs, --link-local-ip)');
  for (const l of r.links ?? []) if (!/^[^:]+(:[^:]+)?$/.test(l)) throw invalid(`bad format for links: ${l}`);
}
