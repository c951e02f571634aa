import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { NetError, parsePortSpec, publishAllRequests, resolvePorts } from '../../src/net/index.js';

const req = (hostIp: string, hs: number, he: number, c: number, protocol: 'tcp' | 'udp' = 'tcp') => ({
  hostIp,
  hostPortStart: hs,
  hostPortEnd: he,
  containerPort: c,
  protocol,
});
const bad = (spec: string, msg: RegExp) =>
  assert.throws(
    () => parsePortSpec(spec),
    (e: unknown) => e instanceof NetError && e.kind === 'invalid' && msg.test(e.message),
    spec,
  );

test('-p forms', () => {
  assert.deepEqual(parsePortSpec('80'), [req('', 0, 0, 80)]);
  assert.deepEqual(parsePortSpec('8080:80'), [req('', 8080, 8080, 80)]);
  assert.deepEqual(parsePortSpec('127.0.0.1:8080:80/udp'), [req('127.0.0.1', 8080, 8080, 80, 'udp')]);
  assert.deepEqual(parsePortSpec('127.0.0.1::80'), [req('127.0.0.1', 0, 0, 80)]);
  assert.deepEqual(parsePortSpec('0.0.0.0:8080:80'), [req('', 8080, 8080, 80)]);
  assert.deepEqual(parsePortSpec('8000-8001:80-81'), [req('', 8000, 8000, 80), req('', 8001, 8001, 81)]);
  assert.deepEqual(parsePortSpec('8000-8010:80'), [req('', 8000, 8010, 80)]);
  assert.deepEqual(parsePortSpec('80/TCP'), [req('', 0, 0, 80)]);
});

test("-p errors are docker's", () => {
  bad('abc', /^invalid containerPort: abc$/);
  bad('8080:abc', /^invalid containerPort: abc$/);
  bad('x:80', /^invalid hostPort: x$/);
  bad('70000:80', /^invalid hostPort: 70000$/);
  bad('0', /^invalid containerPort: 0$/);
  bad('1.2.3.999:80:80', /^invalid IP address: 1\.2\.3\.999$/);
  bad('80/sctpx', /^invalid proto: sctpx$/);
  bad('8080:', /^no port specified: 8080:<empty>$/);
  bad('8000-8002:80-81', /^invalid ranges specified for container and host Ports: 80-81 and 8000-8002$/);
});

test('-P requests skip ports already published', () => {
  const explicit = parsePortSpec('8080:80');
  assert.deepEqual(publishAllRequests(['80/tcp', '443/tcp', '53/udp'], explicit), [req('', 0, 0, 443), req('', 0, 0, 53, 'udp')]);
});

test('resolvePorts: allocation and conflicts', async () => {
  const [a, b] = await resolvePorts([req('', 0, 0, 80), req('127.0.0.1', 0, 0, 81, 'udp')], []);
  assert.ok(a && a.hostPort > 1024 && a.containerPort === 80);
  assert.ok(b && b.hostPort > 1024 && b.protocol === 'udp' && b.hostIp === '127.0.0.1');
  const inUse = [{ hostIp: '', hostPort: 18080, containerPort: 80, protocol: 'tcp' as const }];
  await assert.rejects(resolvePorts([req('127.0.0.1', 18080, 18080, 80)], inUse), /Bind for 127\.0\.0\.1:18080 failed: port is already allocated/);
  // same port, other protocol: fine
  await resolvePorts([req('', 18080, 18080, 80, 'udp')], inUse);
  // a host process holding the port
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  try {
    await assert.rejects(resolvePorts([req('127.0.0.1', port, port, 80)], []), /port is already allocated/);
    const [c] = await resolvePorts([req('127.0.0.1', port, port + 5, 80)], []);
    assert.ok(c && c.hostPort > port && c.hostPort <= port + 5);
  } finally {
    srv.close();
  }
});
