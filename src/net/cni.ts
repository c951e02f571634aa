/**
 * Runs a CNI network configuration list: ADD in order (each plugin gets the previous result),
 * DEL in reverse with the stored final result. A failed ADD is undone (DEL of the whole list)
 * so nothing leaks. Callers hold the host lock (cni-lock.ts).
 */
import type { ConfList } from './cni-config.js';
import { execPlugin } from './cni-exec.js';
import type { CniResult } from './cni-result.js';
import { netRuntime } from './errors.js';

export interface ListCall {
  containerId: string;
  netns: string;
  ifname: string;
  args?: Record<string, string>;
  capabilityArgs?: Record<string, unknown>;
}

export async function addList(cniPath: string[], list: ConfList, call: ListCall): Promise<CniResult> {
  let prev: CniResult | undefined;
  for (const plugin of list.plugins) {
    try {
      prev = await execPlugin(cniPath, plugin, { ...call, command: 'ADD', name: list.name, cniVersion: list.cniVersion, prevResult: prev });
    } catch (e) {
      // The failing plugin may have done half its work: DEL everything, it is idempotent.
      await delList(cniPath, list, call, prev).catch(() => {});
      throw e;
    }
  }
  if (!prev) throw netRuntime(`CNI network ${list.name} has no plugins`);
  return prev;
}

/** Reverse order; every plugin is tried, the first error is reported after all ran. */
export async function delList(cniPath: string[], list: ConfList, call: ListCall, prevResult: unknown): Promise<void> {
  let first: unknown;
  for (const plugin of [...list.plugins].reverse()) {
    try {
      await execPlugin(cniPath, plugin, { ...call, command: 'DEL', name: list.name, cniVersion: list.cniVersion, prevResult });
    } catch (e) {
      first ??= e;
    }
  }
  if (first) throw first;
}
