/**
 * docker's EndpointSettings as a request: create's NetworkingConfig.EndpointsConfig.<net> and
 * connect's EndpointConfig. Validated here; what was sent is kept so inspect can echo it.
 */
import type { EndpointRequest } from '../engine/api.js';
import { checkEndpointRequest } from '../engine/index.js';
import { ApiError } from './errors.js';

type Json = Record<string, unknown>;
const bad = (msg: string) => new ApiError(400, msg);
const absent = (v: unknown) => v === undefined || v === null;

function obj(v: unknown, where: string): Json | undefined {
  if (absent(v)) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) throw bad(`${where}: expected an object`);
  return v as Json;
}

function str(v: unknown, where: string): string {
  if (absent(v)) return '';
  if (typeof v !== 'string') throw bad(`${where}: expected a string`);
  return v;
}

function strs(v: unknown, where: string): string[] | undefined {
  if (absent(v)) return undefined;
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw bad(`${where}: expected a list of strings`);
  return v as string[];
}

export function endpointRequestOf(v: unknown, where: string): EndpointRequest {
  const ep = obj(v, where) ?? {};
  const out: EndpointRequest = {};
  const ipam = obj(ep.IPAMConfig, `${where}.IPAMConfig`);
  if (ipam) {
    out.ipamConfig = true;
    const ip = str(ipam.IPv4Address, `${where}.IPAMConfig.IPv4Address`);
    if (ip) out.ip = ip;
    if (str(ipam.IPv6Address, `${where}.IPAMConfig.IPv6Address`)) throw bad('berth does not support IPv6 networks');
    const lli = strs(ipam.LinkLocalIPs, `${where}.IPAMConfig.LinkLocalIPs`);
    if (lli?.length) out.linkLocalIps = lli;
  }
  const aliases = strs(ep.Aliases, `${where}.Aliases`);
  if (aliases?.length) out.aliases = aliases;
  const links = strs(ep.Links, `${where}.Links`);
  if (links) out.links = links;
  const opts = obj(ep.DriverOpts, `${where}.DriverOpts`);
  if (opts) {
    out.driverOpts = {};
    for (const [k, x] of Object.entries(opts)) out.driverOpts[k] = str(x, `${where}.DriverOpts.${k}`);
  }
  const mac = str(ep.MacAddress, `${where}.MacAddress`);
  if (mac) out.mac = mac;
  checkEndpointRequest(out);
  return out;
}
