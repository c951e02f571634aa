/**
 * berth's networking library: the engine's only entry point into src/net. Plain data in and
 * out (NetworkRecord and Attachment are what the engine persists); no SQLite here. Failures are
 * NetError (kind = the engine's ErrorKind words): wrap as `new EngineError(e.kind, e.message, { cause: e })`.
 *
 * How the engine calls it (paths = netPaths(runroot)):
 *  - network create: planNetwork(opts, { existing, hostRoutes: await hostRoutes() }) -> persist
 *    the record. Nothing is made on the host until the first attach. The default `bridge`
 *    network: planNetwork({ name: 'bridge' }, { ..., isDefault: true }) once per root.
 *  - run/start: mode = parseNetworkMode(opts.network); checkModeOptions(mode, ...);
 *    ports = await resolvePorts([...specs.flatMap(parsePortSpec), ...(publishAll ?
 *    publishAllRequests(exposed, reqs) : [])], portsOfOtherRunningContainers);
 *    bridge/network: sb = await setupSandbox(paths, id, [{ network, fixedIp, aliases, takenIps }], ports)
 *    none: netns = await createNetns(paths, id); host: nothing; container:X: X's netns path.
 *    Persist sb.attachments (one endpoint row each); put sb.netnsPath in config.json's network
 *    namespace. Then write hosts (syncHostsFiles), resolv.conf (renderResolvConf), hostname.
 *  - connect (running): a = await attach(paths, net, { containerId, netns, fixedIp, takenIps,
 *    aliases }) -> persist; syncHostsFiles. (Stopped: just persist the wish; attach at start.)
 *  - disconnect (running): await detach(paths, net, storedAttachment); drop the row; syncHostsFiles.
 *  - stop (and a failed start): await teardownSandbox(paths, id, rows); syncHostsFiles.
 *  - rm: as stop if still set up; the hosts/resolv/hostname files go with the container dir.
 *  - network rm: refuse while endpoints exist; await removeNetworkHost(paths, net); drop the row.
 *  - system prune / start-up: leftoverNetns(paths, liveIds) -> removeOrphanNetns(paths, key);
 *    containers known but not running: cleanupContainer(paths, id, [{ network, attachment }]).
 */
export { NetError, type NetErrorKind } from './errors.js';
export type { Attachment, NetworkRecord, PortBinding } from './types.js';
export { type NetPaths, netPaths, DEFAULT_CNI_PATH, DEFAULT_LOCK_FILE } from './paths.js';

// addresses, IPAM, subnet choice
export { parseIp, formatIp, parseCidr, formatCidr, overlaps, contains, type Cidr } from './ipv4.js';
export { validateIpam, checkOverlap, validateFixedIp, type IpamInput, type IpamPlan } from './ipam.js';
export { chooseSubnet, defaultPoolCandidates } from './subnet-pool.js';
export { hostRoutes, parseIpRouteJson, parseProcNetRoute } from './routes.js';

// networks
export { planNetwork, type PlanNetworkInput, type PlanContext, DEFAULT_BRIDGE_DEVICE, OPT_BRIDGE_NAME, OPT_MTU, OPT_MASQ } from './network.js';
export { buildConfList, cniName, type ConfList, type ConfListOptions } from './cni-config.js';
export { networkRules, ensureNetworkRules } from './netrules.js';

// namespaces, attach/detach
export { createNetns, deleteNetns, deleteNetnsPath, netnsPath, listNetns, inNetns } from './netns.js';
export { attach, detach, type AttachOptions } from './attach.js';

// ports
export { parsePortSpec, parseExposed, publishAllRequests, resolvePorts, canBind, type PortRequest } from './ports.js';

// name resolution and container files
export {
  renderHosts,
  syncHostsFiles,
  writeInPlace,
  parseExtraHost,
  renderHostname,
  type ResolverContainer,
  type ResolverEndpoint,
  type HostEntry,
} from './hosts.js';
export { renderResolvConf, readHostResolvConf, FALLBACK_NAMESERVERS, type ResolvOptions } from './resolv.js';

// cleanup
export { removeNetworkHost, cleanupContainer, leftoverNetns, removeOrphanNetns } from './cleanup.js';
export { removeSharedChainsIfUnused } from './iptables.js';

// one-step sandbox for run/start/stop, and --network modes
export { setupSandbox, teardownSandbox, parseNetworkMode, checkModeOptions, type NetworkMode, type Sandbox, type SandboxNetwork } from './sandbox.js';
