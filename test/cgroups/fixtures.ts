/**
 * Recorded cgroup and procfs trees, written as regular files into a temp dir. Contents are as
 * real hosts show them: v2 from a kernel 6.x pure-v2 docker host (memory.stat, cpu.stat and the
 * /proc/stat pair reproduce one real `docker stats` API sample: total_usage 61876816000 →
 * 63085778000 ns, system_cpu_usage 107894830000000 → 107906510000000, 12 online CPUs, usage
 * 1563537408 with inactive_file 115740672); v1 from this Debian hybrid host.
 *
 * Files are rewritten in place (writeFileSync truncates the same inode), never renamed: the
 * sampler keeps them open, as it keeps real cgroup files open.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export function tempRoot(tag: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `berth-cg-${tag}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export function writeTree(root: string, files: Record<string, string>): void {
  for (const [rel, body] of Object.entries(files)) {
    const p = join(root, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, body);
  }
}

// ------------------------------------------------------------------ cgroup v2

export const V2_ROOT_FILES: Record<string, string> = {
  'cgroup.controllers': 'cpuset cpu io memory hugetlb pids rdma misc\n',
  'cgroup.subtree_control': 'cpuset cpu io memory pids\n',
  'cgroup.procs': '1\n',
  'cgroup.max.depth': 'max\n',
  'cpu.stat': 'usage_usec 5831926000\nuser_usec 3990021000\nsystem_usec 1841905000\n',
  'memory.stat': 'anon 1712533504\nfile 3204706304\n',
};

export function v2CpuStat(usageUsec: number): string {
  const user = Math.floor(usageUsec * 0.9458);
  return (
    `usage_usec ${usageUsec}\nuser_usec ${user}\nsystem_usec ${usageUsec - user}\n` +
    'core_sched.force_idle_usec 0\nnr_periods 402\nnr_throttled 0\nthrottled_usec 0\nnr_bursts 0\nburst_usec 0\n'
  );
}

export const V2_MEMORY_STAT = [
  'anon 1437630464',
  'file 116547584',
  'kernel 6553600',
  'kernel_stack 720896',
  'pagetables 3465216',
  'sec_pagetables 0',
  'percpu 1440',
  'sock 0',
  'vmalloc 8192',
  'shmem 0',
  'zswap 0',
  'zswapped 0',
  'file_mapped 225280',
  'file_dirty 61440',
  'file_writeback 0',
  'swapcached 0',
  'anon_thp 0',
  'file_thp 0',
  'shmem_thp 0',
  'inactive_anon 0',
  'active_anon 1437609984',
  'inactive_file 115740672',
  'active_file 806912',
  'unevictable 0',
  'slab_reclaimable 4232144',
  'slab_unreclaimable 740424',
  'slab 4972568',
  'workingset_refault_anon 0',
  'workingset_refault_file 0',
  'workingset_activate_anon 0',
  'workingset_activate_file 0',
  'workingset_restore_anon 0',
  'workingset_restore_file 0',
  'workingset_nodereclaim 0',
  'pgscan 0',
  'pgsteal 0',
  'pgscan_kswapd 0',
  'pgscan_direct 0',
  'pgsteal_kswapd 0',
  'pgsteal_direct 0',
  'pgfault 535467',
  'pgmajfault 7',
  'pgrefill 0',
  'pgactivate 0',
  'pgdeactivate 0',
  'pglazyfree 0',
  'pglazyfreed 0',
  'zswpin 0',
  'zswpout 0',
  'thp_fault_alloc 0',
  'thp_collapse_alloc 0',
  '',
].join('\n');

/** A v2 container cgroup as runc leaves it for `--memory 2024m --memory-swap 3g --cpus 1.5 --cpu-shares 1024 --pids-limit 100`. */
export function v2ContainerFiles(opts: { usageUsec?: number; memoryMax?: string } = {}): Record<string, string> {
  return {
    'cgroup.controllers': 'cpuset cpu io memory hugetlb pids rdma misc\n',
    'cgroup.procs': '4242\n',
    'cgroup.type': 'domain\n',
    'cgroup.events': 'populated 1\nfrozen 0\n',
    'cpu.stat': v2CpuStat(opts.usageUsec ?? 61876816),
    'cpu.max': '150000 100000\n',
    'cpu.weight': '39\n',
    'cpu.weight.nice': '0\n',
    'memory.current': '1563537408\n',
    'memory.max': opts.memoryMax ?? '2122317824\n',
    'memory.swap.max': '1099165696\n',
    'memory.swap.current': '0\n',
    'memory.min': '0\n',
    'memory.low': '0\n',
    'memory.high': 'max\n',
    'memory.stat': V2_MEMORY_STAT,
    'memory.events': 'low 0\nhigh 0\nmax 0\noom 0\noom_kill 0\noom_group_kill 0\n',
    'pids.current': '44\n',
    'pids.max': '100\n',
    'io.stat': '259:0 rbytes=2109440 wbytes=1081344 rios=95 wios=35 dbytes=0 dios=0\n8:0 rbytes=4096 wbytes=0 rios=1 wios=0 dbytes=0 dios=0\n',
    'io.max': '',
  };
}

