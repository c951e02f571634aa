/**
 * A bridge network's own iptables rules, the ones docker has and CNI's plugins do not give us
 * cheaply:
 *  - masquerade: one `-s SUBNET ! -o BRIDGE -j MASQUERADE` per network (docker's rule) instead
 *    of the bridge plugin's chain per container (tens of ms of iptables on every ADD and DEL);
 *  - isolation: traffic from one berth bridge to another is dropped (two-stage chains as
 *    docker's DOCKER-ISOLATION-STAGE-1/2); an --internal network's traffic never leaves its bridge;
 *  - forwarding accepts (BERTH-FORWARD), so containers work on a host whose FORWARD policy is
 *    DROP (any host with Docker): replies, DNATed (published) connections in, anything out.
 *    Per network, as docker does, instead of CNI's firewall plugin's rules per container
 *    address (tens of ms per ADD/DEL, and untagged: debris a crash cannot be traced back from).
 * All are tagged `name: "<cni name>"`, so removeTagged (network rm) takes them away. They are
 * checked on an attach (one iptables-save per table) when the network's mark in the runroot
 * says they were not yet, and written only when missing. Callers hold the host CNI lock.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { run } from './exec.js';
import type { NetPaths } from './paths.js';
import { type Rule, type Table, deleteChain, deleteRule, jumpTarget, save } from './iptables.js';
import { cniName } from './cni-config.js';
import type { NetworkRecord } from './types.js';

export const ISO1 = 'BERTH-ISOLATION-1';
export const ISO2 = 'BERTH-ISOLATION-2';
export const FWD = 'BERTH-FORWARD';
const JUMP_COMMENT = 'berth network isolation';
const FWD_COMMENT = 'berth network forwarding';

interface WantedRule {
  table: Table;
  chain: string;
  args: string[];
}

/** The rules a bridge network needs, as iptables-save prints their arguments. */
export function networkRules(net: NetworkRecord): WantedRule[] {
  if (net.driver !== 'bridge') return [];
  const br = net.device;
  const tag = (what: string) => ['-m', 'comment', '--comment', `name: "${cniName(net)}" ${what}`];
  const rules: WantedRule[] = [
    { table: 'filter', chain: ISO1, args: ['-i', br, '!', '-o', br, ...tag('isolation'), '-j', ISO2] },
    { table: 'filter', chain: ISO2, args: ['-o', br, ...tag('isolation'), '-j', 'DROP'] },
  ];
  if (net.internal) {
    rules.push({ table: 'filter', chain: ISO1, args: ['-i', br, '!', '-o', br, ...tag('internal'), '-j', 'DROP'] });
    rules.push({ table: 'filter', chain: ISO1, args: ['!', '-i', br, '-o', br, ...tag('internal'), '-j', 'DROP'] });
  }
  if (net.internal) {
    rules.push({ table: 'filter', chain: FWD, args: ['-i', br, '-o', br, ...tag('forward'), '-j', 'ACCEPT'] });
  } else {
    rules.push({ table: 'filter', chain: FWD, args: ['-o', br, '-m', 'conntrack', '--ctstate', 'RELATED,ESTABLISHED', ...tag('forward'), '-j', 'ACCEPT'] });
    rules.push({ table: 'filter', chain: FWD, args: ['-o', br, '-m', 'conntrack', '--ctstate', 'DNAT', ...tag('forward'), '-j', 'ACCEPT'] });
    rules.push({ table: 'filter', chain: FWD, args: ['-i', br, ...tag('forward'), '-j', 'ACCEPT'] });
  }
  if (net.ipMasq) rules.push({ table: 'nat', chain: 'POSTROUTING', args: ['-s', net.subnet, '!', '-o', br, ...tag('masquerade'), '-j', 'MASQUERADE'] });
  return rules;
}

const same = (r: Rule, w: WantedRule) => r.chain === w.chain && r.args.join('\u0000') === w.args.join('\u0000');
const ensured = new Set<string>();

