// The suite's leak audit: what the host had before the tests (a baseline written by
// scripts/test.mjs) against what it has after. Anything new — a mount, netns, veth, bridge,
// iptables rule or chain, cgroup, conmon or container process — was left by a test: fail.
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

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
    // a container's log writer (json-file, rotated logs) lives only as long as its conmon
    if (/log-pump\.js \S+\/log\.fifo /.test(cmd)) out.push(`log writer: ${cmd.slice(0, 160)}`);
  }
  return out;
}

export function snapshot() {
  return {
    mounts: readFileSync('/proc/self/mountinfo', 'utf8').split('\n').map((l) => l.split(' ')[4]).filter((m) => m && /berth|\/bt[0-9a-f]/.test(m)),
    links: sh('ip', ['-o', 'link', 'show']).split('\n').map((l) => l.split(':')[1]?.trim().split('@')[0]).filter((n) => n && (n.startsWith('veth') || /^(bt|bb|br-|berth)/.test(n))),
    netns: sh('ip', ['netns', 'list']).split('\n').map((l) => l.split(' ')[0]).filter(Boolean),
    iptables: sh('iptables-save', []).split('\n').filter((l) => /berth|BERTH|CNI-/.test(l) && !l.startsWith('#')).map((l) => l.replace(/\[\d+:\d+\]/, '')),
    cgroups: cgroups(),
    processes: processes(),
  };
}

const [mode, file] = process.argv.slice(2);
if (mode === 'baseline') {
  writeFileSync(file, JSON.stringify(snapshot()));
} else if (mode === 'check') {
  const before = JSON.parse(readFileSync(file, 'utf8'));
  const after = snapshot();
  const leaks = [];
  for (const k of Object.keys(after)) {
    const had = new Set(before[k] ?? []);
    for (const x of after[k]) if (!had.has(x)) leaks.push(`${k}: ${x}`);
  }
  if (leaks.length) {
    console.error(`leak audit: ${leaks.length} thing(s) the tests left behind:\n  ${leaks.join('\n  ')}`);
    process.exit(1);
  }
  console.log('leak audit: nothing left behind (mounts, netns, veths, bridges, iptables, cgroups, conmon, log writers)');
}