/** An unlimited v2 container (docker run without limits). */
export function v2UnlimitedFiles(): Record<string, string> {
  return {
    ...v2ContainerFiles(),
    'cpu.max': 'max 100000\n',
    'cpu.weight': '100\n',
    'memory.max': 'max\n',
    'memory.swap.max': 'max\n',
    'pids.max': 'max\n',
  };
}

export function withPrefix(prefix: string, files: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(files)) out[join(prefix, k)] = v;
  return out;
}

// ------------------------------------------------------------------ /proc

/** /proc/stat with `ncpu` cpuN lines; the cpu line sums (first seven fields) to `ticks`. Steal
 *  (the 8th field) is large on purpose: docker leaves it out, so must we. */
export function procStatText(ticks: number, ncpu = 12): string {
  const user = Math.floor(ticks * 0.37);
  const nice = Math.floor(ticks * 0.0001);
  const system = Math.floor(ticks * 0.046);
  const iowait = Math.floor(ticks * 0.0074);
  const softirq = Math.floor(ticks * 0.0008);
  const idle = ticks - user - nice - system - iowait - softirq;
  const lines = [`cpu  ${user} ${nice} ${system} ${idle} ${iowait} 0 ${softirq} 987654 0 0`];
  for (let i = 0; i < ncpu; i++) {
    lines.push(`cpu${i} ${Math.floor(user / ncpu)} 83 ${Math.floor(system / ncpu)} ${Math.floor(idle / ncpu)} 6666 0 706 82304 0 0`);
  }
  lines.push('intr 1127654394 0 9 0 0 0 0 0 0 0 0 0 0 156 0 0 0');
  lines.push('ctxt 2094378541', 'btime 1732280000', 'processes 3412754', 'procs_running 3', 'procs_blocked 0', 'softirq 402345 0 1 2 3 4 5 6 7 8 9', '');
  return lines.join('\n');
}

export function netDevText(rows: [string, number, number][]): string {
  const head =
    'Inter-|   Receive                                                |  Transmit\n' +
    ' face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n';
  return (
    head +
    rows
      .map(
        ([name, rx, tx]) =>
          `${name.padStart(6)}: ${String(rx).padStart(8)}    ${Math.floor(rx / 600)}    0    0    0     0          0         0 ${String(tx).padStart(8)}    ${Math.floor(tx / 600)}    0    0    0     0       0          0`,
      )
      .join('\n') +
    '\n'
  );
}

// ------------------------------------------------------------------ cgroup v1

/** v1 hierarchy roots as mounted; `comounted` gives the systemd-style "cpu,cpuacct" + symlinks. */
export function writeV1Roots(root: string, opts: { hybrid: boolean; comounted: boolean }): void {
  const hier = opts.comounted
    ? ['blkio', 'cpu,cpuacct', 'cpuset', 'devices', 'freezer', 'memory', 'net_cls,net_prio', 'perf_event', 'pids', 'systemd']
    : ['blkio', 'cpu', 'cpuacct', 'cpuset', 'devices', 'freezer', 'memory', 'pids', 'systemd'];
  for (const h of hier) writeTree(root, { [`${h}/cgroup.procs`]: '1\n', [`${h}/tasks`]: '1\n', [`${h}/cgroup.clone_children`]: '0\n' });
  if (opts.comounted) {
    symlinkSync('cpu,cpuacct', join(root, 'cpu'));
    symlinkSync('cpu,cpuacct', join(root, 'cpuacct'));
    symlinkSync('net_cls,net_prio', join(root, 'net_cls'));
    symlinkSync('net_cls,net_prio', join(root, 'net_prio'));
  }
  writeTree(root, { 'memory/memory.memsw.limit_in_bytes': '9223372036854771712\n', 'cpuset/cpuset.cpus': '0-1\n', 'cpuset/cpuset.mems': '0\n' });
  if (opts.hybrid) writeTree(root, { 'unified/cgroup.controllers': '', 'unified/cgroup.procs': '1\n' });
}

