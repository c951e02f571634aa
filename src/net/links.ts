/**
 * Host interfaces as this process's network namespace sees them. /sys/class/net answers for
 * the namespace sysfs was mounted in, which is another one when berth runs under
 * `nsenter --net` (a CI job, a service started inside a netns): there a bridge that exists
 * looked missing, and one of another namespace looked present. Netlink (`ip`) answers for ours.
 */
import { existsSync } from 'node:fs';
import { run } from './exec.js';

/** The device's kind ('bridge', 'veth', 'dummy', '' for a plain device), or undefined when missing. */
export async function linkKind(dev: string): Promise<string | undefined> {
  const r = await run('ip', ['-j', '-d', 'link', 'show', 'dev', dev], { allowFail: true });
  if (r.code !== 0) return undefined;
  const rows: unknown = JSON.parse(r.stdout || '[]');
  if (!Array.isArray(rows) || rows.length === 0) return undefined;
  const info = (rows[0] as { linkinfo?: { info_kind?: unknown } }).linkinfo;
  return typeof info?.info_kind === 'string' ? info.info_kind : '';
}

/**
 * Whether the device exists here. sysfs first (no process to spawn on every container start):
 * its "yes" can only be wrong for a same-named device of sysfs's namespace, and then the CNI
 * bridge plugin makes the bridge here with the address planned for it.
 */
export async function linkExists(dev: string): Promise<boolean> {
  return existsSync(`/sys/class/net/${dev}`) || (await linkKind(dev)) !== undefined;
}
