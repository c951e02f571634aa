/**
 * `berth system service` itself: the socket (mode 0660), docker's headers and version
 * prefixes, --time idle exit, systemd socket activation (LISTEN_FDS), 20 clients at once, a
 * client that leaves mid-stream, and the service's exit leaving containers running.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { statSync, existsSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { Sandbox, BERTH } from '../helpers/berth.js';
import { Service, apiRequest } from '../helpers/service.js';
import { NEEDS_ROOT } from '../helpers/tools.js';
import { busyboxTarball } from '../fixtures/busybox.js';
import { until } from './clients.js';

describe('berth system service', { skip: NEEDS_ROOT, timeout: 600_000 }, () => {
  let box: Sandbox;
  let svc: Service;
  before(async () => {
    box = new Sandbox('berth-api-svc');
    box.ok(['import', busyboxTarball(), 'busybox']);
    svc = await new Service(box).start();
  });
  after(async () => {
    await svc?.stop();
    box?.dispose();
  });

  it('listens on a 0660 socket and answers _ping (GET and HEAD) with docker headers, versioned or not', async () => {
    const st = statSync(svc.socket);
    assert.ok(st.isSocket());
    assert.equal(st.mode & 0o777, 0o660);
    for (const path of ['/_ping', '/v1.41/_ping', '/v1.24/_ping']) {
      const r = await svc.request('GET', path);
      assert.equal(r.status, 200);
      assert.equal(r.body.toString(), 'OK');
      assert.equal(r.headers['api-version'], '1.41');
      assert.equal(r.headers['ostype'], 'linux');
      assert.equal(r.headers['docker-experimental'], 'false');
      assert.equal(r.headers['builder-version'], '1'); // the classic builder
      assert.match(String(r.headers['server']), /^Docker\//);
    }
    const head = await svc.request('HEAD', '/_ping');
    assert.equal(head.status, 200);
    assert.equal(head.headers['api-version'], '1.41');
    const v = (await svc.request('GET', '/v1.41/version')).json();
    assert.equal(v.ApiVersion, '1.41');
    assert.equal(v.Os, 'linux');
    const info = (await svc.request('GET', '/info')).json();
    assert.equal(info.OSType, 'linux');
    assert.equal(info.Swarm.LocalNodeState, 'inactive');
    assert.ok(info.NCPU >= 1);
  });

  it('one keep-alive connection carries many requests and piles nothing up per request', async () => {
    // 30 requests down one socket, one after another, as docker-py's pooled connection sends them
    const sock = connect(svc.socket);
    await new Promise<void>((r) => sock.once('connect', () => r()));
    let got = '';
    sock.on('data', (d: Buffer) => (got += d.toString('latin1')));
    for (let i = 1; i <= 30; i++) {
      sock.write('GET /v1.41/_ping HTTP/1.1\r\nHost: berth\r\n\r\n');
      await until(`answer ${i} on one connection`, () => (got.match(/HTTP\/1\.1 200/g) ?? []).length === i, 10_000);
    }
    sock.destroy();
    // node warns when more than 10 listeners gather on one socket (one 'close' listener per request, never taken off)
    assert.doesNotMatch(svc.stderr, /MaxListenersExceededWarning/);
  });

  it('20 clients at once create, start, stop and remove, losing nothing and leaving nothing', async () => {
    const one = async (i: number) => {
      const c = await svc.request('POST', `/v1.41/containers/create?name=par${i}`, { Image: 'busybox', Cmd: ['sleep', '60'], Labels: { par: 'yes' } });
      assert.equal(c.status, 201, c.body.toString());
      const id = c.json().Id as string;
      assert.equal((await svc.request('POST', `/v1.41/containers/${id}/start`)).status, 204);
      return id;
    };
    const ids = await Promise.all(Array.from({ length: 20 }, (_, i) => one(i)));
    assert.equal(new Set(ids).size, 20);
    const running = (await svc.request('GET', `/containers/json?filters=${encodeURIComponent('{"label":["par=yes"]}')}`)).json();
    assert.equal(running.length, 20);
    assert.ok(running.every((c: any) => c.State === 'running'));
    const stops = await Promise.all(ids.map((id) => svc.request('POST', `/containers/${id}/stop?t=1`)));
    assert.deepEqual([...new Set(stops.map((r) => r.status))], [204]);
    const rms = await Promise.all(ids.map((id) => svc.request('DELETE', `/containers/${id}?v=1`)));
    assert.deepEqual([...new Set(rms.map((r) => r.status))], [204]);
    assert.deepEqual((await svc.request('GET', '/containers/json?all=1')).json(), []);
    assert.equal(box.ok(['ps', '-aq']), '');
  });

  it('a client that leaves in the middle of a stream leaves the service healthy', async () => {
    const c = await svc.request('POST', '/containers/create?name=chatty', { Image: 'busybox', Cmd: ['sh', '-c', 'while true; do echo line; sleep 0.1; done'] });
    assert.equal(c.status, 201);
    await svc.request('POST', '/containers/chatty/start');
    for (const path of ['/containers/chatty/logs?follow=1&stdout=1', '/containers/chatty/stats', '/events']) {
      const sock = connect(svc.socket);
      sock.write(`GET ${path} HTTP/1.1\r\nHost: x\r\n\r\n`);
      let got = '';
      await new Promise<void>((resolve) => {
        sock.on('data', (d: Buffer) => {
          got += d.toString('latin1');
          if (got.includes('\r\n\r\n')) resolve();
        });
      });
      sock.destroy();
    }
    // an attach whose client vanishes: the service detaches it
    const a = connect(svc.socket);
    a.write('POST /containers/chatty/attach?stream=1&stdout=1 HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n');
    await new Promise<void>((resolve) => a.once('data', () => resolve()));
    a.destroy();
    await until('the service to be idle and answering', async () => (await svc.request('GET', '/_ping')).status === 200);
    const doc = (await svc.request('GET', '/containers/chatty/json')).json();
    assert.equal(doc.State.Running, true);
    assert.equal((await svc.request('DELETE', '/containers/chatty?force=1')).status, 204);
    assert.ok(svc.running);
  });

  it('exits after --time idle seconds; the containers it started run on and berth ps sees them', async () => {
    const s2 = new Service(box, ['--time', '2'], 'idle.sock');
    await s2.start();
    const c = await s2.request('POST', '/containers/create?name=survivor', { Image: 'busybox', Cmd: ['sleep', '300'] });
    assert.equal(c.status, 201);
    assert.equal((await s2.request('POST', '/containers/survivor/start')).status, 204);
    await until('the idle exit', () => !s2.running, 30_000);
    assert.equal(existsSync(s2.socket), false, 'the socket file is removed at exit');
    assert.match(box.ok(['ps', '--format', '{{.Names}} {{.State}}']), /^survivor running$/m);
    box.ok(['rm', '-f', 'survivor']);
  });

  it('serves the socket systemd passes (LISTEN_FDS, LISTEN_PID)', async () => {
    const path = join(box.dir, 'activated.sock');
    // as systemd: a listening socket made before the service, as its fd 3, LISTEN_PID its own
    // pid (python binds, then execs berth in the same process)
    const py = `import os, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(sys.argv[1]); s.listen(16)
if s.fileno() != 3: os.dup2(s.fileno(), 3)
os.set_inheritable(3, True)
os.environ['LISTEN_FDS'] = '1'; os.environ['LISTEN_PID'] = str(os.getpid())
os.execv(sys.argv[2], [sys.argv[2], 'system', 'service', '--time', '0'])`;
    const child = spawn('/usr/bin/python3', ['-c', py, path, BERTH], { env: box.env, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    try {
      const r = await until('an answer on the activated socket', async () => apiRequest(path, 'GET', '/v1.41/_ping').catch(() => undefined), 30_000);
      assert.equal(r.status, 200, err);
      assert.equal(r.body.toString(), 'OK');
    } finally {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
  });

  it('refuses plain tcp off loopback and bad addresses, with docker-style usage errors', () => {
    const r = box.run(['system', 'service', 'tcp://0.0.0.0:23999', '--time', '1']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /refusing to serve the API without TLS on 0\.0\.0\.0/);
    const bad = box.run(['system', 'service', 'http://x']);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /unsupported address/);
    const t = box.run(['system', 'service', '--time', 'soon']);
    assert.equal(t.code, 125);
  });
});
