/**
 * The CLI's endpoint settings land where the API's do: `run --ip --network-alias` and `network
 * connect --ip --alias --link --driver-opt` show (--link-local-ip is refused) in inspect as dockerd's
 * EndpointSettings; `network disconnect -f` still removes a connected endpoint.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { networkSandbox, ifaces, inspectJson } from './network-util.js';

const { sb, made } = networkSandbox('berth-netep');

test('run and connect flags become the endpoint settings inspect shows', () => {
  made.network(sb.ok(['network', 'create', '--subnet', '10.219.37.0/24', 'ep one']));
  made.network(sb.ok(['network', 'create', '--subnet', '10.219.38.0/24', 'eptwo']));
  const id = made.container(
    sb.ok(['run', '-d', '--name', 'ep-c', '--net', 'ep one', '--ip', '10.219.37.5', '--network-alias', 'svc', 'busybox', 'sleep', '300']),
  );
  let nets = inspectJson(sb, ['ep-c']).NetworkSettings.Networks;
  const first = nets['ep one'];
  assert.deepEqual(
    [first.IPAMConfig, first.Links, first.Aliases, first.DriverOpts, first.IPAddress],
    [{ IPv4Address: '10.219.37.5' }, null, ['svc'], null, '10.219.37.5'],
  );
  for (const k of ['IPv6Gateway', 'GlobalIPv6Address']) assert.equal(first[k], '');
  assert.equal(first.GlobalIPv6PrefixLen, 0);

  sb.ok(['network', 'connect', '--ip', '10.219.38.7', '--alias', 'b', '--link', 'ep-c:self', '--driver-opt', 'k=v', 'eptwo', 'ep-c']);
  nets = inspectJson(sb, ['ep-c']).NetworkSettings.Networks;
  const second = nets.eptwo;
  assert.deepEqual(
    [second.IPAMConfig, second.Links, second.Aliases, second.DriverOpts, second.IPAddress],
    [{ IPv4Address: '10.219.38.7' }, ['ep-c:self'], ['b'], { k: 'v' }, '10.219.38.7'],
  );
  // link-local addresses are refused, not dropped
  const lli = sb.run(['network', 'connect', '--link-local-ip', '169.254.3.3', 'bridge', 'ep-c']);
  assert.equal(lli.code, 1);
  assert.match(lli.stderr, /does not support link-local IP addresses/);
  const bad = sb.run(['network', 'connect', '--link', 'a:b:c', 'bridge', 'ep-c']);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /bad format for links: a:b:c/);

  sb.ok(['network', 'disconnect', '-f', 'eptwo', 'ep-c']);
  assert.deepEqual(ifaces(sb, 'ep-c'), ['eth0', 'lo']);
  assert.deepEqual(Object.keys(inspectJson(sb, ['ep-c']).NetworkSettings.Networks), ['ep one']);
  sb.ok(['rm', '-f', id]);
});
