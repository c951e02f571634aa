/**
 * The network and volume routes driven by the docker CLI 20.10 and docker-py through `berth
 * system service`: create (IPAM, internal, labels), ls with filters, inspect, connect (IP,
 * aliases) and disconnect on a running container, rm, prune; volumes create/ls/inspect/rm/prune;
 * docker's status codes for duplicates, unknown names and objects in use.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Sandbox } from '../helpers/berth.js';
import { Service } from '../helpers/service.js';
import { NEEDS_ROOT } from '../helpers/tools.js';
import { busyboxTarball } from '../fixtures/busybox.js';
import { api, docker, dockerOk, dockerPy } from './images-clients.js';

const skip = NEEDS_ROOT;
let sb: Sandbox;
let svc: Service;

before(async () => {
  if (skip) return;
  sb = new Sandbox('berth-api-net');
  svc = await new Service(sb).start();
  dockerOk(svc, ['import', busyboxTarball(), 'busybox:latest']);
});

after(async () => {
  if (skip) return;
  await svc?.stop();
  sb?.dispose();
});

const lines = (s: string) => s.trim().split('\n').filter(Boolean).sort();

test('network create with IPAM, internal and labels; ls filters; inspect; duplicates are 409', { skip }, async () => {
  const id = dockerOk(svc, [
    'network',
    'create',
    '--subnet',
    '10.213.5.0/24',
    '--gateway',
    '10.213.5.254',
    '--ip-range',
    '10.213.5.128/25',
    '--label',
    'tier=back',
    'apinet1',
  ]).trim();
  assert.match(id, /^[0-9a-f]{64}$/);
  dockerOk(svc, ['network', 'create', '--internal', '--label', 'tier=front', 'apinet2']);
  const doc = JSON.parse(dockerOk(svc, ['network', 'inspect', 'apinet1']))[0];
  assert.equal(doc.Id, id);
  assert.equal(doc.Driver, 'bridge');
  assert.deepEqual(doc.IPAM.Config, [{ Subnet: '10.213.5.0/24', IPRange: '10.213.5.128/25', Gateway: '10.213.5.254' }]);
  assert.equal(doc.Labels.tier, 'back');
  assert.equal(JSON.parse(dockerOk(svc, ['network', 'inspect', 'apinet2']))[0].Internal, true);
  assert.deepEqual(lines(dockerOk(svc, ['network', 'ls', '--format', '{{.Name}}', '--filter', 'label=tier'])), ['apinet1', 'apinet2']);
  assert.deepEqual(lines(dockerOk(svc, ['network', 'ls', '--format', '{{.Name}}', '--filter', 'label=tier=front'])), ['apinet2']);
  assert.deepEqual(lines(dockerOk(svc, ['network', 'ls', '--format', '{{.Name}}', '--filter', 'type=builtin'])), ['bridge', 'host', 'none']);
  assert.deepEqual(lines(dockerOk(svc, ['network', 'ls', '--format', '{{.Name}}', '--filter', 'name=apinet1'])), ['apinet1']);
  assert.deepEqual(lines(dockerOk(svc, ['network', 'ls', '--format', '{{.Name}}', '--filter', 'dangling=true'])), ['apinet1', 'apinet2']);
  const dup = docker(svc, ['network', 'create', 'apinet1']);
  assert.equal(dup.code, 1);
  assert.match(dup.stderr, /network with name apinet1 already exists/);
  const dupApi = await api(svc, 'POST', '/networks/create', { Name: 'apinet1', CheckDuplicate: true });
  assert.equal(dupApi.status, 409);
  const unknown = docker(svc, ['network', 'inspect', 'nosuchnet']);
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /No such network: nosuchnet|nosuchnet not found|network nosuchnet not found/i);
  assert.equal((await api(svc, 'GET', '/networks/nosuchnet')).status, 404);
  const badDriver = await api(svc, 'POST', '/networks/create', { Name: 'x', Driver: 'overlay' });
  assert.equal(badDriver.status, 404);
  assert.match(badDriver.json().message, /plugin "overlay" not found/);
  const badFilter = await api(svc, 'GET', `/networks?filters=${encodeURIComponent('{"colour":["red"]}')}`);
  assert.equal(badFilter.status, 400);
  dockerOk(svc, ['network', 'rm', 'apinet2']);
});

test('connect with an IP and aliases, then disconnect, on a running container', { skip }, async () => {
  sb.ok(['run', '-d', '--name', 'netc', 'busybox', 'sleep', '600']);
  dockerOk(svc, ['network', 'connect', '--ip', '10.213.5.140', '--alias', 'db', '--alias', 'store', 'apinet1', 'netc']);
  const addrs = sb.ok(['exec', 'netc', 'ip', '-4', '-o', 'addr']);
  assert.match(addrs, /inet 10\.213\.5\.140\/24/);
  const doc = JSON.parse(dockerOk(svc, ['network', 'inspect', 'apinet1']))[0];
  const eps = Object.values(doc.Containers) as { Name: string; IPv4Address: string }[];
  assert.deepEqual(
    eps.map((e) => [e.Name, e.IPv4Address]),
    [['netc', '10.213.5.140/24']],
  );
  const net = JSON.parse(sb.ok(['inspect', 'netc']))[0].NetworkSettings.Networks.apinet1;
  assert.ok(net.Aliases.includes('db') && net.Aliases.includes('store'), JSON.stringify(net));
  // in use: rm refuses (docker's 403 "has active endpoints" is a conflict here), prune keeps it
  const busy = docker(svc, ['network', 'rm', 'apinet1']);
  assert.equal(busy.code, 1);
  assert.match(busy.stderr, /active endpoints|in use/i);
  dockerOk(svc, ['network', 'disconnect', 'apinet1', 'netc']);
  assert.doesNotMatch(sb.ok(['exec', 'netc', 'ip', '-4', '-o', 'addr']), /10\.213\.5\./);
  const notThere = await api(svc, 'POST', '/networks/apinet1/disconnect', { Container: 'netc' });
  assert.equal(notThere.status, 500, 'dockerd: a plain error');
  const noBody = await api(svc, 'POST', '/networks/apinet1/connect', '{"Container": ');
  assert.equal(noBody.status, 400);
  sb.ok(['rm', '-f', 'netc']);
});

test('endpoint settings: create and connect requests kept and shown as dockerd; MacAddress used', { skip }, async () => {
  // a name with a space and a slash: docker's rule is "not blank"
  dockerOk(svc, ['network', 'create', '--subnet', '10.213.6.0/24', 'api net/3']);
  dockerOk(svc, ['network', 'create', '--subnet', '10.213.7.0/24', 'apinet4']);
  const py = dockerPy<{ before: Record<string, unknown>; after: Record<string, unknown> }>(
    svc,
    `cfg = client.api.create_networking_config({'api net/3': client.api.create_endpoint_config(
    ipv4_address='10.213.6.10', aliases=['web'], links=[('apipeer', 'p')], driver_opt={'k': 'v'})})
c = client.api.create_container('busybox', ['sleep', '600'], name='epc', networking_config=cfg, host_config=client.api.create_host_config(network_mode='api net/3'))
before = client.api.inspect_container(c['Id'])['NetworkSettings']['Networks']['api net/3']
client.api.start(c['Id'])
after = client.api.inspect_container(c['Id'])['NetworkSettings']['Networks']['api net/3']
print(json.dumps({'before': before, 'after': after}))`,
  );
  const netId = JSON.parse(dockerOk(svc, ['network', 'inspect', 'api net/3']))[0].Id;
  const requested = {
    IPAMConfig: { IPv4Address: '10.213.6.10' },
    Links: ['apipeer:p'],
    Aliases: ['web'],
    NetworkID: netId,
  };
  assert.deepEqual(py.before, {
    ...requested,
    EndpointID: '',
    Gateway: '',
    IPAddress: '',
    IPPrefixLen: 0,
    IPv6Gateway: '',
    GlobalIPv6Address: '',
    GlobalIPv6PrefixLen: 0,
    MacAddress: '',
    DriverOpts: { k: 'v' },
  });
  assert.deepEqual(Object.keys(py.after), Object.keys(py.before), 'docker key order');
  assert.equal(py.after.IPAddress, '10.213.6.10');
  assert.equal(py.after.Gateway, '10.213.6.1');
  assert.equal(py.after.IPPrefixLen, 24);
  assert.match(String(py.after.EndpointID), /^[0-9a-f]{64}$/);
  assert.deepEqual({ ...py.after, EndpointID: '', Gateway: '', IPAddress: '', IPPrefixLen: 0, MacAddress: '' }, py.before);

  // connect with a MAC: the interface gets it; the rest is echoed
  const mac = '02:42:0a:d5:07:63';
  const conn = await api(svc, 'POST', '/networks/apinet4/connect', {
    Container: 'epc',
    EndpointConfig: { IPAMConfig: { IPv4Address: '10.213.7.9' }, Links: ['epc:self'], DriverOpts: { a: 'b' }, MacAddress: mac, Aliases: ['four'] },
  });
  assert.equal(conn.status, 200, conn.body.toString());
  assert.match(sb.ok(['exec', 'epc', 'ip', 'link', 'show', 'eth1']), new RegExp(`link/ether ${mac}`));
  let ep = JSON.parse(sb.ok(['inspect', 'epc']))[0].NetworkSettings.Networks.apinet4;
  assert.deepEqual(
    [ep.IPAMConfig, ep.Links, ep.Aliases, ep.DriverOpts, ep.MacAddress, ep.IPAddress],
    [{ IPv4Address: '10.213.7.9' }, ['epc:self'], ['four'], { a: 'b' }, mac, '10.213.7.9'],
  );
  const badMac = await api(svc, 'POST', '/networks/bridge/connect', { Container: 'epc', EndpointConfig: { MacAddress: '03:00:00:00:00:01' } });
  assert.equal(badMac.status, 400);
  assert.match(badMac.json().message, /invalid MAC address/);

  // disconnect with Force: a connected one goes; one that is not connected is docker's 500
  assert.equal((await api(svc, 'POST', '/networks/apinet4/disconnect', { Container: 'epc', Force: true })).status, 200);
  assert.doesNotMatch(sb.ok(['exec', 'epc', 'ip', 'link']), /eth1/);
  const id = JSON.parse(sb.ok(['inspect', 'epc']))[0].Id;
  const again = await api(svc, 'POST', '/networks/apinet4/disconnect', { Container: 'epc', Force: true });
  assert.equal(again.status, 500);
  assert.equal(again.json().message, `container ${id} is not connected to network apinet4`);

  // docker's CLI always sends IPAMConfig and DriverOpts: dockerd shows {} for them
  dockerOk(svc, ['network', 'connect', '--link', 'epc:me', '--driver-opt', 'x=y', 'apinet4', 'epc']);
  ep = JSON.parse(sb.ok(['inspect', 'epc']))[0].NetworkSettings.Networks.apinet4;
  assert.deepEqual([ep.IPAMConfig, ep.Links, ep.DriverOpts, ep.Aliases], [{}, ['epc:me'], { x: 'y' }, null]);
  sb.ok(['stop', '-t', '0', 'epc']);
  dockerOk(svc, ['network', 'disconnect', 'apinet4', 'epc']);
  const stopped = await api(svc, 'POST', '/networks/apinet4/disconnect', { Container: 'epc', Force: true });
  assert.equal(stopped.status, 500);
  assert.equal(stopped.json().message, `container ${id} is not connected to the network apinet4`);
  sb.ok(['rm', 'epc']);
  dockerOk(svc, ['network', 'rm', 'api net/3', 'apinet4']);
});

test('network inspect echoes the create: IPAM.Options null unless sent, IPAM.Config as given', { skip }, async () => {
  const make = async (name: string, ipam?: unknown) => {
    const r = await api(svc, 'POST', '/networks/create', { Name: name, ...(ipam ? { IPAM: ipam } : {}) });
    assert.equal(r.status, 201, r.body.toString());
    return (await api(svc, 'GET', `/networks/${encodeURIComponent(name)}`)).json().IPAM;
  };
  const none = await make('ipam0');
  assert.equal(none.Options, null);
  assert.deepEqual(Object.keys(none.Config[0]), ['Subnet', 'Gateway'], 'what it allocated');
  assert.deepEqual(await make('ipam1', { Config: [{ Subnet: '10.213.8.0/24' }] }), { Driver: 'default', Options: null, Config: [{ Subnet: '10.213.8.0/24' }] });
  assert.deepEqual((await make('ipam2', { Options: {} })).Options, {});
  assert.deepEqual((await make('ipam3', { Options: { foo: 'bar' } })).Options, { foo: 'bar' });
  // docker's CLI sends an empty map
  dockerOk(svc, ['network', 'create', 'ipam4']);
  assert.deepEqual(JSON.parse(dockerOk(svc, ['network', 'inspect', 'ipam4']))[0].IPAM.Options, {});
  assert.equal((await api(svc, 'GET', '/networks/bridge')).json().IPAM.Options, null);
  const blank = await api(svc, 'POST', '/networks/create', { Name: ' ' });
  assert.equal(blank.status, 400);
  for (const n of ['ipam0', 'ipam1', 'ipam2', 'ipam3', 'ipam4']) dockerOk(svc, ['network', 'rm', n]);
});

test('network prune removes unused user networks (label filter too); docker-py lists and removes', { skip }, async () => {
  dockerOk(svc, ['network', 'create', '--label', 'keep=yes', 'apikeep']);
  const pruned = await api(svc, 'POST', `/networks/prune?filters=${encodeURIComponent(JSON.stringify({ label: ['tier=back'] }))}`);
  assert.equal(pruned.status, 200);
  assert.deepEqual(pruned.json(), { NetworksDeleted: ['apinet1'] });
  const py = dockerPy<{ names: string[]; after: string[] }>(
    svc,
    `nets = client.networks.list(filters={'label': ['keep=yes']})
names = [n.name for n in nets]
for n in nets: n.remove()
print(json.dumps({'names': names, 'after': [n.name for n in client.networks.list()]}))`,
  );
  assert.deepEqual(py.names, ['apikeep']);
  assert.deepEqual(py.after.sort(), ['bridge', 'host', 'none']);
  dockerOk(svc, ['network', 'create', 'apilast']);
  const out = dockerOk(svc, ['network', 'prune', '-f']);
  assert.match(out, /Deleted Networks:\napilast/);
});

test('volumes: create with labels and options, ls filters, inspect, rm in use (409), prune', { skip }, async () => {
  dockerOk(svc, ['volume', 'create', '--label', 'team=api', 'apivol1']);
  dockerOk(svc, ['volume', 'create', 'apivol2']);
  const v = JSON.parse(dockerOk(svc, ['volume', 'inspect', 'apivol1']))[0];
  assert.equal(v.Name, 'apivol1');
  assert.equal(v.Driver, 'local');
  assert.deepEqual(v.Labels, { team: 'api' });
  assert.match(v.Mountpoint, /apivol1/);
  const ls = await api(svc, 'GET', '/volumes');
  assert.deepEqual(Object.keys(ls.json()).sort(), ['Volumes', 'Warnings']);
  assert.deepEqual(lines(dockerOk(svc, ['volume', 'ls', '-q'])), ['apivol1', 'apivol2']);
  assert.deepEqual(lines(dockerOk(svc, ['volume', 'ls', '-q', '--filter', 'label=team=api'])), ['apivol1']);
  assert.deepEqual(lines(dockerOk(svc, ['volume', 'ls', '-q', '--filter', 'name=vol2'])), ['apivol2']);
  sb.ok(['create', '--name', 'volc', '-v', 'apivol1:/data', 'busybox', 'true']);
  assert.deepEqual(lines(dockerOk(svc, ['volume', 'ls', '-q', '--filter', 'dangling=true'])), ['apivol2']);
  const busy = docker(svc, ['volume', 'rm', 'apivol1']);
  assert.equal(busy.code, 1);
  assert.match(busy.stderr, /volume is in use/);
  assert.equal((await api(svc, 'DELETE', '/volumes/apivol1')).status, 409);
  assert.equal((await api(svc, 'GET', '/volumes/nosuchvol')).status, 404);
  const dup = await api(svc, 'POST', '/volumes/create', { Name: 'apivol2', Driver: 'nfs-magic' });
  assert.equal(dup.status, 404);
  // API 1.41 prunes every unused volume: apivol2 goes, apivol1 (in use) stays
  const pruned = JSON.parse((await api(svc, 'POST', '/v1.41/volumes/prune')).body.toString());
  assert.deepEqual(pruned.VolumesDeleted, ['apivol2']);
  sb.ok(['rm', 'volc']);
  dockerOk(svc, ['volume', 'rm', 'apivol1']);
  const anon = dockerOk(svc, ['volume', 'create']).trim();
  assert.match(anon, /^[0-9a-f]{64}$/);
  const py = dockerPy<{ name: string; labels: Record<string, string> }>(
    svc,
    `v = client.volumes.create(name='pyvol', labels={'via': 'py'})
print(json.dumps({'name': v.name, 'labels': client.volumes.get('pyvol').attrs['Labels']}))
v.remove()`,
  );
  assert.deepEqual(py, { name: 'pyvol', labels: { via: 'py' } });
  dockerOk(svc, ['volume', 'rm', anon]);
  assert.deepEqual(lines(dockerOk(svc, ['volume', 'ls', '-q'])), []);
});