/**
 * "This network's rules are in place", kept in the runroot: every CLI command is a new process,
 * and checking with iptables-save costs two spawns and ~20-100 ms on every run and connect.
 * The mark holds the kernel's boot id, as the tables do not survive a reboot (a runroot on disk
 * would); `network rm` and `system reset` remove it with the rules. A crash before the mark is
 * written means the next attach checks again. (Rules flushed by hand stay missing until the
 * network is re-made, as with docker until its daemon restarts.)
 */
function markPath(paths: NetPaths, net: NetworkRecord): string {
  return join(paths.runroot, 'net', 'rules', `${net.id.slice(0, 12)}-${net.device}-${net.subnet.replace('/', '_')}`);
}

function bootId(): string {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return 'unknown';
  }
}

function marked(paths: NetPaths, net: NetworkRecord): boolean {
  try {
    return readFileSync(markPath(paths, net), 'utf8') === bootId();
  } catch {
    return false;
  }
}

/** Adds what is missing. */
export async function ensureNetworkRules(net: NetworkRecord, paths?: NetPaths): Promise<void> {
  const key = `${net.id}/${net.device}/${net.subnet}`;
  if (net.driver !== 'bridge' || ensured.has(key)) return;
  if (paths && marked(paths, net)) {
    ensured.add(key);
    return;
  }
  const wanted = networkRules(net);
  const filter = await save('filter');
  for (const c of [ISO1, ISO2, FWD]) if (!filter.chains.includes(c)) await run('iptables', ['-w', '-t', 'filter', '-N', c], { allowFail: true });
  // FORWARD: isolation first (before anything accepts), then our accepts (before the policy).
  if (!filter.rules.some((r) => r.chain === 'FORWARD' && jumpTarget(r) === FWD)) {
    await run('iptables', ['-w', '-t', 'filter', '-I', 'FORWARD', '1', '-m', 'comment', '--comment', FWD_COMMENT, '-j', FWD]);
  }
  if (!filter.rules.some((r) => r.chain === 'FORWARD' && jumpTarget(r) === ISO1)) {
    await run('iptables', ['-w', '-t', 'filter', '-I', 'FORWARD', '1', '-m', 'comment', '--comment', JUMP_COMMENT, '-j', ISO1]);
  }
  const nat = wanted.some((w) => w.table === 'nat') ? await save('nat') : { chains: [], rules: [] };
  // Each missing rule is inserted at the top of its chain, in reverse, so they end up in list
  // order (replies first, then DNATed connections, then the catch-all) and ahead of rules of
  // others (masquerade before CNI's SNAT chains in POSTROUTING).
  for (const w of [...wanted].reverse()) {
    const have = (w.table === 'nat' ? nat : filter).rules;
    if (have.some((x) => same(x, w))) continue;
    await run('iptables', ['-w', '-t', w.table, '-I', w.chain, '1', ...w.args]);
  }
  ensured.add(key);
  if (paths) {
    mkdirSync(dirname(markPath(paths, net)), { recursive: true });
    writeFileSync(markPath(paths, net), bootId());
  }
}

/** network rm: forget the "already ensured" marks (before its rules are removed). */
export function forgetNetworkRules(net: NetworkRecord, paths?: NetPaths): void {
  ensured.delete(`${net.id}/${net.device}/${net.subnet}`);
  if (!paths) return;
  // Every mark of the network (one per device and subnet it has had).
  const dir = dirname(markPath(paths, net));
  for (const f of existsSync(dir) ? readdirSync(dir) : []) if (f.startsWith(`${net.id.slice(0, 12)}-`)) rmSync(join(dir, f), { force: true });
}

/** Drops berth's chains when no network uses them any more (after removeTagged). */
export async function removeBerthChainsIfUnused(): Promise<void> {
  const { chains, rules } = await save('filter');
  const ours = [ISO1, ISO2, FWD].filter((c) => chains.includes(c));
  if (ours.length === 0 || rules.some((r) => ours.includes(r.chain))) return;
  for (const r of rules) if (ours.includes(jumpTarget(r) ?? '')) await deleteRule(r);
  for (const c of ours) await deleteChain('filter', c);
}
