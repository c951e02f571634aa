/**
 * Shared by the network CLI tests: host-side probes (links, bridge ports, iptables, netns) and
 * the leftover check every network test file runs after its sandbox is disposed. Everything is
 * scoped to names and ids the test itself made: other berth roots may be running beside us.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { Sandbox } from '../helpers/berth.js';
import { busyboxTarball } from '../fixtures/busybox.js';

export const sh = (cmd: string, args: string[]): string => execFileSync(cmd, args, { encoding: 'utf8' });

/** Interface names on the host. */
export function hostLinks(): string[] {
  return sh('ip', ['-o', 'link'])
    .split('\n')
    .filter(Boolean)
    .map((l) => (l.split(': ')[1] ?? '').split('@')[0]!);
}

export function linkExists(name: string): boolean {
  return existsSync(`/sys/class/net/${name}`);
}

/** Host-side veths plugged into a bridge. */
export function bridgePorts(bridge: string): string[] {
  if (!linkExists(bridge)) return [];
  return sh('ip', ['-o', 'link', 'show', 'master', bridge])
    .split('\n')
    .filter(Boolean)
    .map((l) => (l.split(': ')[1] ?? '').split('@')[0]!);
}

export function iptablesSave(): string {
  return sh('iptables-save', []);
}

/** A port no one on the host listens on now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen({ host: '0.0.0.0', port: 0 }, () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

export function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen({ host: '0.0.0.0', port }, () => s.close(() => resolve(true)));
  });
}

/** GET http://127.0.0.1:port/, retried while the server starts. */
export async function httpGet(port: number, tries = 40): Promise<string> {
  let last: unknown;
  for (let i = 0; i < tries; i++) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(1000) });
      return await r.text();
    } catch (e) {
      last = e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`no answer on 127.0.0.1:${port}: ${String(last)}`);
}

/** A short unique device name (Linux allows 15 characters). */
export const devName = (prefix: string) => `${prefix}${randomBytes(4).toString('hex')}`.slice(0, 15);

/** What a test made on the host, checked for leftovers after dispose. */
export class Made {
  bridges = new Set<string>();
  veths = new Set<string>();
  networkIds = new Set<string>();
  containerIds = new Set<string>();
  constructor(readonly sb: Sandbox) {
    this.bridges.add(sb.bridge);
  }
  /** Remembers the veths now on our bridges (call while containers run). */
  noteVeths(): void {
    for (const b of this.bridges) for (const v of bridgePorts(b)) this.veths.add(v);
  }
  network(id: string, bridge?: string): string {
    this.networkIds.add(id.trim());
    if (bridge) this.bridges.add(bridge);
    return id.trim();
  }
  container(id: string): string {
    this.containerIds.add(id.trim());
    return id.trim();
  }
  /** After sb.dispose(): no bridge, veth, netns or iptables rule of ours remains. */
  assertClean(): void {
    const links = new Set(hostLinks());
    for (const b of this.bridges) assert.ok(!links.has(b), `bridge ${b} left behind`);
    for (const v of this.veths) assert.ok(!links.has(v), `veth ${v} left behind`);
    const netns = join(this.sb.runRoot, 'netns');
    assert.deepEqual(existsSync(netns) ? readdirSync(netns) : [], [], 'netns left behind');
    const rules = iptablesSave().split('\n');
    for (const b of this.bridges)
      assert.deepEqual(
        rules.filter((l) => new RegExp(`[ !] ?-[io] ${b}( |$)`).test(l)),
        [],
        `iptables rules of ${b} left behind`,
      );
    for (const id of this.networkIds)
      assert.deepEqual(
        rules.filter((l) => l.includes(`berth-${id.slice(0, 12)}`)),
        [],
        `iptables rules of network ${id} left behind`,
      );
    for (const id of this.containerIds)
      assert.deepEqual(
        rules.filter((l) => l.includes(id.slice(0, 12))),
        [],
        `iptables rules of container ${id} left behind`,
      );
  }
}

/** `berth exec` output lines. */
export function inside(sb: Sandbox, ctr: string, cmd: string): string {
  return sb.ok(['exec', ctr, 'sh', '-c', cmd]);
}

/** Interface names in a container (`ip -o link`). */
export function ifaces(sb: Sandbox, ctr: string): string[] {
  return inside(sb, ctr, 'ip -o link')
    .split('\n')
    .filter(Boolean)
    .map((l) => (l.split(': ')[1] ?? '').split('@')[0]!)
    .sort();
}

/** IPv4 address of an interface in a container, '' when none. */
export function addrOf(sb: Sandbox, ctr: string, ifname: string): string {
  const r = sb.run(['exec', ctr, 'ip', '-o', '-4', 'addr', 'show', ifname]);
  return /inet ([0-9.]+\/\d+)/.exec(r.stdout)?.[1] ?? '';
}

export function inspectJson(sb: Sandbox, args: string[]): any {
  return JSON.parse(sb.ok(['inspect', ...args]))[0];
}

/** Addresses a name resolves to in a container, from its /etc/hosts (busybox reads it the same way). */
export function hostsLookup(sb: Sandbox, ctr: string, name: string): string[] {
  return inside(sb, ctr, 'cat /etc/hosts')
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => f.slice(1).includes(name))
    .map((f) => f[0]!)
    .sort();
}

/**
 * The set-up every network test file shares: a sandbox with busybox imported before its tests,
 * and after them the sandbox disposed and the host checked for anything the file made.
 * `afterDispose` runs in between (e.g. removing a device the file made outside berth). A file's
 * own `before` hooks, registered after this call, run after the import.
 */
export function networkSandbox(name: string, o: { afterDispose?: () => void } = {}): { sb: Sandbox; made: Made } {
  const sb = new Sandbox(name);
  const made = new Made(sb);
  before(() => {
    sb.ok(['import', busyboxTarball(), 'busybox']);
  });
  after(() => {
    try {
      made.noteVeths();
      sb.dispose();
      o.afterDispose?.();
    } finally {
      made.assertClean();
    }
  });
  return { sb, made };
}
