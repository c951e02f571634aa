/**
 * A container's network sandbox as one step for the engine: the netns plus its attachments,
 * made and unmade together (a failure half-way undoes what was done). Also the `--network`
 * mode syntax and docker's rules about which options each mode accepts.
 */
import { type AttachOptions, attach, detach } from './attach.js';
import { withHostLock } from './cni-lock.js';
import { invalidArg } from './errors.js';
import { createNetns, deleteNetns } from './netns.js';
import type { NetPaths } from './paths.js';
import type { Attachment, NetworkRecord, PortBinding } from './types.js';

export type NetworkMode =
  | { kind: 'bridge' } // the default network
  | { kind: 'host' }
  | { kind: 'none' }
  | { kind: 'container'; ref: string }
  | { kind: 'network'; name: string };

export function parseNetworkMode(s: string | undefined): NetworkMode {
  if (!s || s === 'default' || s === 'bridge') return { kind: 'bridge' };
  if (s === 'host') return { kind: 'host' };
  if (s === 'none') return { kind: 'none' };
  if (s.startsWith('container:')) {
    const ref = s.slice('container:'.length);
    if (!ref) throw invalidArg('invalid container format container:<name|id>');
    return { kind: 'container', ref };
  }
  return { kind: 'network', name: s };
}

/**
 * docker's checks of options against the mode. Returns warnings (docker prints them and goes
 * on); throws for conflicts.
 */
export function checkModeOptions(
  mode: NetworkMode,
  o: { ports?: number; publishAll?: boolean; aliases?: number; ip?: string; dns?: number; extraHosts?: number; hostname?: boolean },
): string[] {
  const warnings: string[] = [];
  const published = (o.ports ?? 0) > 0 || o.publishAll === true;
  if (mode.kind === 'container') {
    if (published) throw invalidArg('conflicting options: port publishing and the container type network mode');
    if (o.hostname) throw invalidArg('conflicting options: hostname and the network mode');
    if (o.dns) throw invalidArg('conflicting options: dns and the network mode');
    if (o.extraHosts) throw invalidArg('conflicting options: custom host-to-IP mapping and the network mode');
  }
  if (mode.kind === 'host' && published) warnings.push('Published ports are discarded when using host network mode');
  if ((o.aliases ?? 0) > 0 && mode.kind !== 'network') throw invalidArg('network-scoped aliases are only supported for user-defined networks');
  if (o.ip && mode.kind !== 'network') throw invalidArg('user specified IP address is supported on user defined networks only');
  return warnings;
}

export interface SandboxNetwork {
  network: NetworkRecord;
  fixedIp?: string;
  mac?: string;
  aliases?: string[];
  /** Addresses other endpoints hold on this network (for the fixed IP check). */
  takenIps?: string[];
  /** attach.ts AttachOptions.revise. */
  revise?: AttachOptions['revise'];
}

export interface Sandbox {
  netnsPath: string;
  /** Same order as the networks given: eth0, eth1, ... */
  attachments: Attachment[];
}

/**
 * `run`/`start` for bridge, user-network and none modes: a new netns (lo up), attached to each
 * network in order. Published ports go to the first network that can publish (docker publishes
 * through the container's first network too). Nothing is left behind on failure.
 */
export async function setupSandbox(paths: NetPaths, containerId: string, nets: SandboxNetwork[], ports: PortBinding[] = []): Promise<Sandbox> {
  const netnsPath = await createNetns(paths, containerId);
  const done: { network: NetworkRecord; attachment: Attachment }[] = [];
  const publishVia = nets.find((n) => n.network.driver === 'bridge' && !n.network.internal);
  try {
    for (const n of nets) {
      const a = await attach(paths, n.network, {
        containerId,
        netns: netnsPath,
        ifname: `eth${done.length}`,
        ...(n.fixedIp ? { fixedIp: n.fixedIp } : {}),
        ...(n.mac ? { mac: n.mac } : {}),
        ...(n.takenIps ? { takenIps: n.takenIps } : {}),
        ...(n.revise ? { revise: n.revise } : {}),
        aliases: n.aliases ?? [],
        ports: n === publishVia ? ports : [],
      });
      done.push({ network: n.network, attachment: a });
    }
  } catch (e) {
    await teardownSandbox(paths, containerId, done).catch(() => {});
    throw e;
  }
  return { netnsPath, attachments: done.map((d) => d.attachment) };
}

/**
 * `stop`/`rm` (and the end of a failed `run`): detach everything in reverse, then delete the
 * netns. Every step is tried; the first error is thrown at the end.
 */
export async function teardownSandbox(paths: NetPaths, containerId: string, items: { network: NetworkRecord; attachment: Attachment }[]): Promise<void> {
  let first: unknown;
  for (const it of [...items].reverse()) {
    try {
      await detach(paths, it.network, it.attachment);
    } catch (e) {
      first ??= e;
    }
  }
  try {
    // under the CNI lock, so that no DEL of another teardown sees it half-removed
    await withHostLock(paths.lockFile, () => deleteNetns(paths, containerId));
  } catch (e) {
    first ??= e;
  }
  if (first) throw first;
}
