/**
 * kill -9 of berth inside `network create`, `network rm` and `network connect` (issue 8).
 * Afterwards `network ls` tells the truth, a network is either whole (usable and removable) or
 * absent (its name and subnet free again), and whatever a killed `network rm` had not yet
 * removed — bridge, iptables rules, IPAM leases dir, rules mark — is removed by the next
 * command (network ls, network prune, system prune, run), with no row left that names it.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { networkSandbox, devName, iptablesSave, linkExists } from '../cli/network-util.js';
import { waitFor, processesWith } from '../helpers/wait.js';
import { base, CNI_LOCK, holdsLock, killWhen, opens, runsChild, sleep, withDbWriteLock, type KillOutcome } from './kill-points.js';

const { sb, made } = networkSandbox('berth-crash-net');
// Subnets of this file (10.227.N.0/24), one per network it makes, never reused within a run.
let nextSubnet = 1;

before(() => {
  sb.ok(['network', 'ls']); // the builtin networks exist before any kill
});

const ls = (d: string) => (existsSync(d) ? readdirSync(d) : []);
const notes = () => ls(join(sb.runRoot, 'net', 'removing'));
const names = () => sb.ok(['network', 'ls', '--format', '{{.Name}}']).trim().split('\n');
const outcome = (what: string, r: KillOutcome) => `${what}: ${r.killed ? `killed at ${r.afterMs} ms` : 'finished before the kill'}`;

/** Whether the state database has a row for the network (read from outside berth). */
function rowExists(id: string): boolean {
  const db = new DatabaseSync(join(sb.root, 'berth.db'), { readOnly: true });
  try {
    return db.prepare('SELECT 1 AS x FROM networks WHERE id = ?').get(id) !== undefined;
  } finally {
    db.close();
  }
}

/** A network's host side, as far as any of it exists. */
function hostSide(id: string, dev: string): string[] {
  const short = id.slice(0, 12);
  return [
    ...(linkExists(dev) ? [`bridge ${dev}`] : []),
    ...iptablesSave()
      .split('\n')
      .filter((l) => l.includes(`berth-${short}`))
      .map((l) => `rule ${l}`),
    ...ls(join(sb.runRoot, 'net', 'ipam'))
      .filter((d) => d === `berth-${short}`)
      .map((d) => `ipam ${d}`),
    ...ls(join(sb.runRoot, 'net', 'rules'))
      .filter((f) => f.startsWith(`${short}-`))
      .map((f) => `mark ${f}`),
  ];
}

interface Net {
  name: string;
  dev: string;
  subnet: string;
  args: string[];
}

function newNet(prefix: string): Net {
  const name = `${prefix}${nextSubnet}`;
  const dev = devName('btkn');
  const subnet = `10.227.${nextSubnet++}.0/24`;
  made.bridges.add(dev);
  return { name, dev, subnet, args: ['network', 'create', '--subnet', subnet, '-o', `com.docker.network.bridge.name=${dev}`, name] };
}

/** Creates it and runs one container on it, so its bridge, rules and mark exist. */
function makeUsed(n: Net): string {
  const id = made.network(sb.ok(n.args), n.dev);
  sb.ok(['run', '--rm', '--net', n.name, 'busybox', 'true']);
  assert.ok(linkExists(n.dev), `${n.name}: no bridge after a container used it`);
  return id;
}

/** The network works: a container on it gets an address in its subnet. */
function assertUsable(n: Net): void {
  const addr = sb.ok(['run', '--rm', '--net', n.name, 'busybox', 'ip', '-o', '-4', 'addr', 'show', 'eth0']);
  assert.match(addr, new RegExp(`inet ${n.subnet.replace(/\.0\/24$/, '').replace(/\./g, '\\.')}\\.\\d+/24`), addr);
}

