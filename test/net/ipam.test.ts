import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  NetError,
  checkOverlap,
  chooseSubnet,
  formatCidr,
  parseCidr,
  parseIpRouteJson,
  parseProcNetRoute,
  planNetwork,
  validateFixedIp,
  validateIpam,
  type NetworkRecord,
} from '../../src/net/index.js';

const rejects = (fn: () => unknown, kind: string, msg: RegExp) =>
  assert.throws(fn, (e: unknown) => e instanceof NetError && e.kind === kind && msg.test(e.message));

test('CIDR parsing', () => {
  assert.equal(formatCidr(parseCidr('10.1.2.3/8')!), '10.0.0.0/8');
  assert.equal(parseCidr('10.1.2.3/8', true), null);
  for (const bad of ['10.0.0.0', '10.0.0.256/8', '10.0.0/8', '10.0.0.0/33', '01.0.0.0/8', 'x/8', '10.0.0.0/']) assert.equal(parseCidr(bad), null, bad);
});

test('validateIpam: gateway default, ip-range and gateway inside subnet', () => {
  assert.deepEqual(validateIpam({ subnet: '172.72.0.0/16' }), { subnet: '172.72.0.0/16', gateway: '172.72.0.1' });
  assert.deepEqual(validateIpam({ subnet: '172.72.0.0/16', ipRange: '172.72.0.0/24', gateway: '172.72.0.254' }), {
    subnet: '172.72.0.0/16',
    gateway: '172.72.0.254',
    ipRange: '172.72.0.0/24',
  });
  rejects(() => validateIpam({ subnet: 'foo' }), 'invalid', /^invalid subnet foo/);
  rejects(() => validateIpam({ subnet: '172.72.0.1/16' }), 'invalid', /it should be 172\.72\.0\.0\/16/);
  rejects(() => validateIpam({ subnet: 'fd00::/64' }), 'invalid', /IPv4 only/);
  rejects(() => validateIpam({ subnet: '172.72.0.0/16', ipRange: '10.0.0.0/24' }), 'invalid', /no matching subnet for range/);
  rejects(() => validateIpam({ subnet: '172.72.0.0/16', ipRange: '172.72.0.0/8' }), 'invalid', /no matching subnet for range/);
  rejects(() => validateIpam({ subnet: '172.72.0.0/16', gateway: '10.0.0.1' }), 'invalid', /no matching subnet for gateway 10\.0\.0\.1/);
  rejects(() => validateIpam({ subnet: '172.72.0.0/16', gateway: 'x' }), 'invalid', /invalid gateway address x/);
});

test('overlap between networks', () => {
  checkOverlap('10.10.0.0/16', [{ name: 'a', subnet: '10.11.0.0/16' }]);
  rejects(() => checkOverlap('10.10.0.0/16', [{ name: 'a', subnet: '10.10.5.0/24' }]), 'conflict', /^Pool overlaps with other one on this address space$/);
  rejects(() => checkOverlap('10.10.5.0/24', [{ name: 'a', subnet: '10.0.0.0/8' }]), 'conflict', /Pool overlaps/);
});

const routes = (j: object[]) => parseIpRouteJson(JSON.stringify(j));

test('automatic subnet choice skips host routes and other networks', () => {
  assert.equal(formatCidr(chooseSubnet([])), '172.17.0.0/16');
  // A host with Docker: docker0 holds 172.17.
  const dockerHost = routes([{ dst: 'default', gateway: '192.0.2.1' }, { dst: '172.17.0.0/16', dev: 'docker0' }, { dst: '192.0.2.0/24' }]);
  assert.equal(formatCidr(chooseSubnet(dockerHost)), '172.18.0.0/16');
  assert.equal(formatCidr(chooseSubnet([...dockerHost, '172.18.0.0/16', '172.19.0.0/24'])), '172.20.0.0/16');
  // A host address (no prefix) inside a candidate blocks it.
  assert.equal(formatCidr(chooseSubnet(routes([{ dst: '172.17.3.4' }]))), '172.18.0.0/16');
  const all172 = Array.from({ length: 15 }, (_, i) => `172.${17 + i}.0.0/16`);
  assert.equal(formatCidr(chooseSubnet(all172)), '192.168.0.0/20');
  assert.equal(formatCidr(chooseSubnet([...all172, '192.168.1.0/24'])), '192.168.16.0/20');
  assert.throws(() => chooseSubnet(['172.16.0.0/12', '192.168.0.0/16']), /could not find an available, non-overlapping IPv4 address pool/);
});

