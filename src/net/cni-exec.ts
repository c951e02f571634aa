/** Executes one CNI plugin (spec 1.0.0 protocol: env + stdin config, stdout result/error). */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { PluginConf } from './cni-config.js';
import { type CniResult, cniErrorMessage, parseCniResult } from './cni-result.js';
import { netRuntime } from './errors.js';
import { run } from './exec.js';

export interface PluginCall {
  command: 'ADD' | 'DEL';
  containerId: string;
  netns: string;
  ifname: string;
  /** CNI_ARGS pairs, e.g. { IP: '10.0.0.5' }; IgnoreUnknown=1 is always added. */
  args?: Record<string, string>;
  name: string;
  cniVersion: string;
  /** Every capability value the runtime has; each plugin gets only those it declares. */
  capabilityArgs?: Record<string, unknown>;
  prevResult?: unknown;
}

export function findPlugin(cniPath: string[], type: string): string {
  if (!/^[a-zA-Z0-9_-]+$/.test(type)) throw netRuntime(`invalid CNI plugin type ${type}`);
  for (const d of cniPath) {
    const p = join(d, type);
    if (existsSync(p)) return p;
  }
  throw netRuntime(`CNI plugin ${type} not found in ${cniPath.join(':')}`);
}

export function pluginStdin(conf: PluginConf, call: PluginCall): string {
  const { capabilities, ...rest } = conf;
  const runtimeConfig: Record<string, unknown> = {};
  for (const [cap, on] of Object.entries(capabilities ?? {})) {
    if (on && call.capabilityArgs && cap in call.capabilityArgs) runtimeConfig[cap] = call.capabilityArgs[cap];
  }
  const stdin: Record<string, unknown> = { ...rest, cniVersion: call.cniVersion, name: call.name };
  if (Object.keys(runtimeConfig).length) stdin.runtimeConfig = runtimeConfig;
  if (call.prevResult !== undefined) stdin.prevResult = call.prevResult;
  return JSON.stringify(stdin);
}

export async function execPlugin(cniPath: string[], conf: PluginConf, call: PluginCall): Promise<CniResult | undefined> {
  const bin = findPlugin(cniPath, conf.type);
  const args = ['IgnoreUnknown=1', ...Object.entries(call.args ?? {}).map(([k, v]) => `${k}=${v}`)].join(';');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin',
    CNI_COMMAND: call.command,
    CNI_CONTAINERID: call.containerId,
    CNI_NETNS: call.netns,
    CNI_IFNAME: call.ifname,
    CNI_PATH: cniPath.join(':'),
    CNI_ARGS: args,
  };
  const r = await run(bin, [], { input: pluginStdin(conf, call), env, allowFail: true });
  if (r.code !== 0) throw netRuntime(cniErrorMessage(conf.type, call.command, r.stdout, r.stderr, r.code));
  if (call.command === 'DEL') return undefined;
  return parseCniResult(conf.type, r.stdout);
}
