/**
 * Repeated `run --rm` on the default bridge and `network connect`/`disconnect` of a running
 * container leave it with eth0 and lo only; the wall times are printed as diagnostics, not
 * asserted. The figures that count come from `npm run bench -- --only bridge,network` (many
 * more runs, side by side with docker and podman): few runs here keep the suite short.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadavg } from 'node:os';
import { networkSandbox, devName, ifaces } from './network-util.js';

const { sb, made } = networkSandbox('berth-netperf');

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
function timed(args: string[]): number {
  const t0 = process.hrtime.bigint();
  sb.ok(args);
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

test('figures: run --rm on the default bridge, connect and disconnect', (t) => {
  sb.ok(['run', '--rm', 'busybox', 'true']); // warm: default bridge made, rules in place, caches
  const run = Array.from({ length: 3 }, () => timed(['run', '--rm', 'busybox', 'true']));
  const br = devName('btpf');
  made.network(sb.ok(['network', 'create', '--subnet', '10.219.80.0/24', '-o', `com.docker.network.bridge.name=${br}`, 'perfnet']), br);
  made.container(sb.ok(['run', '-d', '--name', 'perf-c', 'busybox', 'sleep', '300']));
  sb.ok(['network', 'connect', 'perfnet', 'perf-c']);
  sb.ok(['network', 'disconnect', 'perfnet', 'perf-c']);
  const con: number[] = [];
  const dis: number[] = [];
  for (let i = 0; i < 3; i++) {
    con.push(timed(['network', 'connect', 'perfnet', 'perf-c']));
    made.noteVeths();
    dis.push(timed(['network', 'disconnect', 'perfnet', 'perf-c']));
  }
  assert.deepEqual(ifaces(sb, 'perf-c'), ['eth0', 'lo']);
  const base = Array.from({ length: 2 }, () => timed(['--version']));
  const ls = Array.from({ length: 2 }, () => timed(['network', 'ls']));
  const fig = (xs: number[]) => `${median(xs).toFixed(0)} ms`;
  const lines = [
    `run --rm busybox true (default bridge): median ${fig(run)} of ${run.length} (target ≤ 100 ms)`,
    `network connect (running): median ${fig(con)}; disconnect: median ${fig(dis)} of ${con.length} (target ≤ 50 ms)`,
    `for scale: berth --version ${fig(base)}, network ls ${fig(ls)}; load average ${loadavg()[0]!.toFixed(1)}`,
  ];
  for (const l of lines) t.diagnostic(l);
  sb.ok(['rm', '-f', 'perf-c']);
  sb.ok(['network', 'rm', 'perfnet']);
});
