// The suite's leak audit: what the host had before the tests (a baseline written by
// scripts/test.mjs) against what it has after. The host's network interfaces and their
// addresses, its iptables rules (every table, IPv4 and IPv6) and its mounts must be exactly as
// they were: a new one was left by a test, a missing one was deleted by one (a private dockerd
// started with `--bridge none` deletes the host's docker0). New netns, berth cgroups and conmon
// processes were left by a test too. Any difference fails the run.
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

function sh(cmd, args) {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return '';
  }
}

function cgroups() {
  const out = [];
  for (const ctrl of ['memory', 'cpu', 'pids', 'cpuacct', 'blkio', 'freezer', 'devices', 'cpuset', 'systemd', 'unified', '']) {
    const dir = join('/sys/fs/cgroup', ctrl, 'berth');
    if (!existsSync(dir)) continue;
    for (const e of readdirSync(dir)) if (/^[a-f0-9]{64}$/.test(e)) out.push(`${ctrl}/berth/${e}`);
  }
  // The systemd driver's scopes (containers and their monitors) on a pure v2 host.
  const slice = '/sys/fs/cgroup/machine.slice';
  if (existsSync(slice)) for (const e of readdirSync(slice)) if (/^berth-.*\.scope$/.test(e)) out.push(`machine.slice/${e}`);
  return out;
}

function processes() {
  const out = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    let cmd = '';
    try {
      cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
    } catch {
      continue;
    }
    if (/^(\S*\/)?conmon /.test(cmd) && /berth/.test(cmd)) out.push(`conmon: ${cmd.slice(0, 160)}`);
    // The cgroup v2 test's VM (test/vm/qemu.ts names it so).
    if (/qemu-system/.test(cmd) && /-name berth-test-vm/.test(cmd)) out.push(`qemu: ${cmd.slice(0, 160)}`);
    // a container's log writer (json-file, rotated logs) lives only as long as its conmon
    if (/log-pump\.js \S+\/log\.fifo /.test(cmd)) out.push(`log writer: ${cmd.slice(0, 160)}`);
    // a state root's healthcheck monitor (`health-monitor.js {"root":…}`) lives only while one of its containers has a healthcheck
    if (/health-monitor\.js \{/.test(cmd)) out.push(`health monitor: ${cmd.slice(0, 200)}`);
  }
  return out;
}

/**
 * `iptables-save` output as "table: rule" lines, without counters and comments (they change by
 * themselves), and without a built-in chain's ACCEPT policy: a table no one had used yet is not
 * listed at all, and the first use of it anywhere (the kernel makes it, it is never removed)
 * lists its chains with that default. A policy changed from it, or back to it, still shows.
 */
export function iptablesLines(text, family = 'ipv4') {
  const out = [];
  let table = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line === 'COMMIT') continue;
    if (line.startsWith('*')) {
      table = line.slice(1);
      continue;
    }
    if (/^:(INPUT|FORWARD|OUTPUT|PREROUTING|POSTROUTING) ACCEPT\b/.test(line)) continue;
    out.push(`${family} ${table}: ${line.replace(/\s*\[\d+:\d+\]$/, '').replace(/\s*\[\d+:\d+\]\s*/, ' ')}`);
  }
  return out;
}

/** Mount points with their type and source, from mountinfo ("… mountpoint … - fstype source …"). */
export function mountLines(mountinfo) {
  return mountinfo
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const f = l.split(' ');
      const dash = f.indexOf('-');
      return `${f[4]} ${f[dash + 1]} ${f[dash + 2]}`;
    });
}

export function snapshot() {
  return {
    links: sh('ip', ['-o', 'link', 'show'])
      .split('\n')
      .map((l) => l.split(':')[1]?.trim().split('@')[0])
      .filter(Boolean),
    addresses: sh('ip', ['-o', 'addr', 'show'])
      .split('\n')
      .map((l) => l.split(/\s+/))
      .filter((f) => f.length > 3)
      .map((f) => `${f[1]} ${f[2]} ${f[3]}`),
    iptables: [...iptablesLines(sh('iptables-save', []), 'ipv4'), ...iptablesLines(sh('ip6tables-save', []), 'ipv6')],
    mounts: mountLines(readFileSync('/proc/self/mountinfo', 'utf8')),
    netns: sh('ip', ['netns', 'list'])
      .split('\n')
      .map((l) => l.split(' ')[0])
      .filter(Boolean),
    cgroups: cgroups(),
    processes: processes(),
  };
}

/** What must be exactly as before; the rest may only not grow. */
const BOTH_WAYS = new Set(['links', 'addresses', 'iptables', 'mounts']);

/** Each thing that is new since `before` ("+"), or gone since then ("-", for BOTH_WAYS kinds). Counted, so a rule added twice shows. */
export function differences(before, after) {
  const out = [];
  const count = (xs) => xs.reduce((m, x) => m.set(x, (m.get(x) ?? 0) + 1), new Map());
  for (const k of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const had = count(before[k] ?? []);
    const has = count(after[k] ?? []);
    for (const [x, n] of has) for (let i = had.get(x) ?? 0; i < n; i++) out.push(`${k}: + ${x}`);
    if (BOTH_WAYS.has(k)) for (const [x, n] of had) for (let i = has.get(x) ?? 0; i < n; i++) out.push(`${k}: - ${x}`);
  }
  return out;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [mode, file] = process.argv.slice(2);
  if (mode === 'baseline') {
    writeFileSync(file, JSON.stringify(snapshot()));
  } else if (mode === 'check') {
    const diff = differences(JSON.parse(readFileSync(file, 'utf8')), snapshot());
    if (diff.length) {
      console.error(`leak audit: the host differs from before the tests in ${diff.length} thing(s) (+ left behind, - removed):\n  ${diff.join('\n  ')}`);
      process.exit(1);
    }
    console.log(
      'leak audit: the host is as before (interfaces, addresses, iptables rules of every table, mounts; no new netns, cgroups, conmon or log writers)',
    );
  }
}
