/**
 * Containers on networks with real traffic: --net modes, /etc files, --ip, live connect and
 * disconnect, names and aliases following every change, published ports reached from the host
 * over 127.0.0.1, release of addresses/veths/port rules, macvlan over a veth we create.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { busyboxTarball } from '../fixtures/busybox.js';
import {
  networkSandbox,
  addrOf,
  bridgePorts,
  canListen,
  devName,
  freePort,
  hostLinks,
  hostsLookup,
  httpGet,
  ifaces,
  inside,
  inspectJson,
  iptablesSave,
  linkExists,
  sh,
} from './network-util.js';

const mvParent = devName('btmva');
const mvPeer = devName('btmvb');
const { sb, made } = networkSandbox('berth-netrun', {
  afterDispose: () => {
    if (linkExists(mvParent)) sh('ip', ['link', 'del', mvParent]);
  },
});
before(() => {
  sb.ok(['import', '-c', 'EXPOSE 8080', '-c', 'CMD ["httpd", "-f", "-p", "8080", "-h", "/var/www"]', busyboxTarball(), 'web']);
});
after(() => assert.ok(!linkExists(mvPeer)));

const sleeper = (name: string, ...flags: string[]) => made.container(sb.ok(['run', '-d', '--name', name, ...flags, 'busybox', 'sleep', '300']));

test('--net none: only lo; --net host: the host stack; container:OTHER shares a stack', () => {
  assert.deepEqual(
    sb
      .ok(['run', '--rm', '--net', 'none', 'busybox', 'sh', '-c', 'ip -o link | cut -d: -f2'])
      .trim()
      .split('\n')
      .map((s) => s.trim()),
    ['lo'],
  );
  const host = new Set(hostLinks());
  const seen = sb
    .ok(['run', '--rm', '--network', 'host', 'busybox', 'sh', '-c', 'ip -o link | cut -d: -f2; hostname'])
    .trim()
    .split('\n')
    .map((s) => s.trim().split('@')[0]!);
  const hn = seen.pop();
  assert.equal(hn, sh('hostname', []).trim());
  // the host's own interfaces (its uplink, lo) and no netns of its own (other berth roots may add
  // and remove veths meanwhile, so not an exact comparison)
  const uplink = /dev (\S+)/.exec(sh('ip', ['route', 'show', 'default']))?.[1];
  for (const l of ['lo', ...(uplink ? [uplink] : [])]) assert.ok(seen.includes(l), `${l} not seen: ${seen.join(',')}`);
  // other tests running meanwhile (the side lane) add and remove veths and bridges: leave the
  // veths out, and count as the host's what it had before or has after
  for (const l of hostLinks()) host.add(l);
  const stable = seen.filter((l) => !l.startsWith('veth'));
  assert.ok(stable.filter((l) => host.has(l)).length >= stable.length - 2, `host interfaces seen: ${seen.join(',')}`);
  assert.equal(sb.ok(['run', '--rm', '--net=host', 'busybox', 'readlink', '/proc/self/ns/net']).trim(), sh('readlink', ['/proc/self/ns/net']).trim());
  // container:OTHER
  sleeper('stack-owner');
  const ns = inside(sb, 'stack-owner', 'readlink /proc/self/ns/net').trim();
  const addr = addrOf(sb, 'stack-owner', 'eth0');
  const out = sb.ok(['run', '--rm', '--net', 'container:stack-owner', 'busybox', 'sh', '-c', 'readlink /proc/self/ns/net; ip -o -4 addr show eth0']);
  assert.equal(out.split('\n')[0], ns);
  assert.ok(out.includes(`inet ${addr}`));
  const bad = sb.run(['run', '--rm', '--net', 'container:stack-owner', '-p', '8000:80', 'busybox', 'true']);
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /conflicting options/);
  const none = sb.run(['run', '--rm', '--net', 'no-such-net', 'busybox', 'true']);
  assert.notEqual(none.code, 0);
  assert.match(none.stderr, /network no-such-net not found/);
  made.noteVeths();
  sb.ok(['rm', '-f', 'stack-owner']);
});

test('eth0 + lo on a network; /etc/hosts, /etc/resolv.conf, hostname; --add-host, --dns, -h', () => {
  const br = devName('btet');
  made.network(sb.ok(['network', 'create', '--subnet', '10.219.30.0/24', '-o', `com.docker.network.bridge.name=${br}`, 'etcnet']), br);
  const id = sleeper(
    'etc-c',
    '--net',
    'etcnet',
    '--add-host',
    'db.example:10.219.99.5',
    '--add-host',
    'other=10.219.99.6',
    '--dns',
    '10.219.99.53',
    '-h',
    'myhost',
  );
  made.noteVeths();
  assert.deepEqual(ifaces(sb, 'etc-c'), ['eth0', 'lo']);
  assert.equal(inside(sb, 'etc-c', 'hostname').trim(), 'myhost');
  assert.equal(inside(sb, 'etc-c', 'cat /etc/hostname').trim(), 'myhost');
  const hosts = inside(sb, 'etc-c', 'cat /etc/hosts');
  assert.match(hosts, /^127\.0\.0\.1\s+localhost$/m);
  assert.match(hosts, /^10\.219\.99\.5\s+db\.example$/m);
  assert.match(hosts, /^10\.219\.99\.6\s+other$/m);
  assert.match(hosts, new RegExp(`^10\\.219\\.30\\.2\\s+myhost etc-c ${id.slice(0, 12)}$`, 'm'));
  assert.equal(
    inside(sb, 'etc-c', 'cat /etc/resolv.conf')
      .split('\n')
      .filter((l) => l.startsWith('nameserver'))
      .join(','),
    'nameserver 10.219.99.53',
  );
  assert.match(inside(sb, 'etc-c', 'ping -c1 -W1 myhost'), /PING myhost \(10\.219\.30\.2\)/);
  // defaults: hostname = short id, host's resolvers (no loopback ones)
  const d = made.container(sb.ok(['run', '-d', 'busybox', 'sleep', '300']));
  assert.equal(inside(sb, d, 'hostname').trim(), d.slice(0, 12));
  const resolv = inside(sb, d, 'cat /etc/resolv.conf');
  assert.match(resolv, /^nameserver /m);
  assert.doesNotMatch(resolv, /nameserver 127\./);
  assert.deepEqual(ifaces(sb, d), ['eth0', 'lo']);
  made.noteVeths();
  sb.ok(['rm', '-f', 'etc-c', d]);
});

test('--ip: the address given; refused outside the subnet, on the default bridge, when taken', () => {
  const br = devName('btip');
  made.network(
    sb.ok(['network', 'create', '--subnet', '10.219.31.0/24', '--ip-range', '10.219.31.0/28', '-o', `com.docker.network.bridge.name=${br}`, 'ipnet']),
    br,
  );
  sleeper('ip-a', '--net', 'ipnet', '--ip', '10.219.31.200');
  assert.equal(addrOf(sb, 'ip-a', 'eth0'), '10.219.31.200/24');
  assert.equal(inspectJson(sb, ['ip-a']).NetworkSettings.Networks.ipnet.IPAddress, '10.219.31.200');
  const taken = sb.run(['run', '-d', '--name', 'ip-b', '--net', 'ipnet', '--ip', '10.219.31.200', 'busybox', 'sleep', '300']);
  assert.notEqual(taken.code, 0);
  assert.match(taken.stderr, /Address already in use/);
  for (const [args, re] of [
    [['--net', 'ipnet', '--ip', '10.219.32.5'], /does not belong/],
    [['--ip', '10.219.31.9'], /user defined networks only/],
    [['--net', 'ipnet', '--ip', '10.219.31.1'], /already in use/],
  ] as [string[], RegExp][]) {
    const r = sb.run(['run', '-d', '--name', 'ip-bad', ...args, 'busybox', 'sleep', '300']);
    assert.notEqual(r.code, 0, args.join(' '));
    assert.match(r.stderr, re);
    sb.run(['rm', '-f', 'ip-bad']);
  }
  assert.equal(bridgePorts(br).length, 1, 'refused containers leave no veth');
  assert.deepEqual(sb.ok(['ps', '-aq']).trim().split('\n').filter(Boolean).length, 1);
  made.noteVeths();
  // create + start: the same as run
  made.container(sb.ok(['create', '--name', 'ip-cr', '--network', 'ipnet', '--ip', '10.219.31.201', 'busybox', 'sleep', '300']));
  sb.ok(['start', 'ip-cr']);
  assert.equal(addrOf(sb, 'ip-cr', 'eth0'), '10.219.31.201/24');
  made.noteVeths();
  sb.ok(['rm', '-f', 'ip-cr']);
  // stop/start and restart keep the fixed address
  sb.ok(['stop', '-t', '0', 'ip-a']);
  sb.ok(['start', 'ip-a']);
  assert.equal(addrOf(sb, 'ip-a', 'eth0'), '10.219.31.200/24');
  sb.ok(['restart', '-t', '0', 'ip-a']);
  assert.equal(addrOf(sb, 'ip-a', 'eth0'), '10.219.31.200/24');
  made.noteVeths();
  sb.ok(['rm', '-f', 'ip-a']);
});

test('connect/disconnect on a running container: interfaces at once, inspect agrees', () => {
  const b1 = devName('btcn');
  const b2 = devName('btcn');
  made.network(sb.ok(['network', 'create', '--subnet', '10.219.33.0/24', '-o', `com.docker.network.bridge.name=${b1}`, 'cn1']), b1);
  made.network(sb.ok(['network', 'create', '--subnet', '10.219.34.0/24', '-o', `com.docker.network.bridge.name=${b2}`, 'cn2']), b2);
  const id = sleeper('cn-c', '--net', 'cn1');
  sleeper('cn-peer', '--net', 'cn2');
  assert.deepEqual(ifaces(sb, 'cn-c'), ['eth0', 'lo']);
  sb.ok(['network', 'connect', '--ip', '10.219.34.77', '--alias', 'second', 'cn2', 'cn-c']);
  assert.deepEqual(ifaces(sb, 'cn-c'), ['eth0', 'eth1', 'lo']);
  assert.equal(addrOf(sb, 'cn-c', 'eth1'), '10.219.34.77/24');
  assert.match(inside(sb, 'cn-c', 'ping -c1 -W2 cn-peer'), /1 packets received/);
  made.noteVeths();
  let nets = inspectJson(sb, ['cn-c']).NetworkSettings.Networks;
  assert.deepEqual(Object.keys(nets).sort(), ['cn1', 'cn2']);
  assert.equal(nets.cn2.IPAddress, '10.219.34.77');
  assert.deepEqual(nets.cn2.Aliases, ['second']);
  assert.equal(nets.cn2.MacAddress, inside(sb, 'cn-c', 'cat /sys/class/net/eth1/address').trim());
  assert.equal(JSON.parse(sb.ok(['network', 'inspect', 'cn2']))[0].Containers[id].IPv4Address, '10.219.34.77/24');
  assert.match(sb.run(['network', 'connect', 'cn2', 'cn-c']).stderr, /already exists/);
  // ps reads every container's endpoints in one query: each row gets its own, in attach order
  const psNets = () => sb.ok(['ps', '-a', '-f', 'name=^cn-', '--format', '{{.Names}} {{.Networks}}']).trim().split('\n').sort();
  assert.deepEqual(psNets(), ['cn-c cn1,cn2', 'cn-peer cn2']);
  // the peer resolves the newcomer by name and alias at once
  assert.deepEqual(hostsLookup(sb, 'cn-peer', 'cn-c'), ['10.219.34.77']);
  assert.deepEqual(hostsLookup(sb, 'cn-peer', 'second'), ['10.219.34.77']);

  sb.ok(['network', 'disconnect', 'cn1', 'cn-c']);
  assert.deepEqual(ifaces(sb, 'cn-c'), ['eth1', 'lo']);
  nets = inspectJson(sb, ['cn-c']).NetworkSettings.Networks;
  assert.deepEqual(Object.keys(nets), ['cn2']);
  assert.equal(JSON.parse(sb.ok(['network', 'inspect', 'cn1']))[0].Containers[id], undefined);
  assert.equal(bridgePorts(b1).length, 0);
  assert.match(sb.run(['network', 'disconnect', 'cn1', 'cn-c']).stderr, /is not connected/);
  // -f too (dockerd: force undoes a connected endpoint whatever fails; not connected is an error)
  const forced = sb.run(['network', 'disconnect', '-f', 'cn1', 'cn-c']);
  assert.equal(forced.code, 1);
  assert.match(forced.stderr, /container [0-9a-f]{64} is not connected to network cn1/);
  // reconnect: the lowest free name again
  sb.ok(['network', 'connect', 'cn1', 'cn-c']);
  assert.deepEqual(ifaces(sb, 'cn-c'), ['eth0', 'eth1', 'lo']);
  assert.deepEqual(psNets(), ['cn-c cn2,cn1', 'cn-peer cn2']);
  assert.deepEqual(Object.keys(inspectJson(sb, ['cn-c']).NetworkSettings.Networks), ['cn2', 'cn1']);
  assert.match(addrOf(sb, 'cn-c', 'eth0'), /^10\.219\.33\.\d+\/24$/);
  made.noteVeths();
  // host/none cannot be connected; containers sharing another's stack cannot connect
  assert.match(sb.run(['network', 'connect', 'host', 'cn-c']).stderr, /host network/);
  // a stopped container: connect is remembered and applied at start
  sb.ok(['stop', '-t', '0', 'cn-peer']);
  sb.ok(['network', 'connect', 'cn1', 'cn-peer']);
  sb.ok(['start', 'cn-peer']);
  assert.deepEqual(ifaces(sb, 'cn-peer'), ['eth0', 'eth1', 'lo']);
  made.noteVeths();
  sb.ok(['rm', '-f', 'cn-c', 'cn-peer']);
  assert.deepEqual([...bridgePorts(b1), ...bridgePorts(b2)], []);
  sb.ok(['network', 'rm', 'cn1', 'cn2']);
});

test('names and aliases: shared alias, connect, disconnect, rename, stop and start', () => {
  const br = devName('btdn');
  made.network(sb.ok(['network', 'create', '--subnet', '10.219.35.0/24', '-o', `com.docker.network.bridge.name=${br}`, 'dnet']), br);
  sleeper('dn-a', '--net', 'dnet', '--net-alias', 'svc');
  sleeper('dn-b', '--net', 'dnet', '--network-alias', 'svc', '--network-alias', 'bee');
  sleeper('dn-c', '--net', 'dnet');
  const ipA = addrOf(sb, 'dn-a', 'eth0').split('/')[0]!;
  const ipB = addrOf(sb, 'dn-b', 'eth0').split('/')[0]!;
  made.noteVeths();
  assert.deepEqual(hostsLookup(sb, 'dn-c', 'svc'), [ipA, ipB].sort());
  assert.deepEqual(hostsLookup(sb, 'dn-c', 'dn-b'), [ipB]);
  assert.deepEqual(hostsLookup(sb, 'dn-c', 'bee'), [ipB]);
  assert.match(inside(sb, 'dn-c', 'ping -c1 -W2 dn-a'), new RegExp(`PING dn-a \\(${ipA.replace(/\./g, '\\.')}\\).*\\n.*bytes from`));
  assert.match(inside(sb, 'dn-c', 'ping -c1 -W2 bee'), /1 packets received/);
  assert.match(inside(sb, 'dn-a', 'ping -c1 -W2 dn-c'), /1 packets received/);
  // the default bridge has no name resolution (as docker)
  const plain = made.container(sb.ok(['run', '-d', 'busybox', 'sleep', '300']));
  assert.deepEqual(hostsLookup(sb, plain, 'dn-a'), []);
  // disconnect: gone from everyone's view, the shared alias keeps the other holder
  sb.ok(['network', 'disconnect', 'dnet', 'dn-a']);
  assert.deepEqual(hostsLookup(sb, 'dn-c', 'svc'), [ipB]);
  assert.deepEqual(hostsLookup(sb, 'dn-c', 'dn-a'), []);
  assert.notEqual(sb.run(['exec', 'dn-c', 'ping', '-c1', '-W1', 'dn-a']).code, 0);
  // connect with a new alias
  sb.ok(['network', 'connect', '--alias', 'svc', '--alias', 'ay', 'dnet', 'dn-a']);
  const ipA2 = addrOf(sb, 'dn-a', 'eth0').split('/')[0]!;
  assert.deepEqual(hostsLookup(sb, 'dn-c', 'svc'), [ipA2, ipB].sort());
  assert.deepEqual(hostsLookup(sb, 'dn-c', 'ay'), [ipA2]);
  assert.deepEqual(hostsLookup(sb, 'dn-a', 'dn-c'), hostsLookup(sb, 'dn-b', 'dn-c'));
  made.noteVeths();
  // rename
  sb.ok(['rename', 'dn-b', 'dn-bee']);
  assert.deepEqual(hostsLookup(sb, 'dn-c', 'dn-bee'), [ipB]);
  assert.deepEqual(hostsLookup(sb, 'dn-c', 'dn-b'), []);
  assert.match(inside(sb, 'dn-c', 'ping -c1 -W2 dn-bee'), /1 packets received/);
  // stop: out; start: back (with whatever address it gets now)
  sb.ok(['stop', '-t', '0', 'dn-bee']);
  assert.deepEqual(hostsLookup(sb, 'dn-c', 'dn-bee'), []);
  assert.deepEqual(hostsLookup(sb, 'dn-c', 'svc'), [ipA2]);
  sb.ok(['start', 'dn-bee']);
  const ipB2 = addrOf(sb, 'dn-bee', 'eth0').split('/')[0]!;
  assert.deepEqual(hostsLookup(sb, 'dn-c', 'dn-bee'), [ipB2]);
  assert.deepEqual(hostsLookup(sb, 'dn-c', 'svc'), [ipA2, ipB2].sort());
  assert.match(inside(sb, 'dn-bee', 'ping -c1 -W2 dn-c'), /1 packets received/);
  made.noteVeths();
  sb.ok(['rm', '-f', 'dn-a', 'dn-bee', 'dn-c', plain]);
  sb.ok(['network', 'rm', 'dnet']);
});

test('published ports: httpd reached on 127.0.0.1; -P with EXPOSE; /udp; released by stop and rm', async () => {
  const [p1, p2, pu] = [await freePort(), await freePort(), await freePort()];
  const web = made.container(
    sb.ok([
      'run',
      '-d',
      '--name',
      'web1',
      '-p',
      `${p1}:80`,
      '-p',
      `127.0.0.1:${p2}:80`,
      '-p',
      `${pu}:5353/udp`,
      'busybox',
      'httpd',
      '-f',
      '-p',
      '80',
      '-h',
      '/var/www',
    ]),
  );
  made.noteVeths();
  assert.equal(await httpGet(p1), 'hello from berth\n');
  assert.equal(await httpGet(p2), 'hello from berth\n');
  const ports = inspectJson(sb, ['web1']).NetworkSettings.Ports;
  assert.deepEqual(ports['80/tcp'].map((b: { HostPort: string }) => b.HostPort).sort(), [String(p1), String(p2)].sort());
  assert.ok(ports['80/tcp'].some((b: { HostIp: string }) => b.HostIp === '127.0.0.1'));
  assert.equal(ports['5353/udp'][0].HostPort, String(pu));
  assert.match(sb.ok(['ps', '--format', '{{.Ports}}']), new RegExp(`${p1}->80/tcp`));
  assert.ok(iptablesSave().includes(`--dport ${pu} `), 'udp DNAT rule');
  // a second container cannot take the same host port
  const clash = sb.run(['run', '-d', '--name', 'web-clash', '-p', `${p1}:80`, 'busybox', 'sleep', '300']);
  assert.notEqual(clash.code, 0);
  assert.match(clash.stderr, /port is already allocated/);
  sb.run(['rm', '-f', 'web-clash']);
  // -P publishes the image's EXPOSEd port on a free host port
  const w2 = made.container(sb.ok(['run', '-d', '--name', 'web2', '-P', 'web']));
  const b = inspectJson(sb, ['web2']).NetworkSettings.Ports['8080/tcp'];
  assert.ok(b?.length, 'EXPOSE 8080 published');
  assert.equal(await httpGet(Number(b[0].HostPort)), 'hello from berth\n');
  made.noteVeths();
  // stop releases the rules and the host port; start publishes again
  sb.ok(['stop', '-t', '0', 'web1']);
  assert.ok(!iptablesSave().includes(`--dport ${p1} `), 'stop removes the DNAT rule');
  assert.ok(!iptablesSave().includes(web.slice(0, 12)), 'stop removes every rule of the container');
  sb.ok(['start', 'web1']);
  assert.equal(await httpGet(p1), 'hello from berth\n');
  made.noteVeths();
  // rm releases address, veth and port rules; the port can be taken again
  const veths = bridgePorts(sb.bridge).length;
  sb.ok(['rm', '-f', 'web1', w2]);
  assert.equal(bridgePorts(sb.bridge).length, veths - 2);
  const save = iptablesSave();
  for (const p of [p1, p2, pu]) assert.ok(!save.includes(`--dport ${p} `), `rule for ${p} left`);
  assert.ok(!save.includes(web.slice(0, 12)) && !save.includes(w2.slice(0, 12)));
  assert.ok(await canListen(p1));
  const again = made.container(sb.ok(['run', '-d', '--name', 'web3', '-p', `${p1}:80`, 'busybox', 'httpd', '-f', '-p', '80', '-h', '/var/www']));
  assert.equal(await httpGet(p1), 'hello from berth\n');
  made.noteVeths();
  sb.ok(['rm', '-f', again]);
  assert.ok(!iptablesSave().includes(`--dport ${p1} `));
});

test('macvlan over a veth parent: own MAC and address, neighbours reachable', () => {
  sh('ip', ['link', 'add', mvParent, 'type', 'veth', 'peer', 'name', mvPeer]);
  sh('ip', ['link', 'set', mvParent, 'up']);
  sh('ip', ['link', 'set', mvPeer, 'up']);
  const bad = sb.run(['network', 'create', '-d', 'macvlan', '-o', `parent=${mvParent}`, '-o', 'macvlan_mode=bogus', '--subnet', '10.219.36.0/24', 'mvbad']);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /macvlan mode 'bogus' is not valid/);
  const id = made.network(
    sb.ok(['network', 'create', '-d', 'macvlan', '-o', `parent=${mvParent}`, '-o', 'macvlan_mode=bridge', '--subnet', '10.219.36.0/24', 'mv']),
  );
  const doc = JSON.parse(sb.ok(['network', 'inspect', 'mv']))[0];
  assert.equal(doc.Driver, 'macvlan');
  assert.equal(doc.Options.parent, mvParent);
  assert.equal(doc.Options.macvlan_mode, 'bridge');
  const a = sleeper('mv-a', '--net', 'mv', '--ip', '10.219.36.10');
  sleeper('mv-b', '--net', 'mv');
  assert.deepEqual(ifaces(sb, 'mv-a'), ['eth0', 'lo']);
  const mac = inside(sb, 'mv-a', 'cat /sys/class/net/eth0/address').trim();
  assert.notEqual(mac, sh('cat', [`/sys/class/net/${mvParent}/address`]).trim());
  assert.equal(JSON.parse(sb.ok(['network', 'inspect', 'mv']))[0].Containers[a].MacAddress, mac);
  assert.equal(addrOf(sb, 'mv-a', 'eth0'), '10.219.36.10/24');
  assert.match(inside(sb, 'mv-b', 'ping -c1 -W2 mv-a'), /1 packets received/);
  assert.match(inside(sb, 'mv-a', 'ip route'), /default via 10\.219\.36\.1/);
  sb.ok(['rm', '-f', 'mv-a', 'mv-b']);
  sb.ok(['network', 'rm', id]);
  assert.ok(linkExists(mvParent), 'network rm never deletes the parent');
  sh('ip', ['link', 'del', mvParent]);
});
