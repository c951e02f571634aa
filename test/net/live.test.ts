/**
 * Live networking: real netns, bridges, veths, CNI plugins and traffic (only to 127.0.0.1, the
 * test's own bridges and the test's own netns). Unique subnets and device names per run;
 * everything is removed in `after`, also on failure.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type Attachment,
  type NetPaths,
  type NetworkRecord,
  type ResolverContainer,
  attach,
  cleanupContainer,
  cniName,
  createNetns,
  deleteNetns,
  detach,
  overlaps,
  parseCidr,
  hostRoutes,
  inNetns,
  leftoverNetns,
  listNetns,
  netPaths,
  planNetwork,
  removeNetworkHost,
  removeOrphanNetns,
  removeSharedChainsIfUnused,
  setupSandbox,
  teardownSandbox,
  resolvePorts,
  syncHostsFiles,
} from '../../src/net/index.js';
import { run } from '../../src/net/exec.js';
import type { Cidr } from '../../src/net/ipv4.js';

const uniq = randomBytes(3).toString('hex');
const id = (n: number) => `${uniq}${String(n).padStart(2, '0')}`.padEnd(64, 'e');
let root = '';
let paths: NetPaths;
const nets: Record<string, NetworkRecord> = {};
const atts = new Map<string, Attachment>(); // `${ctr}/${net}`
const procs: ChildProcess[] = [];
const veth = { parent: `mvp${uniq}`, peer: `mvq${uniq}` };
const timings = { attach: [] as number[], detach: [] as number[], netnsAdd: [] as number[], netnsDel: [] as number[] };
const hadSharedChains = { nat: false, filter: false };

async function iptablesSave(): Promise<string> {
  return (await run('iptables-save', [])).stdout;
}

/** /24s under 10.200-249 that no host route and no other test network overlaps. */
async function freeSubnets(n: number): Promise<string[]> {
  const used: Cidr[] = await hostRoutes();
  const out: string[] = [];
  while (out.length < n) {
    const s = `10.${200 + Math.floor(Math.random() * 50)}.${Math.floor(Math.random() * 256)}.0/24`;
    const c = parseCidr(s)!;
    if (used.some((u) => overlaps(u, c))) continue;
    used.push(c);
    out.push(s);
  }
  return out;
}

async function connect(ctr: number, net: string, o: { ip?: string; aliases?: string[]; ports?: Attachment['ports'] } = {}): Promise<Attachment> {
  const t0 = performance.now();
  const a = await attach(paths, nets[net]!, {
    containerId: id(ctr),
    netns: join(root, 'run', 'netns', id(ctr).slice(0, 12)),
    ...(o.ip ? { fixedIp: o.ip } : {}),
    takenIps: [...atts.values()].filter((x) => x.networkId === nets[net]!.id).map((x) => x.ip),
    aliases: o.aliases ?? [],
    ports: o.ports ?? [],
  });
  timings.attach.push(performance.now() - t0);
  atts.set(`${ctr}/${net}`, a);
  return a;
}

async function disconnect(ctr: number, net: string): Promise<void> {
  const a = atts.get(`${ctr}/${net}`);
  if (!a) return;
  const t0 = performance.now();
  await detach(paths, nets[net]!, a);
  timings.detach.push(performance.now() - t0);
  atts.delete(`${ctr}/${net}`);
}

async function newNetns(ctr: number): Promise<string> {
  const t0 = performance.now();
  const p = await createNetns(paths, id(ctr));
  timings.netnsAdd.push(performance.now() - t0);
  return p;
}
const ns = (ctr: number) => join(root, 'run', 'netns', id(ctr).slice(0, 12));
const ping = (from: number, ip: string) => inNetns(ns(from), ['busybox', 'ping', '-c', '1', '-W', '2', ip], { allowFail: true });

