/**
 * CNI plugin output, validated once at the boundary (CNI spec 1.0.0 result and error shapes).
 */
import { netRuntime } from './errors.js';

export interface CniInterface {
  name: string;
  mac?: string;
  sandbox?: string;
}
export interface CniIp {
  address: string;
  gateway?: string;
  interface?: number;
}
export interface CniResult {
  cniVersion: string;
  interfaces: CniInterface[];
  ips: CniIp[];
  routes: { dst: string; gw?: string }[];
  dns: Record<string, unknown>;
}

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const str = (x: unknown): x is string => typeof x === 'string';

export function parseCniResult(plugin: string, text: string): CniResult {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw netRuntime(`CNI plugin ${plugin}: result is not JSON: ${text.slice(0, 200)}`);
  }
  if (!isObj(v) || !str(v.cniVersion)) throw netRuntime(`CNI plugin ${plugin}: malformed result (no cniVersion)`);
  const ifs = v.interfaces ?? [];
  const ips = v.ips ?? [];
  const routes = v.routes ?? [];
  if (!Array.isArray(ifs) || !ifs.every((i) => isObj(i) && str(i.name) && (i.mac === undefined || str(i.mac)) && (i.sandbox === undefined || str(i.sandbox)))) {
    throw netRuntime(`CNI plugin ${plugin}: malformed result (interfaces)`);
  }
  if (
    !Array.isArray(ips) ||
    !ips.every(
      (i) => isObj(i) && str(i.address) && (i.gateway === undefined || str(i.gateway)) && (i.interface === undefined || typeof i.interface === 'number'),
    )
  ) {
    throw netRuntime(`CNI plugin ${plugin}: malformed result (ips)`);
  }
  if (!Array.isArray(routes) || !routes.every((r) => isObj(r) && str(r.dst))) throw netRuntime(`CNI plugin ${plugin}: malformed result (routes)`);
  return {
    cniVersion: v.cniVersion,
    interfaces: ifs as CniInterface[],
    ips: ips as CniIp[],
    routes: routes as CniResult['routes'],
    dns: isObj(v.dns) ? v.dns : {},
  };
}

/** A failed plugin's message: the CNI error object when it printed one, else its stderr. */
export function cniErrorMessage(plugin: string, command: string, stdout: string, stderr: string, code: number): string {
  try {
    const e: unknown = JSON.parse(stdout);
    if (isObj(e) && typeof e.code === 'number' && str(e.msg)) {
      const details = str(e.details) && e.details ? `: ${e.details}` : '';
      return `CNI plugin ${plugin} ${command} failed (code ${e.code}): ${e.msg}${details}`;
    }
  } catch {
    // not JSON: fall through
  }
  return `CNI plugin ${plugin} ${command} failed (exit ${code}): ${(stderr || stdout).trim() || 'no output'}`;
}