test('network create killed at several points: the network is whole or absent, and works either way', async () => {
  const seen: string[] = [];
  // Delays spread over how long an uninterrupted create takes on this machine right now.
  const probe = newNet('kp');
  const t0 = Date.now();
  made.network(sb.ok(probe.args), probe.dev);
  const fullMs = Date.now() - t0;
  sb.ok(['network', 'rm', probe.name]);
  const delays = [0.35, 0.5, 0.6, 0.7, 0.8, 0.9].map((f) => Math.max(1, Math.round(f * fullMs)));
  const points: [string, (n: Net) => Promise<KillOutcome>][] = [
    [
      'reading the host routes',
      (n) =>
        killWhen(
          sb,
          n.args,
          runsChild((a) => base(a) === 'ip'),
        ),
    ],
    [
      'at the door of its write transaction (lock held)',
      (n) =>
        withDbWriteLock(sb, async () => {
          // berth cannot write while we hold the lock: wait until it has read the routes (its
          // last step before the transaction), or a few seconds, then kill it there
          let sawIp = false;
          let quietSince = 0;
          const r = await killWhen(
            sb,
            n.args,
            (pid) => {
              if (runsChild((a) => base(a) === 'ip')(pid)) sawIp = true;
              else if (sawIp) quietSince ||= Date.now();
              return quietSince > 0 && Date.now() - quietSince > 300;
            },
            5_000,
          );
          assert.ok(r.killed, 'create finished while the database was locked');
          return r;
        }),
    ],
    ...delays.map((ms): [string, (n: Net) => Promise<KillOutcome>] => [`after ${ms} ms`, (n) => killWhen(sb, n.args, () => false, ms)]),
  ];
  for (const [what, kill] of points) {
    const n = newNet('kc');
    const r = await kill(n);
    seen.push(outcome(what, r));
    const listed = names().includes(n.name);
    if (what.includes('lock held')) assert.equal(listed, false, `${what}: a network appeared while its transaction could not run`);
    if (!listed) {
      // nothing half-made holds the name, the subnet or the bridge name
      assert.deepEqual(notes(), []);
      sb.ok(n.args);
    }
    const doc = JSON.parse(sb.ok(['network', 'inspect', n.name]))[0] as { Id: string; IPAM: { Config: { Subnet: string }[] }; Options: Record<string, string> };
    made.network(doc.Id, n.dev);
    assert.equal(doc.IPAM.Config[0]?.Subnet, n.subnet, what);
    assert.equal(doc.Options['com.docker.network.bridge.name'], n.dev, what);
    assertUsable(n);
    sb.ok(['network', 'rm', n.name]);
    assert.ok(!names().includes(n.name), what);
    assert.deepEqual(hostSide(doc.Id, n.dev), [], `${what}: left after network rm`);
  }
  process.stdout.write(`# create: ${seen.join('; ')}\n`);
});

test('network rm killed at several points: the next command removes what it left', async () => {
  const seen: string[] = [];
  let cutShort = 0;
  // [where berth dies, the command after it]
  const points: [string, (pid: number) => boolean, string[]][] = [
    ['holding the CNI lock, before any host change', holdsLock(CNI_LOCK), ['network', 'ls']],
    ['deleting the bridge', runsChild((a) => base(a) === 'ip' && a.includes('del')), ['network', 'prune', '-f']],
    ['removing iptables rules', runsChild((a) => base(a).startsWith('iptables')), ['system', 'prune', '-f']],
    ['holding the CNI lock (then a container is run)', holdsLock(CNI_LOCK), ['run', '--rm', '--net', 'none', 'busybox', 'true']],
  ];
  for (const [what, when, next] of points) {
    const n = newNet('kr');
    const id = makeUsed(n);
    const r = await killWhen(sb, ['network', 'rm', n.name], when);
    seen.push(outcome(what, r));
    const left = hostSide(id, n.dev);
    if (r.killed && !rowExists(id) && left.length) cutShort++;
    sb.ok(next);
    assert.ok(!names().includes(n.name), `${what}: still listed`);
    assert.deepEqual(hostSide(id, n.dev), [], `${what}: left after \`berth ${next.join(' ')}\` (right after the kill: ${left.join(', ')})`);
    assert.deepEqual(notes(), [], what);
    // the name, subnet and bridge name are free again
    const again = made.network(sb.ok(n.args), n.dev);
    assertUsable(n);
    sb.ok(['network', 'rm', n.name]);
    assert.deepEqual(hostSide(again, n.dev), []);
  }
  process.stdout.write(`# rm: ${seen.join('; ')}\n`);
  // the points above are where the row is gone and the host side not yet: at least one kill
  // must have landed there, or this test did not test the write-ahead at all
  assert.ok(cutShort > 0, `no kill landed between the row and the host side: ${seen.join('; ')}`);
});

test('network rm killed before its transaction (lock held): the network stays whole and removable', async () => {
  const n = newNet('kt');
  const id = makeUsed(n);
  const r = await withDbWriteLock(sb, () => killWhen(sb, ['network', 'rm', n.name], () => notes().length > 0, 10_000));
  assert.ok(r.killed, 'rm finished while the database was locked');
  assert.ok(rowExists(id));
  assert.ok(names().includes(n.name));
  assert.deepEqual(notes(), [], 'the dead process note was not dropped');
  assert.ok(linkExists(n.dev), 'the bridge of a network that still exists was removed');
  assertUsable(n);
  sb.ok(['network', 'rm', n.name]);
  assert.deepEqual(hostSide(id, n.dev), []);
});

