import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkModeOptions, parseNetworkMode, renderHostname } from '../../src/net/index.js';
import { commentOf, jumpTarget, parseSave, tokenize } from '../../src/net/iptables.js';

test('--network modes', () => {
  assert.deepEqual(parseNetworkMode(undefined), { kind: 'bridge' });
  assert.deepEqual(parseNetworkMode('default'), { kind: 'bridge' });
  assert.deepEqual(parseNetworkMode('host'), { kind: 'host' });
  assert.deepEqual(parseNetworkMode('none'), { kind: 'none' });
  assert.deepEqual(parseNetworkMode('container:web'), { kind: 'container', ref: 'web' });
  assert.deepEqual(parseNetworkMode('mynet'), { kind: 'network', name: 'mynet' });
  assert.throws(() => parseNetworkMode('container:'), /invalid container format container:<name\|id>/);
});

test("options each mode accepts (docker's messages)", () => {
  const c = parseNetworkMode('container:x');
  assert.throws(() => checkModeOptions(c, { ports: 1 }), /conflicting options: port publishing and the container type network mode/);
  assert.throws(() => checkModeOptions(c, { hostname: true }), /conflicting options: hostname and the network mode/);
  assert.throws(() => checkModeOptions(parseNetworkMode('bridge'), { aliases: 1 }), /network-scoped aliases are only supported for user-defined networks/);
  assert.throws(() => checkModeOptions(parseNetworkMode('bridge'), { ip: '172.17.0.5' }), /user defined networks only/);
  assert.deepEqual(checkModeOptions(parseNetworkMode('host'), { ports: 2 }), ['Published ports are discarded when using host network mode']);
  assert.deepEqual(checkModeOptions(parseNetworkMode('mynet'), { ports: 2, aliases: 1, ip: '10.0.0.5' }), []);
  assert.equal(renderHostname('abc'), 'abc\n');
});

test('iptables-save lines are tokenized with their quoted comments', () => {
  const line = '-A POSTROUTING -s 10.1.0.2/32 -m comment --comment "name: \\"berth-abc\\" id: \\"c1\\"" -j CNI-0123';
  assert.deepEqual(tokenize(line), ['-A', 'POSTROUTING', '-s', '10.1.0.2/32', '-m', 'comment', '--comment', 'name: "berth-abc" id: "c1"', '-j', 'CNI-0123']);
  const { chains, rules } = parseSave('nat', `*nat\n:POSTROUTING ACCEPT [0:0]\n:CNI-0123 - [0:0]\n${line}\nCOMMIT\n`);
  assert.deepEqual(chains, ['POSTROUTING', 'CNI-0123']);
  assert.equal(jumpTarget(rules[0]!), 'CNI-0123');
  assert.equal(commentOf(rules[0]!), 'name: "berth-abc" id: "c1"');
});
