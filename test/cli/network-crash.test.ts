/**
 * Crash safety of network set-up: `berth run -d --net NET -p ...` killed with SIGKILL at several
 * points (before the netns, with the netns, with the veth, with the lease), then `rm -f` and
 * `network prune` must leave no netns, veth, lease or iptables rule of that container or network.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { BERTH } from '../helpers/berth.js';
import { networkSandbox, bridgePorts, devName, freePort, iptablesSave, linkExists } from './network-util.js';

const { sb, made } = networkSandbox('berth-netcrash');
const br = devName('btcr');
let netId = '';
before(() => {
  netId = made.network(sb.ok(['network', 'create', '--subnet', '10.219.60.0/24', '-o', `com.docker.network.bridge.name=${br}`, 'crashnet']), br);
});

const netnsDir = () => join(sb.runRoot, 'netns');
const ls = (d: string) => (existsSync(d) ? readdirSync(d) : []);
const leases = () => ls(join(sb.runRoot, 'net', 'ipam', `berth-${netId.slice(0, 12)}`)).filter((f) => /^\d+\.\d+\.\d+\.\d+$/.test(f));

/** Starts `berth run -d` and SIGKILLs it as soon as `when()` holds (or after `maxMs`). */
async function killWhen(args: string[], when: () => boolean, maxMs: number): Promise<{ killedAt: number; exited: boolean }> {
  const child = spawn(BERTH, args, { env: sb.env, stdio: 'ignore' });
  const t0 = Date.now();
  let exited = false;
  const done = new Promise<void>((r) => child.on('exit', () => ((exited = true), r())));
  while (!exited && Date.now() - t0 < maxMs && !when()) await new Promise((r) => setTimeout(r, 1));
  const killedAt = Date.now() - t0;
  const finishedFirst = exited;
  if (!exited) child.kill('SIGKILL');
  await done;
  return { killedAt, exited: finishedFirst };
}

test('kill -9 during run --net: rm -f and network prune leave nothing', async () => {
  const points: [string, () => boolean, number][] = [
    ['early', () => false, 120],
    ['netns made', () => ls(netnsDir()).length > 0, 10_000],
    ['veth on the bridge', () => bridgePorts(br).length > 0, 10_000],
    ['lease taken', () => leases().length > 0, 10_000],
    [
      'ports published (runtime spec written)',
      () => ls(join(sb.root, 'containers')).some((d) => existsSync(join(sb.root, 'containers', d, 'config.json'))),
      10_000,
    ],
    ['late', () => false, 450],
  ];
  const outcomes: string[] = [];
  for (const [i, [what, when, max]] of points.entries()) {
    const name = `crash${i}`;
    const port = await freePort();
    const r = await killWhen(['run', '-d', '--name', name, '--net', 'crashnet', '-p', `${port}:80`, 'busybox', 'sleep', '300'], when, max);
    outcomes.push(`${what}: ${r.exited ? 'finished before the kill' : `killed at ${r.killedAt} ms`}`);
    made.noteVeths();
    const idOut = sb.run(['inspect', '-f', '{{.Id}}', name]);
    const id = idOut.code === 0 ? made.container(idOut.stdout) : '';
    // rm -f of whatever the crash left (the row may or may not exist yet)
    if (id) sb.ok(['rm', '-f', name]);
    assert.deepEqual(ls(netnsDir()), [], `${what}: netns left`);
    assert.deepEqual(bridgePorts(br), [], `${what}: veth left`);
    assert.deepEqual(leases(), [], `${what}: lease left`);
    const save = iptablesSave();
    if (id) assert.ok(!save.includes(id.slice(0, 12)), `${what}: iptables rules of ${id.slice(0, 12)} left`);
    assert.ok(!save.includes(`--dport ${port} `), `${what}: port rule left`);
  }
  // `network connect` of a running container killed once its lease is taken (before berth
  // recorded the attachment): disconnect removes the interface and frees the lease
  const br2 = devName('btcr');
  const net2 = made.network(sb.ok(['network', 'create', '--subnet', '10.219.61.0/24', '-o', `com.docker.network.bridge.name=${br2}`, 'crashnet2']), br2);
  const leases2 = () => ls(join(sb.runRoot, 'net', 'ipam', `berth-${net2.slice(0, 12)}`)).filter((f) => /^\d+\.\d+\.\d+\.\d+$/.test(f));
  const ctr = made.container(sb.ok(['run', '-d', '--name', 'crash-conn', '--net', 'crashnet', 'busybox', 'sleep', '300']));
  const r = await killWhen(['network', 'connect', 'crashnet2', 'crash-conn'], () => leases2().length > 0, 10_000);
  outcomes.push(`connect: ${r.exited ? 'finished before the kill' : `killed at ${r.killedAt} ms`}`);
  made.noteVeths();
  sb.ok(['network', 'disconnect', 'crashnet2', 'crash-conn']);
  assert.deepEqual(leases2(), [], 'connect: lease left');
  assert.deepEqual(bridgePorts(br2), [], 'connect: veth left');
  assert.deepEqual(sb.ok(['exec', ctr, 'sh', '-c', 'ls /sys/class/net']).trim().split(/\s+/).sort(), ['eth0', 'lo']);
  sb.ok(['rm', '-f', ctr]);
  process.stdout.write(`# ${outcomes.join('; ')}\n`);
  // a container still works on the network afterwards, and gets the first address again
  sb.ok(['run', '--rm', '--net', 'crashnet', 'busybox', 'true']);
  assert.deepEqual(sb.ok(['ps', '-aq']).trim(), '');
  assert.equal(sb.ok(['network', 'prune', '-f']).trim(), 'Deleted Networks:\ncrashnet\ncrashnet2');
  assert.ok(!linkExists(br));
  assert.ok(!iptablesSave().includes(`berth-${netId.slice(0, 12)}`));
});