test('network connect killed at several points: disconnect or the completed connect is whole', async () => {
  const a = newNet('ka');
  const b = newNet('kb');
  made.network(sb.ok(a.args), a.dev);
  const bId = made.network(sb.ok(b.args), b.dev);
  const ctr = made.container(
    sb.ok(['run', '-d', '--name', 'kconn', '--net', a.name, '--stop-timeout', '1', 'busybox', 'sh', '-c', "trap 'exit 0' TERM; sleep 3600 & wait"]),
  );
  const ifaces = () => sb.ok(['exec', ctr, 'sh', '-c', 'ls /sys/class/net']).trim().split(/\s+/).sort();
  const attached = () => (JSON.parse(sb.ok(['inspect', '-f', '{{json .NetworkSettings.Networks}}', ctr])) as Record<string, { IPAddress: string }>)[b.name];
  const seen: string[] = [];
  const points: [string, (pid: number) => boolean][] = [
    ['taking the CNI lock', opens(CNI_LOCK)],
    ['in the bridge plugin', runsChild((x) => base(x) === 'bridge')],
    ['in host-local IPAM', runsChild((x) => base(x) === 'host-local')],
  ];
  for (const [what, when] of points) {
    const r = await killWhen(sb, ['network', 'connect', b.name, ctr], when);
    seen.push(outcome(what, r));
    made.noteVeths();
    const ep = attached();
    if (ep?.IPAddress) {
      // it got as far as recording the attachment: the interface is really there
      assert.deepEqual(ifaces(), ['eth0', 'eth1', 'lo'], what);
      assert.match(sb.ok(['exec', ctr, 'ip', '-o', '-4', 'addr', 'show', 'eth1']), new RegExp(`inet ${ep.IPAddress.replace(/\./g, '\\.')}/`));
    }
    // a half-done connect (recorded, not attached) is undone by disconnect; then connect works
    if (ep) sb.ok(['network', 'disconnect', b.name, ctr]);
    assert.deepEqual(ifaces(), ['eth0', 'lo'], `${what}: interface left after disconnect`);
    assert.deepEqual(
      ls(join(sb.runRoot, 'net', 'ipam', `berth-${bId.slice(0, 12)}`)).filter((f) => /^\d+\.\d+\.\d+\.\d+$/.test(f)),
      [],
      `${what}: lease left`,
    );
    sb.ok(['network', 'connect', b.name, ctr]);
    assert.deepEqual(ifaces(), ['eth0', 'eth1', 'lo'], what);
    made.noteVeths();
    sb.ok(['network', 'disconnect', b.name, ctr]);
  }
  process.stdout.write(`# connect: ${seen.join('; ')}\n`);
  sb.ok(['rm', '-f', ctr]);
  // conmon's exit command finishes on its own (its command lines name the sandbox's root)
  await waitFor('conmon and its exit command to finish', () => processesWith(sb.root).length === 0);
  sb.ok(['network', 'rm', a.name, b.name]);
  assert.deepEqual(hostSide(bId, b.dev), []);
});

test('finishing a killed rm spares a bridge another network has taken over since', async () => {
  // What a kill leaves when the next network command could not finish the removal before a new
  // network took the bridge name (the window is between two berth processes): a note of a dead
  // process for a network whose row is gone, naming a bridge that a live network now uses.
  const n = newNet('kd');
  const id = makeUsed(n);
  const dead = spawnSync('true').pid!; // a pid that has exited
  const gone = randomBytes(32).toString('hex');
  const dir = join(sb.runRoot, 'net', 'removing');
  mkdirSync(dir, { recursive: true });
  const rec = {
    ...(JSON.parse(sb.ok(['network', 'inspect', n.name]))[0] as object),
    id: gone,
    name: 'gone',
    driver: 'bridge',
    device: n.dev,
    subnet: '10.227.250.0/24',
  };
  writeFileSync(join(dir, `${dead}-${gone}.json`), JSON.stringify(rec));
  sb.ok(['network', 'ls']);
  assert.deepEqual(notes(), []);
  assert.ok(linkExists(n.dev), "the live network's bridge was removed");
  assertUsable(n);
  sb.ok(['network', 'rm', n.name]);
  assert.deepEqual(hostSide(id, n.dev), []);
});