/** memory.stat of a v1 cgroup (recorded on this host; hierarchical totals after the local ones). */
export function v1MemoryStat(totalInactiveFile: number): string {
  return [
    'cache 10227712',
    'rss 7417856',
    'rss_huge 0',
    'shmem 9068544',
    'mapped_file 7659520',
    'dirty 12288',
    'writeback 0',
    'swap 0',
    'pgpgin 35915',
    'pgpgout 31614',
    'pgfault 37589',
    'pgmajfault 0',
    'inactive_anon 0',
    'active_anon 1531904',
    'inactive_file 155648',
    'active_file 1003520',
    'unevictable 14954496',
    'hierarchical_memory_limit 9223372036854771712',
    'hierarchical_memsw_limit 9223372036854771712',
    'total_cache 44175360',
    'total_rss 13549568',
    'total_rss_huge 0',
    'total_shmem 9068544',
    'total_mapped_file 11157504',
    'total_dirty 131072',
    'total_writeback 0',
    'total_swap 0',
    'total_pgpgin 1360409',
    'total_pgpgout 1347085',
    'total_pgfault 1677146',
    'total_pgmajfault 825',
    'total_inactive_anon 6045696',
    'total_active_anon 1581056',
    `total_inactive_file ${totalInactiveFile}`,
    'total_active_file 17543168',
    'total_unevictable 14954496',
    '',
  ].join('\n');
}

/** A v1 container's files under `rel` in each hierarchy (non-comounted layout paths). */
export function v1ContainerFiles(rel: string, opts: { cpuNs?: number; limited?: boolean; cpuDir?: string; cpuacctDir?: string } = {}): Record<string, string> {
  const cpu = opts.cpuDir ?? 'cpu';
  const acct = opts.cpuacctDir ?? 'cpuacct';
  const limited = opts.limited ?? true;
  return {
    [`${acct}/${rel}/cpuacct.usage`]: `${opts.cpuNs ?? 123456789012}\n`,
    [`${acct}/${rel}/cgroup.procs`]: '4242\n',
    [`${cpu}/${rel}/cpu.cfs_quota_us`]: limited ? '150000\n' : '-1\n',
    [`${cpu}/${rel}/cpu.cfs_period_us`]: '100000\n',
    [`${cpu}/${rel}/cpu.shares`]: limited ? '512\n' : '1024\n',
    [`${cpu}/${rel}/cgroup.procs`]: '4242\n',
    [`memory/${rel}/memory.usage_in_bytes`]: '58834944\n',
    [`memory/${rel}/memory.limit_in_bytes`]: limited ? '268435456\n' : '9223372036854771712\n',
    [`memory/${rel}/memory.memsw.limit_in_bytes`]: limited ? '536870912\n' : '9223372036854771712\n',
    [`memory/${rel}/memory.stat`]: v1MemoryStat(22347776),
    [`memory/${rel}/cgroup.procs`]: '4242\n',
    [`pids/${rel}/pids.current`]: '7\n',
    [`pids/${rel}/pids.max`]: limited ? '100\n' : 'max\n',
    [`pids/${rel}/cgroup.procs`]: '4242\n',
    [`blkio/${rel}/blkio.throttle.io_service_bytes_recursive`]:
      '8:0 Read 1187840\n8:0 Write 45056\n8:0 Sync 1232896\n8:0 Async 0\n8:0 Discard 0\n8:0 Total 1232896\n' +
      '8:16 Read 4096\n8:16 Write 8192\n8:16 Sync 12288\n8:16 Async 0\n8:16 Discard 0\n8:16 Total 12288\nTotal 1245184\n',
    [`blkio/${rel}/blkio.throttle.io_service_bytes`]: '8:0 Read 1\n8:0 Write 1\nTotal 2\n',
    [`blkio/${rel}/cgroup.procs`]: '4242\n',
  };
}
