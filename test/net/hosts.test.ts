import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NetError, parseExtraHost, renderHosts, renderResolvConf, syncHostsFiles, writeInPlace, type ResolverContainer } from '../../src/net/index.js';

const c = (id: string, name: string, endpoints: ResolverContainer['endpoints'], hostsPath = ''): ResolverContainer => ({
  id: id.repeat(64 / id.length),
  name,
  hostname: id.repeat(12 / id.length),
  hostsPath,
  endpoints,
});

test('hosts file: peers on shared user networks, shared alias, no default-bridge names', () => {
  const a = c('a', 'web', [{ networkId: 'N1', ip: '10.1.0.2', aliases: ['svc'] }]);
  const b = c('b', 'web2', [
    { networkId: 'N1', ip: '10.1.0.3', aliases: ['svc'] },
    { networkId: 'N2', ip: '10.2.0.2', aliases: [] },
  ]);
  const d = c('d', 'other', [{ networkId: 'N2', ip: '10.2.0.3', aliases: [] }]);
  const e = c('e', 'def', [{ networkId: 'DEF', ip: '172.17.0.2', aliases: [] }]);
  const all = [a, b, d, e];
  const dns = new Set(['N1', 'N2']);
  const ha = renderHosts(a, all, dns);
  assert.match(ha, /^127\.0\.0\.1\tlocalhost$/m);
  assert.match(ha, /^10\.1\.0\.2\taaaaaaaaaaaa web svc$/m);
  assert.match(ha, /^10\.1\.0\.3\tweb2 bbbbbbbbbbbb svc$/m);
  assert.doesNotMatch(ha, /other|10\.2\./); // d is not on a's networks; b's N2 address not either
  const hd = renderHosts(d, all, dns);
  assert.match(hd, /^10\.2\.0\.2\tweb2 bbbbbbbbbbbb$/m);
  assert.doesNotMatch(hd, /\bweb\b/);
  const he = renderHosts(e, all, dns);
  assert.equal(he.split('\n').filter((l) => l.startsWith('172.17.0.2')).length, 1); // own line only
  assert.doesNotMatch(he, /web/);
});

test('hosts file rewrite keeps the inode and skips unchanged files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'berth-net-hosts-'));
  try {
    const p = join(dir, 'hosts');
    writeInPlace(p, 'first version, long long long\n');
    const ino = statSync(p).ino;
    writeInPlace(p, 'short\n');
    assert.equal(readFileSync(p, 'utf8'), 'short\n');
    assert.equal(statSync(p).ino, ino);
    const a = c('a', 'web', [{ networkId: 'N1', ip: '10.1.0.2', aliases: [] }], p);
    syncHostsFiles([a], new Set(['N1']));
    const m1 = statSync(p).mtimeMs;
    assert.equal(statSync(p).ino, ino);
    syncHostsFiles([a], new Set(['N1']));
    assert.equal(statSync(p).mtimeMs, m1);
    // a container without a hosts file (never started, or its directory being removed by
    // another berth) is skipped, not given one
    const gone = join(dir, 'gone', 'hosts');
    syncHostsFiles([a, c('b', 'other', [{ networkId: 'N1', ip: '10.1.0.3', aliases: [] }], gone)], new Set(['N1']));
    assert.ok(!existsSync(join(dir, 'gone')));
    assert.match(readFileSync(p, 'utf8'), /10\.1\.0\.3\tother/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--add-host', () => {
  assert.deepEqual(parseExtraHost('db:10.0.0.5'), { host: 'db', ip: '10.0.0.5' });
  assert.deepEqual(parseExtraHost('db=10.0.0.5'), { host: 'db', ip: '10.0.0.5' });
  assert.deepEqual(parseExtraHost('v6:::1'), { host: 'v6', ip: '::1' });
  assert.deepEqual(parseExtraHost('gw:host-gateway', '172.17.0.1'), { host: 'gw', ip: '172.17.0.1' });
  assert.throws(
    () => parseExtraHost('nocolon'),
    (e: unknown) => e instanceof NetError && /bad format for add-host/.test(e.message),
  );
  assert.throws(() => parseExtraHost('db:zz'), /invalid IP address in add-host/);
  const a = { ...c('a', 'web', []), extraHosts: [parseExtraHost('db:10.0.0.5')] };
  assert.match(renderHosts(a, [a], new Set()), /^10\.0\.0\.5\tdb$/m);
});

test('resolv.conf', () => {
  const host = 'nameserver 127.0.0.53\nnameserver 192.0.2.53\nnameserver 2001:db8::1\nsearch example.com\noptions edns0\n';
  assert.equal(renderResolvConf(host), 'nameserver 192.0.2.53\nsearch example.com\noptions edns0\n');
  assert.equal(renderResolvConf('nameserver 127.0.0.1\n'), 'nameserver 8.8.8.8\nnameserver 8.8.4.4\n');
  assert.equal(renderResolvConf(host, { dns: ['1.1.1.1'] }), 'nameserver 1.1.1.1\nsearch example.com\noptions edns0\n');
  assert.throws(() => renderResolvConf(host, { dns: ['x'] }), /x is not an ip address/);
});
