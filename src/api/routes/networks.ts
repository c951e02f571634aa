/** docker's network routes: list, create, inspect, delete, connect, disconnect, prune. */
import type { IpamConfig, NetworkSummary } from '../../engine/api.js';
import { networkDoc } from '../../cli/network-doc.js';
import { ApiError } from '../errors.js';
import { endpointRequestOf } from '../endpoint-config.js';
import { filtersParam, readJson } from '../body.js';
import { boolFilter, labelsMatch, objectBody, parseFilters, strMap } from '../image-wire.js';
import { sendJson } from '../reply.js';
import type { Route, RouteContext } from '../route.js';

const BUILTIN = ['bridge', 'host', 'none'];

/**
 * docker's network document. The engine records the bridge device it chose (br-<id>) among the
 * options; dockerd shows that option only when the user set it, and compose compares Options
 * with its file (a difference means "needs to be recreated"), so the default one is left out.
 */
function doc(n: NetworkSummary): Record<string, unknown> {
  const d = networkDoc(n);
  const opts = { ...n.options };
  if (opts['com.docker.network.bridge.name'] === `br-${n.id.slice(0, 12)}`) delete opts['com.docker.network.bridge.name'];
  return { ...d, Options: opts };
}

async function list({ engine, query, res }: RouteContext): Promise<void> {
  const f = parseFilters(query, ['dangling', 'driver', 'id', 'label', 'label!', 'name', 'scope', 'type']);
  for (const t of f.type ?? []) if (t !== 'custom' && t !== 'builtin') throw new ApiError(400, `invalid filter: 'type'='${t}'`);
  const dangling = boolFilter(f, 'dangling');
  const engineFilters = Object.fromEntries(Object.entries(f).filter(([k]) => ['driver', 'id', 'name', 'type'].includes(k)));
  let rows = await engine.networks.list({ filters: engineFilters });
  rows = rows.filter((n) => labelsMatch(n.labels, f));
  if (f.scope?.length) rows = rows.filter((n) => f.scope!.includes(n.scope));
  if (dangling !== undefined) rows = rows.filter((n) => (!BUILTIN.includes(n.name) && n.containers.length === 0) === dangling);
  // docker's list leaves Containers empty: inspect says who is attached
  sendJson(
    res,
    200,
    rows.map((n) => ({ ...doc(n), Containers: {} })),
  );
}

function ipamOf(body: Record<string, unknown>): IpamConfig[] {
  const ipam = objectBody(body.IPAM);
  if (ipam.Driver !== undefined && ipam.Driver !== '' && ipam.Driver !== 'default')
    throw new ApiError(400, `IPAM driver ${String(ipam.Driver)} is not supported by berth (only "default")`);
  if (ipam.Config == null) return [];
  if (!Array.isArray(ipam.Config)) throw new ApiError(400, 'IPAM.Config: expected a list');
  return ipam.Config.map((c, i) => {
    const o = objectBody(c);
    const s = (k: string) => {
      const v = o[k];
      if (v !== undefined && v !== null && typeof v !== 'string') throw new ApiError(400, `IPAM.Config[${i}].${k}: expected a string`);
      return v ? v : undefined;
    };
    const subnet = s('Subnet');
    if (!subnet) throw new ApiError(400, `IPAM.Config[${i}]: a subnet is required`);
    const ipRange = s('IPRange');
    const gateway = s('Gateway');
    return { subnet, ...(ipRange ? { ipRange } : {}), ...(gateway ? { gateway } : {}) };
  });
}

async function create({ engine, req, res }: RouteContext): Promise<void> {
  const body = objectBody(await readJson(req));
  const name = body.Name;
  if (typeof name !== 'string' || name === '') throw new ApiError(400, 'network name is required');
  const driver = body.Driver === undefined || body.Driver === '' ? 'bridge' : body.Driver;
  if (driver !== 'bridge' && driver !== 'macvlan') throw new ApiError(404, `plugin "${String(driver)}" not found`);
  if (body.EnableIPv6 === true) throw new ApiError(400, 'berth does not support IPv6 networks');
  const ipam = ipamOf(body);
  // IPAM.Options as sent: dockerd shows null when none were
  const ipamOpts = objectBody(body.IPAM).Options;
  const ipamOptions = ipamOpts == null ? null : strMap(ipamOpts, 'IPAM.Options');
  // CheckDuplicate: false lets dockerd make a second network of the same name (with a warning);
  // berth's network names are unique, so a duplicate is always docker's 409
  const n = await engine.networks.create({
    name,
    driver,
    ipam,
    ipamOptions,
    internal: body.Internal === true,
    options: strMap(body.Options, 'Options'),
    labels: strMap(body.Labels, 'Labels'),
  });
  sendJson(res, 201, { Id: n.id, Warning: '' });
}

async function inspect({ engine, params, res }: RouteContext): Promise<void> {
  sendJson(res, 200, doc(await engine.networks.inspect(params.id!)));
}

async function remove({ engine, params, res }: RouteContext): Promise<void> {
  await engine.networks.remove(params.id!);
  res.writeHead(204).end();
}

async function connect({ engine, params, req, res }: RouteContext): Promise<void> {
  const body = objectBody(await readJson(req));
  if (typeof body.Container !== 'string' || body.Container === '') throw new ApiError(400, 'container is required');
  await engine.networks.connect(params.id!, body.Container, endpointRequestOf(body.EndpointConfig, 'EndpointConfig'));
  res.writeHead(200).end();
}

async function disconnect({ engine, params, req, res }: RouteContext): Promise<void> {
  const body = objectBody(await readJson(req));
  if (typeof body.Container !== 'string' || body.Container === '') throw new ApiError(400, 'container is required');
  await engine.networks.disconnect(params.id!, body.Container, { force: body.Force === true });
  res.writeHead(200).end();
}

/** The engine's prune, docker's filters (until, label, label!) checked by the engine. */
async function prune({ engine, query, res }: RouteContext): Promise<void> {
  sendJson(res, 200, { NetworksDeleted: await engine.networks.prune({ filters: filtersParam(query) }) });
}

export const routes: Route[] = [
  { method: 'GET', path: '/networks', handle: list },
  { method: 'GET', path: '/networks/json', handle: list },
  { method: 'POST', path: '/networks/create', handle: create },
  { method: 'POST', path: '/networks/prune', handle: prune },
  // docker's names may carry slashes (any non-blank name): dockerd's routes take `{id:.+}` too
  { method: 'GET', path: '/networks/{id*}', handle: inspect },
  { method: 'DELETE', path: '/networks/{id*}', handle: remove },
  { method: 'POST', path: '/networks/{id*}/connect', handle: connect },
  { method: 'POST', path: '/networks/{id*}/disconnect', handle: disconnect },
];