test('/proc/net/route parsing', () => {
  const text = [
    'Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT',
    'eth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0',
    'docker0\t000011AC\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0',
  ].join('\n');
  assert.deepEqual(parseProcNetRoute(text).map(formatCidr), ['172.17.0.0/16']);
});

const ctx = (existing: NetworkRecord[] = [], extra: object = {}) => ({ existing, hostRoutes: [], id: 'ab'.repeat(32), now: new Date(0), ...extra });

test('planNetwork: bridge defaults, names, options', () => {
  const def = planNetwork({ name: 'bridge' }, ctx([], { isDefault: true }));
  assert.equal(def.subnet, '172.17.0.0/16');
  assert.equal(def.gateway, '172.17.0.1');
  assert.equal(def.device, 'berth0');
  assert.equal(def.ipMasq, true);
  const user = planNetwork({ name: 'mynet' }, ctx([def]));
  assert.equal(user.subnet, '172.18.0.0/16');
  assert.equal(user.device, 'br-abababababab');
  assert.equal(user.userSubnet, false);
  const internal = planNetwork({ name: 'in', internal: true, ipam: [{ subnet: '10.99.0.0/24' }] }, ctx([def]));
  assert.equal(internal.ipMasq, false);
  assert.equal(internal.userSubnet, true);
  const named = planNetwork({ name: 'n', options: { 'com.docker.network.bridge.name': 'brtest0' } }, ctx());
  assert.equal(named.device, 'brtest0');
  rejects(() => planNetwork({ name: 'n2', options: { 'com.docker.network.bridge.name': 'brtest0' } }, ctx([named])), 'conflict', /already used/);
  // docker's rule: any name but a blank one (nothing on the host is named after it)
  assert.equal(planNetwork({ name: 'test 01/x' }, ctx()).name, 'test 01/x');
  rejects(() => planNetwork({ name: ' \t' }, ctx()), 'invalid', /^invalid name: /);
  rejects(() => planNetwork({ name: 'x', ipam: [{ gateway: '10.0.0.1' }] }, ctx()), 'invalid', /every ip-range or gateway must have a corresponding subnet/);
  rejects(() => planNetwork({ name: 'x', ipam: [{ subnet: '172.17.1.0/24' }] }, ctx([def])), 'conflict', /Pool overlaps/);
});

test('planNetwork: macvlan validates parent and mode', () => {
  const exists = (n: string) => n === 'eth9';
  const m = planNetwork({ name: 'mv', driver: 'macvlan', ipam: [{ subnet: '10.5.0.0/24' }], options: { parent: 'eth9' } }, ctx([], { linkExists: exists }));
  assert.equal(m.device, 'eth9');
  assert.equal(m.macvlanMode, 'bridge');
  rejects(
    () => planNetwork({ name: 'mv', driver: 'macvlan', options: { parent: 'nope0' } }, ctx([], { linkExists: exists })),
    'invalid',
    /parent interface was not found on the host: nope0/,
  );
  rejects(() => planNetwork({ name: 'mv', driver: 'macvlan', options: {} }, ctx([], { linkExists: exists })), 'invalid', /parent=IFACE is required/);
  rejects(
    () => planNetwork({ name: 'mv', driver: 'macvlan', options: { parent: 'eth9', macvlan_mode: 'weird' } }, ctx([], { linkExists: exists })),
    'invalid',
    /requested macvlan mode 'weird' is not valid/,
  );
});

test('validateFixedIp', () => {
  const net = planNetwork({ name: 'n', ipam: [{ subnet: '172.72.0.0/16', ipRange: '172.72.1.0/24' }] }, ctx());
  assert.equal(validateFixedIp(net, '172.72.9.9', []), '172.72.9.9'); // outside range, inside subnet: allowed (docker)
  rejects(() => validateFixedIp(net, '10.0.0.1', []), 'invalid', /Invalid address 10\.0\.0\.1: It does not belong to any of this network's subnets/);
  rejects(() => validateFixedIp(net, '172.72.0.1', []), 'conflict', /Address already in use/);
  rejects(() => validateFixedIp(net, '172.72.1.5', ['172.72.1.5/16']), 'conflict', /Address already in use/);
  rejects(() => validateFixedIp(net, 'nope', []), 'invalid', /nope is not an ip address/);
  const auto = planNetwork({ name: 'a' }, ctx());
  rejects(() => validateFixedIp(auto, '172.17.0.9', []), 'invalid', /user configured subnets/);
  const def = planNetwork({ name: 'bridge', ipam: [{ subnet: '172.17.0.0/16' }] }, ctx([], { isDefault: true }));
  rejects(() => validateFixedIp(def, '172.17.0.9', []), 'invalid', /user defined networks only/);
});
