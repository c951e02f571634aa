/**
 * cgroup limits as the kernel sees them (cgroup v1 on the test hosts: /sys/fs/cgroup/<ctrl>/berth/<id>)
 * and `stats` with docker's columns; the minimum memory refused with docker's message.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { Box, NONE } from './container-support.js';

let sb: Box;
before(() => {
  sb = new Box('berth-ctr-limits');
});
after(() => sb.disposeChecked());

const V1 = !existsSync('/sys/fs/cgroup/cgroup.controllers');
const cg = (ctrl: string, id: string, file: string) => readFileSync(`/sys/fs/cgroup/${ctrl}/berth/${id}/${file}`, 'utf8').trim();

test("--memory, --cpus, --cpu-shares, --pids-limit are in the container's cgroup", { skip: !V1 && 'cgroup v2 host: v1 files checked here' }, () => {
  const id = sb.runD([
    '--name',
    'lim',
    ...NONE,
    '--memory',
    '64m',
    '--memory-swap',
    '128m',
    '--cpus',
    '0.5',
    '--cpu-shares',
    '512',
    '--pids-limit',
    '42',
    'busybox',
    'sleep',
    '300',
  ]);
  assert.equal(cg('memory', id, 'memory.limit_in_bytes'), String(64 * 1024 * 1024));
  if (existsSync(`/sys/fs/cgroup/memory/berth/${id}/memory.memsw.limit_in_bytes`)) {
    assert.equal(cg('memory', id, 'memory.memsw.limit_in_bytes'), String(128 * 1024 * 1024));
  }
  const quota = Number(cg('cpu', id, 'cpu.cfs_quota_us'));
  const period = Number(cg('cpu', id, 'cpu.cfs_period_us'));
  assert.equal(quota / period, 0.5);
  assert.equal(cg('cpu', id, 'cpu.shares'), '512');
  assert.equal(cg('pids', id, 'pids.max'), '42');
  // the container's own processes are in it
  const pid = sb.inspect('lim').State.Pid;
  assert.ok(cg('memory', id, 'cgroup.procs').split('\n').includes(String(pid)));
  const d = sb.inspect('lim').HostConfig;
  assert.equal(d.Memory, 64 * 1024 * 1024);
  assert.equal(d.NanoCpus, 500_000_000);
  assert.equal(d.PidsLimit, 42);
  // the pids limit holds inside
  const fork = sb.run(['exec', 'lim', 'sh', '-c', 'for i in $(seq 1 60); do sleep 1 & done; wait']);
  assert.notEqual(fork.code, 0);
  sb.ok(['rm', '-f', 'lim']);
  for (const c of ['memory', 'cpu', 'pids']) assert.equal(existsSync(`/sys/fs/cgroup/${c}/berth/${id}`), false, c);
});

test("a memory limit below the minimum is refused with docker's message, leaving nothing", () => {
  const before = sb.ok(['ps', '-aq']);
  const r = sb.run(['run', ...NONE, '--memory', '1m', 'busybox', 'true']);
  assert.equal(r.code, 125);
  assert.match(r.stderr, /Minimum memory limit allowed is 6MB/);
  const c = sb.run(['create', ...NONE, '--memory', '1m', 'busybox', 'true']);
  assert.equal(c.code, 125);
  assert.equal(sb.ok(['ps', '-aq']), before);
  const bad = sb.run(['run', ...NONE, '--cpus', 'lots', 'busybox', 'true']);
  assert.equal(bad.code, 125);
});

test("stats --no-stream: docker's columns, one row per running container; --format json", () => {
  const id = sb.runD(['--name', 'st', ...NONE, '--memory', '100m', 'busybox', 'sh', '-c', 'sleep 300 & sleep 300 & wait']);
  const lines = sb.ok(['stats', '--no-stream']).trimEnd().split('\n');
  assert.match(lines[0]!, /^CONTAINER ID\s+NAME\s+CPU %\s+MEM USAGE \/ LIMIT\s+MEM %\s+NET I\/O\s+BLOCK I\/O\s+PIDS$/);
  const row = lines.find((l) => l.startsWith(id.slice(0, 12)));
  assert.ok(row, lines.join('\n'));
  assert.match(row!, /^[a-f0-9]{12}\s+st\s+\d+\.\d\d%\s+[\d.]+[KMG]?i?B \/ 100MiB\s+\d+\.\d\d%\s+\S+ \/ \S+\s+\S+ \/ \S+\s+3$/);
  const js = sb
    .ok(['stats', '--no-stream', '--format', 'json', 'st'])
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  assert.equal(js.length, 1);
  for (const k of ['Container', 'ID', 'Name', 'CPUPerc', 'MemUsage', 'MemPerc', 'NetIO', 'BlockIO', 'PIDs']) assert.ok(k in js[0], k);
  assert.equal(js[0].Name, 'st');
  assert.equal(js[0].ID, id.slice(0, 12));
  assert.equal(js[0].PIDs, '3');
  assert.match(js[0].MemUsage, / \/ 100MiB$/);
  assert.equal(sb.ok(['stats', '--no-stream', '--format', '{{.Name}} {{.PIDs}}', 'st']).trim(), 'st 3');
  // streaming: from the second pass on, CPU % between passes a second apart (100 % = one core);
  // a busy loop is close to one core
  sb.ok(['exec', '-d', 'st', 'sh', '-c', 'while :; do :; done']);
  const streamed = sb.run(['stats', '--format', 'json', 'st'], { timeout: 3500 }).stdout.trim().split('\n');
  assert.ok(streamed.length >= 2, streamed.join('\n'));
  const busy = JSON.parse(streamed[streamed.length - 1]!.replace(/^\x1b\[2J\x1b\[H/, ''));
  // one core at most for one loop (a loaded CI host may give it much less)
  assert.ok(parseFloat(busy.CPUPerc) > 15 && parseFloat(busy.CPUPerc) < 110, busy.CPUPerc);
  const missing = sb.run(['stats', '--no-stream', 'nosuch']);
  assert.notEqual(missing.code, 0);
  sb.ok(['rm', '-f', 'st']);
});
