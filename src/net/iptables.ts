/**
 * Reading and deleting iptables rules by what they are tagged with. CNI plugins tag their
 * rules with comments (`name: "<net>" id: "<container>"`); a crash between ADD and DEL, or a
 * DEL after the netns vanished, leaves such rules behind. We only ever delete rules carrying
 * our own network's or container's tag, and chains only those rules jumped to.
 */
import { run } from './exec.js';

export type Table = 'nat' | 'filter';

/** Chains shared by every CNI user on the host: never deleted as per-container debris. */
export const SHARED_CHAINS = new Set([
  'CNI-HOSTPORT-DNAT',
  'CNI-HOSTPORT-SETMARK',
  'CNI-HOSTPORT-MASQ',
  'CNI-FORWARD',
  'CNI-ADMIN',
  'CNI-ISOLATION-STAGE-1',
  'CNI-ISOLATION-STAGE-2',
]);

export interface Rule {
  table: Table;
  chain: string;
  /** Arguments after "-A CHAIN" as iptables-save prints them. */
  args: string[];
  line: string;
}

/** Splits an iptables-save rule line; double quotes with backslash escapes, as it prints them. */
export function tokenize(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let inTok = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (ch === '"') {
      inTok = true;
      for (i++; i < line.length && line[i] !== '"'; i++) {
        if (line[i] === '\\' && i + 1 < line.length) i++;
        cur += line[i];
      }
    } else if (ch === ' ' || ch === '\t') {
      if (inTok) out.push(cur);
      cur = '';
      inTok = false;
    } else {
      cur += ch;
      inTok = true;
    }
  }
  if (inTok) out.push(cur);
  return out;
}

export function parseSave(table: Table, text: string): { chains: string[]; rules: Rule[] } {
  const chains: string[] = [];
  const rules: Rule[] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith(':')) chains.push(line.slice(1).split(' ')[0] ?? '');
    else if (line.startsWith('-A ')) {
      const t = tokenize(line);
      rules.push({ table, chain: t[1] ?? '', args: t.slice(2), line });
    }
  }
  return { chains, rules };
}

export async function save(table: Table): Promise<{ chains: string[]; rules: Rule[] }> {
  const r = await run('iptables-save', ['-t', table], { allowFail: true });
  return parseSave(table, r.code === 0 ? r.stdout : '');
}

export function jumpTarget(r: Rule): string | undefined {
  const i = r.args.indexOf('-j');
  return i >= 0 ? r.args[i + 1] : undefined;
}

export function commentOf(r: Rule): string {
  const i = r.args.indexOf('--comment');
  return i >= 0 ? (r.args[i + 1] ?? '') : '';
}

export async function deleteRule(r: Rule): Promise<void> {
  await run('iptables', ['-w', '-t', r.table, '-D', r.chain, ...r.args], { allowFail: true });
}

export async function deleteChain(table: Table, chain: string): Promise<void> {
  await run('iptables', ['-w', '-t', table, '-F', chain], { allowFail: true });
  await run('iptables', ['-w', '-t', table, '-X', chain], { allowFail: true });
}

/**
 * Deletes every rule whose comment matches `pred`, then the non-shared chains they jumped to
 * (CNI's per-container chains), in both tables. Returns how many rules went.
 */
export async function removeTagged(pred: (comment: string) => boolean): Promise<number> {
  let n = 0;
  for (const table of ['nat', 'filter'] as Table[]) {
    const { chains, rules } = await save(table);
    const targets = new Set<string>();
    for (const r of rules) {
      if (!pred(commentOf(r))) continue;
      const j = jumpTarget(r);
      if (j && j.startsWith('CNI-') && !SHARED_CHAINS.has(j)) targets.add(j);
      await deleteRule(r);
      n++;
    }
    for (const c of targets) if (chains.includes(c)) await deleteChain(table, c);
  }
  return n;
}

/**
 * Removes the shared CNI chains when nothing uses them any more (no per-container rule left),
 * with their jumps from the built-in chains. Callers hold the host CNI lock.
 */
export async function removeSharedChainsIfUnused(): Promise<void> {
  const nat = await save('nat');
  const natRules = (c: string) => nat.rules.filter((r) => r.chain === c);
  if (nat.chains.includes('CNI-HOSTPORT-DNAT') && natRules('CNI-HOSTPORT-DNAT').length === 0) {
    // Only when no container's DNAT chain remains do SETMARK/MASQ lose their purpose.
    for (const r of nat.rules) {
      const j = jumpTarget(r);
      if (j && SHARED_CHAINS.has(j) && !SHARED_CHAINS.has(r.chain)) await deleteRule(r);
    }
    for (const c of ['CNI-HOSTPORT-DNAT', 'CNI-HOSTPORT-SETMARK', 'CNI-HOSTPORT-MASQ']) if (nat.chains.includes(c)) await deleteChain('nat', c);
  }
  const filter = await save('filter');
  const fwd = filter.rules.filter((r) => r.chain === 'CNI-FORWARD');
  const admin = filter.rules.filter((r) => r.chain === 'CNI-ADMIN');
  if (filter.chains.includes('CNI-FORWARD') && fwd.every((r) => jumpTarget(r) === 'CNI-ADMIN') && admin.length === 0) {
    for (const r of filter.rules) if (jumpTarget(r) === 'CNI-FORWARD') await deleteRule(r);
    await deleteChain('filter', 'CNI-FORWARD');
    if (filter.chains.includes('CNI-ADMIN')) await deleteChain('filter', 'CNI-ADMIN');
  }
}
