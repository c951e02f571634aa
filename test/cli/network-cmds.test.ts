/**
 * `berth network ls|create|inspect|rm|prune` on a real host: docker's columns and JSON, the
 * built-in networks, addresses exactly as configured, automatic subnets, refused input that
 * leaves nothing behind, --internal, -o options and labels. Containers only where an address
 * or a device has to be proved.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Sandbox } from '../helpers/berth.js';
import { busyboxTarball } from '../fixtures/busybox.js';
import { networkSandbox, addrOf, bridgePorts, devName, iptablesSave, linkExists, inside, sh } from './network-util.js';

const { sb, made } = networkSandbox('berth-netcmd');

const parseCidr = (s: string) => {
  const [ip, p] = s.split('/');
  const n = ip!.split('.').reduce((a, o) => a * 256 + Number(o), 0);
  const prefix = Number(p ?? 32);
  const size = 2 ** (32 - prefix);
  return { start: n - (n % size), end: n - (n % size) + size - 1 };
};
const overlap = (a: string, b: string) => {
  const x = parseCidr(a);
  const y = parseCidr(b);
  return x.start <= y.end && y.start <= x.end;
};
const ids = () => sb.ok(['network', 'ls', '-q']).trim().split('\n').sort();

test('ls: columns, -q, --format json; bridge/host/none always exist and cannot be removed', () => {
  const lines = sb.ok(['network', 'ls']).trim().split('\n');
  assert.match(lines[0]!, /^NETWORK ID\s+NAME\s+DRIVER\s+SCOPE$/);
  const rows = lines.slice(1).map((l) => l.split(/\s+/));
  assert.deepEqual(rows.map((r) => r[1]).sort(), ['bridge', 'host', 'none']);
  for (const r of rows) assert.match(r[0]!, /^[a-f0-9]{12}$/);
  assert.deepEqual(Object.fromEntries(rows.map((r) => [r[1], [r[2], r[3]]])), {
    bridge: ['bridge', 'local'],
    host: ['host', 'local'],
    none: ['null', 'local'],
  });
  assert.deepEqual(ids(), rows.map((r) => r[0]).sort());
  const json = sb
    .ok(['network', 'ls', '--format', 'json'])
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  assert.deepEqual(json.map((j) => j.Name).sort(), ['bridge', 'host', 'none']);
  for (const j of json) {
    assert.match(j.ID, /^[a-f0-9]{12}$/);
    assert.equal(j.Scope, 'local');
    assert.ok(['bridge', 'host', 'null'].includes(j.Driver));
  }
  for (const n of ['bridge', 'host', 'none']) {
    const r = sb.run(['network', 'rm', n]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, new RegExp(`${n} is a pre-defined network and cannot be removed`));
  }
  sb.ok(['network', 'prune', '-f']);
  assert.deepEqual(sb.ok(['network', 'ls', '--format', '{{.Name}}']).trim().split('\n').sort(), ['bridge', 'host', 'none']);
  // the default bridge: docker's JSON, 172.17-style subnet that no host route overlaps
  const doc = JSON.parse(sb.ok(['network', 'inspect', 'bridge']))[0];
  assert.equal(doc.Name, 'bridge');
  assert.equal(doc.Driver, 'bridge');
  assert.equal(doc.Options['com.docker.network.bridge.name'], sb.bridge);
  assert.match(doc.IPAM.Config[0].Subnet, /^(172\.(1[7-9]|2\d|3[01])\.0\.0\/16|192\.168\.\d+\.0\/20)$/);
});

test('default bridge hands out addresses in order from its subnet; the gateway is on the bridge', () => {
  const a = made.container(sb.ok(['run', '-d', 'busybox', 'sleep', '60']));
  const b = made.container(sb.ok(['run', '-d', 'busybox', 'sleep', '60']));
  const cfg = JSON.parse(sb.ok(['network', 'inspect', 'bridge']))[0].IPAM.Config[0];
  const base = cfg.Subnet.split('/')[0].split('.').slice(0, 3).join('.');
  assert.equal(cfg.Gateway, `${base}.1`);
  assert.equal(addrOf(sb, a, 'eth0'), `${base}.2/${cfg.Subnet.split('/')[1]}`);
  assert.equal(addrOf(sb, b, 'eth0'), `${base}.3/${cfg.Subnet.split('/')[1]}`);
  // the subnet's route belongs to our own bridge and nothing else on the host
  const routes = sh('ip', ['-4', 'route', 'show', cfg.Subnet]).trim().split('\n');
  assert.equal(routes.length, 1, `one route for ${cfg.Subnet}: ${routes.join(' | ')}`);
  assert.match(routes[0]!, new RegExp(`dev ${sb.bridge} `));
  assert.match(inside(sb, a, 'ip route'), new RegExp(`default via ${cfg.Gateway} dev eth0`));
  // Two more state roots on this host (another berth, another test): both plan their default
  // bridge before either made it, so both picked the same free subnet; the second to make its
  // bridge finds the route taken and moves to another one.
  const others = [new Sandbox('berth-netcmd2'), new Sandbox('berth-netcmd3')];
  try {
    const subnetOf = (o: Sandbox) => JSON.parse(o.ok(['network', 'inspect', 'bridge']))[0].IPAM.Config[0].Subnet as string;
    for (const o of others) assert.ok(!overlap(subnetOf(o), cfg.Subnet), `${subnetOf(o)} overlaps ${cfg.Subnet}`);
    const addrs = others.map((o) => {
      o.ok(['import', busyboxTarball(), 'busybox']);
      return o.ok(['run', '--rm', 'busybox', 'sh', '-c', 'ip -o -4 addr show eth0']).match(/inet ([0-9.]+)\//)![1]!;
    });
    const [s2, s3] = others.map(subnetOf) as [string, string];
    assert.ok(!overlap(s2, s3), `${s2} overlaps ${s3}`);
    assert.ok(overlap(s2, `${addrs[0]}/32`) && overlap(s3, `${addrs[1]}/32`), 'containers got addresses of the final subnets');
    for (const [o, s] of [
      [others[0]!, s2],
      [others[1]!, s3],
    ] as const) {
      assert.match(sh('ip', ['-4', 'route', 'show', s]), new RegExp(`dev ${o.bridge} `));
    }
  } finally {
    for (const o of others) o.dispose();
  }
  for (const o of others) assert.ok(!linkExists(o.bridge));
  made.noteVeths();
  sb.ok(['rm', '-f', a, b]);
  assert.deepEqual(bridgePorts(sb.bridge), []);
});

test('create with --subnet/--ip-range/--gateway: exactly those addresses; inspect is docker JSON', () => {
  const br = devName('btc');
  const id = made.network(
    sb.ok([
      'network',
      'create',
      '--driver=bridge',
      '--subnet=10.219.1.0/24',
      '--ip-range=10.219.1.64/30',
      '--gateway=10.219.1.254',
      '-o',
      `com.docker.network.bridge.name=${br}`,
      '--label',
      'team=net',
      '--label',
      'bare',
      'custom1',
    ]),
    br,
  );
  assert.match(id, /^[a-f0-9]{64}$/);
  assert.ok(!linkExists(br), 'no bridge before a container uses the network');
  const c1 = made.container(sb.ok(['run', '-d', '--name', 'cust-one', '--net', 'custom1', 'busybox', 'sleep', '60']));
  const c2 = made.container(sb.ok(['run', '-d', '--name', 'cust-two', '--network', 'custom1', 'busybox', 'sleep', '60']));
  assert.equal(addrOf(sb, c1, 'eth0'), '10.219.1.64/24');
  assert.equal(addrOf(sb, c2, 'eth0'), '10.219.1.65/24');
  assert.match(inside(sb, c1, 'ip route'), /default via 10\.219\.1\.254 dev eth0/);
  assert.match(sh('ip', ['-o', '-4', 'addr', 'show', br]), /inet 10\.219\.1\.254\/24/);
  assert.equal(bridgePorts(br).length, 2);
  made.noteVeths();
  const doc = JSON.parse(sb.ok(['network', 'inspect', 'custom1']))[0];
  assert.equal(doc.Name, 'custom1');
  assert.equal(doc.Id, id);
  assert.equal(doc.Driver, 'bridge');
  assert.equal(doc.Scope, 'local');
  assert.equal(doc.Internal, false);
  assert.deepEqual(doc.IPAM.Config, [{ Subnet: '10.219.1.0/24', IPRange: '10.219.1.64/30', Gateway: '10.219.1.254' }]);
  assert.equal(doc.Options['com.docker.network.bridge.name'], br);
  assert.deepEqual(doc.Labels, { team: 'net', bare: '' });
  const mac1 = inside(sb, c1, 'cat /sys/class/net/eth0/address').trim();
  assert.deepEqual(doc.Containers[c1], {
    Name: 'cust-one',
    EndpointID: doc.Containers[c1].EndpointID,
    MacAddress: mac1,
    IPv4Address: '10.219.1.64/24',
    IPv6Address: '',
  });
  assert.equal(doc.Containers[c2].IPv4Address, '10.219.1.65/24');
  // the same through a template, and by id prefix
  assert.equal(sb.ok(['network', 'inspect', '-f', '{{.Name}} {{.Driver}}', id.slice(0, 10)]).trim(), 'custom1 bridge');
  // labels filter
  assert.deepEqual(sb.ok(['network', 'ls', '--filter', 'label=team=net', '--format', '{{.Name}}']).trim().split('\n'), ['custom1']);
  // the ip-range holds 4 addresses (.64-.67): a full range is refused and leaves nothing behind
  const c3 = made.container(sb.ok(['run', '-d', '--net', 'custom1', 'busybox', 'sleep', '60']));
  const c4 = made.container(sb.ok(['run', '-d', '--net', 'custom1', 'busybox', 'sleep', '60']));
  const full = sb.run(['run', '-d', '--name', 'cust-full', '--net', 'custom1', 'busybox', 'sleep', '60']);
  assert.notEqual(full.code, 0);
  assert.match(full.stderr, /no IP addresses available|range/i);
  sb.run(['rm', '-f', 'cust-full']);
  assert.equal(bridgePorts(br).length, 4);
  // a removed container's address is handed out again
  sb.ok(['rm', '-f', c1]);
  const c5 = made.container(sb.ok(['run', '-d', '--net', 'custom1', 'busybox', 'sleep', '60']));
  assert.equal(addrOf(sb, c5, 'eth0'), '10.219.1.64/24');
  made.noteVeths();
  // rm is refused while in use, and nothing changes
  const r = sb.run(['network', 'rm', 'custom1']);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /has active endpoints/);
  assert.ok(linkExists(br));
  sb.ok(['rm', '-f', c2, c3, c4, c5]);
  assert.deepEqual(bridgePorts(br), []);
  // the "rules are in place" mark that spares iptables-save on every attach goes with the network
  const marks = () => readdirSync(join(sb.runRoot, 'net', 'rules')).filter((f) => f.startsWith(id.slice(0, 12)));
  assert.equal(marks().length, 1);
  sb.ok(['network', 'rm', 'custom1']);
  assert.deepEqual(marks(), []);
  assert.ok(!linkExists(br), 'network rm removes the bridge');
  assert.ok(!iptablesSave().includes(`berth-${id.slice(0, 12)}`), 'network rm removes its rules');
  assert.ok(!ids().includes(id.slice(0, 12)));
});

test('automatic subnets overlap neither each other, nor host routes, nor explicit ones', () => {
  made.network(sb.ok(['network', 'create', '--subnet', '10.219.2.0/24', 'auto-fixed']));
  // Routes present all the while the networks are planned (other berth roots on this host make
  // and remove bridges meanwhile; one made later is dealt with when our bridge is made: see the
  // default bridge test).
  const hostRoutes = () =>
    sh('ip', ['-4', 'route', 'show', 'table', 'main'])
      .split('\n')
      .map((l) => l.split(' ')[0]!)
      .filter((d) => /^\d/.test(d));
  const before = hostRoutes();
  const subs = ['auto-a', 'auto-b', 'auto-c'].map((n) => {
    made.network(sb.ok(['network', 'create', n]));
    return JSON.parse(sb.ok(['network', 'inspect', n]))[0].IPAM.Config[0].Subnet as string;
  });
  subs.push(JSON.parse(sb.ok(['network', 'inspect', 'bridge']))[0].IPAM.Config[0].Subnet, '10.219.2.0/24');
  for (let i = 0; i < subs.length; i++) for (let j = i + 1; j < subs.length; j++) assert.ok(!overlap(subs[i]!, subs[j]!), `${subs[i]} overlaps ${subs[j]}`);
  const routes = hostRoutes().filter((r) => before.includes(r));
  for (const s of subs.slice(0, 3)) for (const r of routes) assert.ok(!overlap(s, r.includes('/') ? r : `${r}/32`), `${s} overlaps host route ${r}`);
  sb.ok(['network', 'rm', 'auto-a', 'auto-b', 'auto-c', 'auto-fixed']);
});

test('bad input: a clear error, exit 1, and nothing created (no row, no bridge)', () => {
  made.network(sb.ok(['network', 'create', '--subnet', '10.219.3.0/24', 'base3']));
  const before = ids();
  const br = devName('btbad');
  const cases: [string[], RegExp][] = [
    [['--subnet', '10.219.3.128/25'], /overlaps/i],
    [['--subnet', '10.219.0.0/16'], /overlaps/i],
    [['--subnet', '10.219.4.0/33'], /invalid subnet/i],
    [['--subnet', '10.219.4.1/24'], /invalid subnet.*10\.219\.4\.0\/24/i],
    [['--subnet', 'banana'], /invalid subnet/i],
    [['--subnet', '10.219.4.0/24', '--gateway', '10.219.5.1'], /no matching subnet for gateway/i],
    [['--subnet', '10.219.4.0/24', '--gateway', '10.219.4.300'], /invalid gateway/i],
    [['--subnet', '10.219.4.0/24', '--ip-range', '10.219.5.0/25'], /no matching subnet for range/i],
    [['--subnet', '10.219.4.0/24', '--ip-range', '10.219.4.0/23'], /no matching subnet for range/i],
    [['--gateway', '10.219.4.1'], /subnet/i],
    [['-d', 'macvlan', '-o', 'parent=btnosuchif0'], /parent interface was not found/i],
    [['-d', 'macvlan'], /parent=IFACE is required/i],
    [['-d', 'overlay'], /plugin "overlay" not found/i],
    [['-o', 'com.docker.network.driver.mtu=12'], /invalid MTU/i],
  ];
  for (const [args, re] of cases) {
    const r = sb.run(['network', 'create', ...args, '-o', `com.docker.network.bridge.name=${br}`, 'badnet']);
    assert.equal(r.code, 1, `${args.join(' ')} should fail: ${r.stdout}`);
    assert.match(r.stderr, re, args.join(' '));
    assert.equal(r.stderr.trim().split('\n').length, 1, `one line: ${r.stderr}`);
    assert.equal(r.stdout, '');
    assert.ok(!linkExists(br));
  }
  assert.deepEqual(ids(), before, 'a refused create made a network');
  const dup = sb.run(['network', 'create', 'base3']);
  assert.equal(dup.code, 1);
  assert.match(dup.stderr, /already exists/);
  const badName = sb.run(['network', 'create', '  ']);
  assert.equal(badName.code, 1);
  assert.match(badName.stderr, /invalid name: /);
  // the bridge name of another network is refused too
  const sameBr = sb.run(['network', 'create', '-o', `com.docker.network.bridge.name=${sb.bridge}`, 'samebr']);
  assert.notEqual(sameBr.code, 0);
  assert.match(sameBr.stderr, /already used/);
  assert.deepEqual(ids(), before);
  sb.ok(['network', 'rm', 'base3']);
});

test('--internal: no default route, no masquerade, neighbours still reachable; -o mtu', () => {
  const br = devName('btint');
  const id = made.network(
    sb.ok([
      'network',
      'create',
      '--internal',
      '--subnet',
      '10.219.6.0/24',
      '-o',
      `com.docker.network.bridge.name=${br}`,
      '-o',
      'com.docker.network.driver.mtu=1400',
      'inner',
    ]),
    br,
  );
  const doc = JSON.parse(sb.ok(['network', 'inspect', 'inner']))[0];
  assert.equal(doc.Internal, true);
  assert.equal(doc.Options['com.docker.network.driver.mtu'], '1400');
  assert.equal(sb.ok(['network', 'ls', '--filter', 'name=inner', '--format', '{{.Internal}}']).trim(), 'true');
  const a = made.container(sb.ok(['run', '-d', '--name', 'in-a', '--net', 'inner', 'busybox', 'sleep', '60']));
  made.container(sb.ok(['run', '-d', '--name', 'in-b', '--net', 'inner', 'busybox', 'sleep', '60']));
  made.noteVeths();
  const routes = inside(sb, a, 'ip route');
  assert.doesNotMatch(routes, /default/);
  assert.match(routes, /10\.219\.6\.0\/24 dev eth0/);
  assert.match(inside(sb, a, 'cat /sys/class/net/eth0/mtu'), /^1400/);
  assert.match(inside(sb, a, 'ping -c1 -W2 in-b'), /1 packets received/);
  const save = iptablesSave();
  assert.ok(!save.split('\n').some((l) => l.includes('10.219.6.0/24') && l.includes('MASQUERADE')), 'no masquerade for an internal network');
  assert.ok(save.includes(`name: \\"berth-${id.slice(0, 12)}\\" internal`), 'isolation rules for the internal network');
  sb.ok(['rm', '-f', 'in-a', 'in-b']);
  sb.ok(['network', 'rm', 'inner']);
  assert.ok(!linkExists(br));
});

test('prune removes unused user networks only', () => {
  made.network(sb.ok(['network', 'create', '--subnet', '10.219.7.0/24', 'pr-unused1']));
  made.network(sb.ok(['network', 'create', '--subnet', '10.219.8.0/24', 'pr-unused2']));
  const br = devName('btpr');
  made.network(sb.ok(['network', 'create', '--subnet', '10.219.9.0/24', '-o', `com.docker.network.bridge.name=${br}`, 'pr-used']), br);
  made.container(sb.ok(['run', '-d', '--name', 'pr-c', '--net', 'pr-used', 'busybox', 'sleep', '60']));
  made.noteVeths();
  const out = sb.ok(['network', 'prune', '-f']);
  assert.match(out, /^Deleted Networks:\n/);
  assert.deepEqual(out.trim().split('\n').slice(1).sort(), ['pr-unused1', 'pr-unused2']);
  assert.deepEqual(sb.ok(['network', 'ls', '--format', '{{.Name}}']).trim().split('\n').sort(), ['bridge', 'host', 'none', 'pr-used']);
  assert.ok(linkExists(br));
  sb.ok(['rm', '-f', 'pr-c']);
  assert.equal(sb.ok(['network', 'prune', '-f']).trim(), 'Deleted Networks:\npr-used');
  assert.ok(!linkExists(br));
});