async function addrsIn(ctr: number): Promise<{ ifname: string; addr: string[]; mac: string }[]> {
  const r = await inNetns(ns(ctr), ['ip', '-j', '-4', 'addr', 'show']);
  const links = JSON.parse(r.stdout) as { ifname: string; address?: string; addr_info: { local: string; prefixlen: number }[] }[];
  const l2 = JSON.parse((await inNetns(ns(ctr), ['ip', '-j', 'link', 'show'])).stdout) as { ifname: string; address: string }[];
  return links.map((l) => ({
    ifname: l.ifname,
    addr: l.addr_info.map((a) => `${a.local}/${a.prefixlen}`),
    mac: l2.find((x) => x.ifname === l.ifname)?.address ?? '',
  }));
}

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'berth-net-live-'));
  paths = netPaths(join(root, 'run'));
  const save = await iptablesSave();
  hadSharedChains.nat = save.includes(':CNI-HOSTPORT-DNAT');
  hadSharedChains.filter = save.includes(':CNI-FORWARD');
  const [sa, sb, sm, si] = await freeSubnets(4);
  const base = sa!.slice(0, -5); // "10.x.y"
  const ctx = (existing: NetworkRecord[]) => ({ existing, hostRoutes: [] });
  nets.a = planNetwork(
    {
      name: `a${uniq}`,
      ipam: [{ subnet: sa!, ipRange: `${base}.64/26`, gateway: `${base}.254` }],
      options: { 'com.docker.network.bridge.name': `bta${uniq}` },
    },
    ctx([]),
  );
  nets.b = planNetwork({ name: `b${uniq}`, ipam: [{ subnet: sb! }], options: { 'com.docker.network.bridge.name': `btb${uniq}` } }, ctx([nets.a]));
  nets.i = planNetwork(
    { name: `i${uniq}`, internal: true, ipam: [{ subnet: si! }], options: { 'com.docker.network.bridge.name': `bti${uniq}` } },
    ctx([nets.a, nets.b]),
  );
  await run('ip', ['link', 'add', veth.parent, 'type', 'veth', 'peer', 'name', veth.peer]);
  await run('ip', ['link', 'set', veth.parent, 'up']);
  await run('ip', ['link', 'set', veth.peer, 'up']);
  nets.m = planNetwork({ name: `m${uniq}`, driver: 'macvlan', ipam: [{ subnet: sm! }], options: { parent: veth.parent } }, ctx([nets.a, nets.b]));
});

after(async () => {
  for (const p of procs)
    if (p.pid && p.exitCode === null && p.signalCode === null)
      try {
        process.kill(p.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
  for (const [k, a] of atts) {
    const net = Object.values(nets).find((n) => n.id === a.networkId);
    if (net) await detach(paths, net, a).catch(() => {});
    atts.delete(k);
  }
  for (const k of listNetns(paths)) await removeOrphanNetns(paths, k).catch(() => {});
  for (const n of Object.values(nets)) await removeNetworkHost(paths, n).catch(() => {});
  await run('ip', ['link', 'del', veth.parent], { allowFail: true }).catch(() => {});
  // Shared CNI chains: only when this test made them and nothing else uses them now.
  if (!hadSharedChains.nat || !hadSharedChains.filter) await removeSharedChainsIfUnused().catch(() => {});
  rmSync(root, { recursive: true, force: true });
});

test('custom subnet, ip-range and gateway; addresses in order from the range; MAC and interface', async () => {
  await newNetns(1);
  await newNetns(2);
  const a1 = await connect(1, 'a', { aliases: ['svc'] });
  const a2 = await connect(2, 'a', { aliases: ['svc'] });
  const base = nets.a!.subnet.slice(0, -5);
  assert.equal(a1.ifname, 'eth0');
  assert.equal(a1.gateway, `${base}.254`);
  assert.equal(a1.ipv4, `${base}.64/24`);
  assert.equal(a2.ipv4, `${base}.65/24`);
  const inside = await addrsIn(1);
  const eth0 = inside.find((l) => l.ifname === 'eth0');
  assert.deepEqual(eth0?.addr, [a1.ipv4]);
  assert.equal(eth0?.mac, a1.mac);
  assert.deepEqual(inside.find((l) => l.ifname === 'lo')?.addr, ['127.0.0.1/8']);
  // the bridge exists with the gateway address; default route via it
  const br = JSON.parse((await run('ip', ['-j', '-4', 'addr', 'show', 'dev', nets.a!.device])).stdout) as { addr_info: { local: string }[] }[];
  assert.equal(br[0]?.addr_info[0]?.local, `${base}.254`);
  const routes = (await inNetns(ns(1), ['ip', 'route'])).stdout;
  assert.match(routes, new RegExp(`default via ${base.replace(/\./g, '\\.')}\\.254 dev eth0`));
});

test('ping between two netns on the network', async () => {
  const r = await ping(1, atts.get('2/a')!.ip);
  assert.equal(r.code, 0, r.stdout + r.stderr);
});

test('fixed IP (outside the ip-range, inside the subnet) and its conflicts', async () => {
  await newNetns(3);
  const base = nets.a!.subnet.slice(0, -5);
  const a3 = await connect(3, 'a', { ip: `${base}.10` });
  assert.equal(a3.ipv4, `${base}.10/24`);
  assert.equal((await ping(3, atts.get('1/a')!.ip)).code, 0);
  await newNetns(4);
  await assert.rejects(connect(4, 'a', { ip: `${base}.10` }), /Address already in use/);
  await assert.rejects(connect(4, 'a', { ip: `${base}.254` }), /Address already in use/);
  await assert.rejects(connect(4, 'a', { ip: '192.0.2.77' }), /does not belong to any of this network's subnets/);
  assert.deepEqual(
    (await addrsIn(4)).map((l) => l.ifname),
    ['lo'],
  ); // nothing half-made
});

test('published port answers on 127.0.0.1 and on the bridge address', async () => {
  const www = join(root, 'www');
  mkdirSync(www);
  writeFileSync(join(www, 'index.html'), `hello ${uniq}\n`);
  await disconnect(4, 'a').catch(() => {});
  const [binding] = await resolvePorts([{ hostIp: '', hostPortStart: 0, hostPortEnd: 0, containerPort: 80, protocol: 'tcp' }], []);
  const srv = spawn('nsenter', [`--net=${ns(4)}`, 'busybox', 'httpd', '-f', '-p', '80', '-h', www], { stdio: 'ignore' });
  procs.push(srv);
  const a4 = await connect(4, 'a', { ports: [binding!] });
  assert.deepEqual(a4.ports, [binding]);
  const get = async (host: string) => {
    for (let i = 0; ; i++) {
      try {
        const res = await fetch(`http://${host}:${binding!.hostPort}/index.html`, { signal: AbortSignal.timeout(3000) });
        return await res.text();
      } catch (e) {
        if (i > 20) throw e;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  };
  assert.equal(await get('127.0.0.1'), `hello ${uniq}\n`);
  assert.equal(await get(nets.a!.gateway), `hello ${uniq}\n`);
  // from another netns through the host port (hairpin via the gateway)
  const r = await inNetns(ns(1), ['curl', '-s', '-m', '3', `http://${nets.a!.gateway}:${binding!.hostPort}/index.html`], { allowFail: true });
  assert.equal(r.stdout, `hello ${uniq}\n`, r.stderr);
  // that connection was forwarded bridge->bridge after DNAT: berth's per-network accept saw it
  // (what keeps published ports working on hosts whose FORWARD policy is DROP)
  const counters = (await run('iptables', ['-w', '-t', 'filter', '-L', 'BERTH-FORWARD', '-v', '-n', '-x'])).stdout;
  const dnatLine = counters.split('\n').find((l) => l.includes(`name: "${cniName(nets.a!)}" forward`) && l.includes('ctstate DNAT'));
  assert.ok(dnatLine && Number(dnatLine.trim().split(/\s+/)[0]) > 0, counters);
  // detach removes the DNAT: nothing of this container stays in iptables
  await disconnect(4, 'a');
  assert.doesNotMatch(await iptablesSave(), new RegExp(id(4)));
  await assert.rejects(fetch(`http://127.0.0.1:${binding!.hostPort}/`, { signal: AbortSignal.timeout(1500) }));
  process.kill(srv.pid!, 'SIGKILL');
});

test('live disconnect and connect on a running netns; a second network is eth1', async () => {
  const ip2 = atts.get('2/a')!.ip;
  // a long-running process in netns 2 stands for the running container
  const sleeper = spawn('nsenter', [`--net=${ns(2)}`, 'sleep', '300'], { stdio: 'ignore' });
  procs.push(sleeper);
  await disconnect(2, 'a');
  assert.deepEqual(
    (await addrsIn(2)).map((l) => l.ifname),
    ['lo'],
  );
  assert.notEqual((await ping(1, ip2)).code, 0);
  await newNetns(5);
  const b5 = await connect(5, 'b');
  const a2 = await connect(2, 'a', { aliases: ['svc'] });
  const b2 = await connect(2, 'b');
  assert.equal(a2.ifname, 'eth0');
  assert.equal(b2.ifname, 'eth1');
  assert.equal((await ping(1, a2.ip)).code, 0);
  assert.equal((await ping(5, b2.ip)).code, 0);
  // networks are separate: 5 (only on b) cannot reach 1 (only on a)
  assert.notEqual((await ping(5, atts.get('1/a')!.ip)).code, 0);
  assert.equal(b5.ifname, 'eth0');
  process.kill(sleeper.pid!, 'SIGKILL');
});

/** Runs `cmd` in netns `ctr` with its hosts file bind-mounted at /etc/hosts (as the engine will). */
function withHosts(ctr: number, cmd: string) {
  const hosts = join(root, 'hosts', String(ctr));
  return run('nsenter', [`--net=${ns(ctr)}`, 'unshare', '-m', '--propagation', 'private', 'sh', '-c', `mount --bind ${hosts} /etc/hosts && ${cmd}`], {
    allowFail: true,
  });
}

test('name resolution: names, shared alias, follows connect/disconnect/rename in place', async () => {
  mkdirSync(join(root, 'hosts'));
  const names: Record<number, string> = { 1: 'web1', 2: 'web2', 3: 'fixed3', 5: 'only-b' };
  const view = (): ResolverContainer[] =>
    Object.entries(names).map(([n, name]) => ({
      id: id(Number(n)),
      name,
      hostname: id(Number(n)).slice(0, 12),
      hostsPath: join(root, 'hosts', n),
      endpoints: [...atts.values()].filter((a) => a.containerId === id(Number(n))).map((a) => ({ networkId: a.networkId, ip: a.ip, aliases: a.aliases })),
    }));
  const dns = new Set([nets.a!.id, nets.b!.id]);
  // The engine writes each container's hosts file at its start; syncHostsFiles only rewrites.
  for (const n of Object.keys(names)) writeFileSync(join(root, 'hosts', n), '');
  syncHostsFiles(view(), dns);
  // by name, across the network
  let r = await withHosts(1, 'busybox ping -c1 -W2 web2');
  assert.equal(r.code, 0, r.stdout + r.stderr);
  // shared alias: every holder's address resolves
  r = await withHosts(3, 'getent ahostsv4 svc');
  const svc = new Set(
    r.stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split(/\s+/)[0]),
  );
  assert.deepEqual([...svc].sort(), [atts.get('1/a')!.ip, atts.get('2/a')!.ip].sort());
  // 5 is on b only: sees web2 by its b address, not web1
  r = await withHosts(5, 'getent hosts web2; getent hosts web1');
  assert.equal(r.stdout.trim().split(/\s+/)[0], atts.get('2/b')!.ip);
  assert.doesNotMatch(r.stdout, /web1/);

  // a long-lived mount namespace (the running container) sees later rewrites: same inode
  const hosts1 = join(root, 'hosts', '1');
  const ino = statSync(hosts1).ino;
  const holder = spawn(
    'nsenter',
    [`--net=${ns(1)}`, 'unshare', '-m', '--propagation', 'private', 'sh', '-c', `mount --bind ${hosts1} /etc/hosts && echo ready && exec sleep 300`],
    {
      stdio: ['ignore', 'pipe', 'ignore'],
    },
  );
  procs.push(holder);
  await new Promise((res) => holder.stdout!.once('data', res));
  const lookup = (name: string) => run('nsenter', ['-t', String(holder.pid), '-m', 'getent', 'hosts', name], { allowFail: true });
  assert.equal((await lookup('web2')).code, 0);
  names[2] = 'renamed2';
  await disconnect(3, 'a');
  syncHostsFiles(view(), dns);
  assert.equal(statSync(hosts1).ino, ino);
  assert.equal((await lookup('renamed2')).stdout.split(/\s+/)[0], atts.get('2/a')!.ip);
  assert.notEqual((await lookup('web2')).code, 0);
  assert.notEqual((await lookup('fixed3')).code, 0); // disconnected
  const c3 = await connect(3, 'a', { aliases: ['svc'] });
  syncHostsFiles(view(), dns);
  assert.equal((await lookup('fixed3')).stdout.split(/\s+/)[0], c3.ip);
  process.kill(holder.pid!, 'SIGKILL');
});

test('macvlan over a veth parent', async () => {
  await newNetns(6);
  await newNetns(7);
  const m6 = await connect(6, 'm');
  const m7 = await connect(7, 'm');
  assert.equal(m6.ifname, 'eth0');
  assert.equal((await addrsIn(6)).find((l) => l.ifname === 'eth0')?.mac, m6.mac);
  const r = await ping(6, m7.ip);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  await disconnect(6, 'm');
  await disconnect(7, 'm');
});

test('masquerade is one rule per network; internal networks have no way out', async () => {
  const save = await iptablesSave();
  assert.match(save, new RegExp(`-A POSTROUTING -s ${nets.a!.subnet.replace(/\./g, '\\.')} ! -o ${nets.a!.device} .*-j MASQUERADE`));
  await newNetns(10);
  await newNetns(11);
  const i10 = await connect(10, 'i');
  const i11 = await connect(11, 'i');
  assert.equal((await ping(10, i11.ip)).code, 0);
  assert.doesNotMatch((await inNetns(ns(10), ['ip', 'route'])).stdout, /default/);
  const later = await iptablesSave();
  assert.doesNotMatch(later, new RegExp(`-s ${nets.i!.subnet.replace(/\./g, '\\.')} .*MASQUERADE`));
  // not even a route through the bridge to another network helps: isolation drops it
  await inNetns(ns(10), ['ip', 'route', 'add', nets.a!.subnet, 'via', nets.i!.gateway]);
  assert.notEqual((await ping(10, atts.get('1/a')!.ip)).code, 0);
  await disconnect(10, 'i');
  await disconnect(11, 'i');
  await deleteNetns(paths, id(10));
  await deleteNetns(paths, id(11));
  assert.ok(i10.ip !== i11.ip);
});

test('setupSandbox: several networks in order, undone completely when one fails', async () => {
  const cid = id(12);
  const sb = await setupSandbox(paths, cid, [{ network: nets.b! }, { network: nets.a!, aliases: ['x'] }]);
  assert.deepEqual(
    sb.attachments.map((a) => a.ifname),
    ['eth0', 'eth1'],
  );
  assert.deepEqual((await addrsIn(12)).map((l) => l.ifname).sort(), ['eth0', 'eth1', 'lo']);
  await teardownSandbox(paths, cid, [
    { network: nets.b!, attachment: sb.attachments[0]! },
    { network: nets.a!, attachment: sb.attachments[1]! },
  ]);
  assert.equal(existsSync(sb.netnsPath), false);
  // second network fails (taken fixed IP): the first attachment and the netns are undone
  const base = nets.a!.subnet.slice(0, -5);
  const leaseDir = join(paths.runroot, 'net', 'ipam', cniName(nets.b!));
  const leases = () => readdirSync(leaseDir).filter((f) => /^[0-9.]+$/.test(f)).length;
  const before = leases();
  await assert.rejects(
    setupSandbox(paths, cid, [{ network: nets.b! }, { network: nets.a!, fixedIp: `${base}.10`, takenIps: [`${base}.10`] }]),
    /Address already in use/,
  );
  assert.equal(existsSync(sb.netnsPath), false);
  assert.equal(leases(), before);
  assert.doesNotMatch(await iptablesSave(), new RegExp(cid.slice(0, 12)));
});

test('two teardowns of one sandbox at once (rm -f against the exit command) both succeed; an unmounted leftover file is no netns', async () => {
  const cid = id(16);
  const sb = await setupSandbox(paths, cid, [{ network: nets.b! }]);
  const items = [{ network: nets.b!, attachment: sb.attachments[0]! }];
  await Promise.all([teardownSandbox(paths, cid, items), teardownSandbox(paths, cid, items), teardownSandbox(paths, cid, items)]);
  assert.equal(existsSync(sb.netnsPath), false);
  // a teardown cut short between umount and unlink leaves a plain file: DEL must not hand it to the plugins
  const sb2 = await setupSandbox(paths, cid, [{ network: nets.b! }]);
  await run('umount', [sb2.netnsPath]);
  assert.equal(existsSync(sb2.netnsPath), true);
  await teardownSandbox(paths, cid, [{ network: nets.b!, attachment: sb2.attachments[0]! }]);
  assert.equal(existsSync(sb2.netnsPath), false);
  const leaseDir = join(paths.runroot, 'net', 'ipam', cniName(nets.b!));
  assert.equal(existsSync(join(leaseDir, sb2.attachments[0]!.ip)), false);
  assert.doesNotMatch(await iptablesSave(), new RegExp(cid.slice(0, 12)));
});

test('concurrent attaches from one process are serialized and all succeed', async () => {
  await Promise.all([13, 14, 15].map((n) => newNetns(n)));
  const as = await Promise.all([13, 14, 15].map((n) => connect(n, 'b')));
  assert.equal(new Set(as.map((a) => a.ip)).size, 3);
  assert.equal((await ping(13, as[2]!.ip)).code, 0);
  await Promise.all([13, 14, 15].map((n) => disconnect(n, 'b')));
  for (const n of [13, 14, 15]) await deleteNetns(paths, id(n));
});

test('crash debris: leftover netns, leases and rules of a vanished container are found and removed', async () => {
  // container 8 "crashes": attached with a port, then its row is lost
  await newNetns(8);
  const [b] = await resolvePorts([{ hostIp: '127.0.0.1', hostPortStart: 0, hostPortEnd: 0, containerPort: 80, protocol: 'tcp' }], []);
  await connect(8, 'a', { ports: [b!] });
  atts.delete('8/a'); // the engine forgot it
  const live = [1, 2, 3, 4, 5, 6, 7].map(id);
  assert.deepEqual(leftoverNetns(paths, live), [id(8).slice(0, 12)]);
  await removeOrphanNetns(paths, id(8).slice(0, 12));
  assert.deepEqual(leftoverNetns(paths, live), []);
  assert.doesNotMatch(await iptablesSave(), new RegExp(id(8).slice(0, 12)));
  const leaseDir = join(paths.runroot, 'net', 'ipam', cniName(nets.a!));
  const leases = readdirSync(leaseDir).filter((f) => /^[0-9.]+$/.test(f));
  assert.equal(leases.length, [...atts.values()].filter((a) => a.networkId === nets.a!.id).length);
  // and cleanupContainer, with a known attachment, after the netns vanished under it
  await newNetns(9);
  const a9 = await connect(9, 'a');
  await deleteNetns(paths, id(9));
  await cleanupContainer(paths, id(9), [{ network: nets.a!, attachment: a9 }]);
  atts.delete('9/a');
  assert.doesNotMatch(await iptablesSave(), new RegExp(id(9).slice(0, 12)));
  assert.equal(existsSync(join(leaseDir, a9.ip)), false);
});

test('teardown: detach, netns and network removal leave nothing behind', async (t) => {
  for (const k of [...atts.keys()]) {
    const [c, n] = k.split('/');
    await disconnect(Number(c), n!);
  }
  for (const k of listNetns(paths)) {
    const t0 = performance.now();
    await deleteNetns(paths, k);
    timings.netnsDel.push(performance.now() - t0);
  }
  for (const n of Object.values(nets)) await removeNetworkHost(paths, n);
  const save = await iptablesSave();
  for (const n of Object.values(nets)) {
    assert.doesNotMatch(save, new RegExp(cniName(n)));
    if (n.driver === 'bridge') assert.equal(existsSync(`/sys/class/net/${n.device}`), false);
  }
  assert.doesNotMatch(save, new RegExp(uniq));
  for (const n of Object.values(nets)) assert.doesNotMatch(save, new RegExp(n.subnet.slice(0, -5).replace(/\./g, '\\.')));
  assert.deepEqual(listNetns(paths), []);
  const med = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]?.toFixed(1);
  t.diagnostic(
    `median ms: attach ${med(timings.attach)} (n=${timings.attach.length}), detach ${med(timings.detach)} (n=${timings.detach.length}), ` +
      `netns add ${med(timings.netnsAdd)}, netns del ${med(timings.netnsDel)}`,
  );
});
