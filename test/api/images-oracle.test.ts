/**
 * Docker as the oracle for the object routes' documents: the same requests (API 1.41) to berth's
 * service and to a private dockerd 20.10 after the same operations; the answers must have the
 * same fields and agree on everything that does not depend on the engine (names, labels,
 * subnets, reports, status codes).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { Sandbox } from '../helpers/berth.js';
import { Service, type ApiResponse } from '../helpers/service.js';
import { TestDockerd } from '../docker/dockerd.js';
import { NEEDS_ROOT } from '../helpers/tools.js';
import { busyboxTarball } from '../fixtures/busybox.js';
import { api, dockerOk } from './images-clients.js';

const skip = NEEDS_ROOT;
let sb: Sandbox;
let svc: Service;
let dockerd: TestDockerd;

function dockerApi(method: string, path: string, body?: unknown): Promise<ApiResponse> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const req = request(
      {
        socketPath: dockerd.sock,
        method,
        path,
        agent: false,
        headers: data ? { 'Content-Type': 'application/json', 'Content-Length': String(data.length) } : {},
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const buf = Buffer.concat(chunks);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: buf, json: () => JSON.parse(buf.toString()) });
        });
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

/** The same request to both; both answers, with the same status. */
async function both(method: string, path: string, body?: unknown): Promise<{ b: any; d: any }> {
  const [b, d] = [await api(svc, method, `/v1.41${path}`, body), await dockerApi(method, `/v1.41${path}`, body)];
  assert.equal(b.status, d.status, `${method} ${path}: berth ${b.status} ${b.body}, docker ${d.status} ${d.body}`);
  const parse = (r: ApiResponse) => (r.body.length ? r.json() : undefined);
  return { b: parse(b), d: parse(d) };
}
const keys = (o: object) => Object.keys(o).sort();

before(async () => {
  if (skip) return;
  sb = new Sandbox('berth-api-oracle');
  svc = await new Service(sb).start();
  dockerd = new TestDockerd('berth-api-oracd');
  await dockerd.start();
  for (const env of [svc.dockerEnv, { ...process.env, DOCKER_HOST: dockerd.host, DOCKER_CONFIG: sb.path('dcfg'), DOCKER_CONTEXT: '' }]) {
    dockerOk({ dockerEnv: env } as Service, ['import', '--change', 'LABEL origin=oracle', busyboxTarball(), 'busybox:latest']);
  }
});

after(async () => {
  if (skip) return;
  await svc?.stop();
  sb?.dispose();
  await dockerd?.stop();
});

test("image list, inspect and history documents as dockerd's", { skip }, async () => {
  const list = await both('GET', '/images/json');
  assert.equal(list.b.length, 1);
  assert.deepEqual(keys(list.b[0]), keys(list.d[0]));
  for (const k of ['RepoTags', 'RepoDigests', 'Labels', 'ParentId', 'SharedSize', 'Containers']) assert.deepEqual(list.b[0][k], list.d[0][k], k);
  const doc = await both('GET', '/images/busybox/json');
  for (const k of keys(doc.d)) assert.ok(k in doc.b, `image inspect lacks ${k}`);
  assert.deepEqual(keys(doc.b.Config), keys(doc.d.Config));
  assert.deepEqual(doc.b.ContainerConfig, doc.d.ContainerConfig);
  assert.deepEqual(doc.b.Config.Labels, doc.d.Config.Labels);
  const hist = await both('GET', '/images/busybox/history');
  assert.deepEqual(hist.b.map(keys), hist.d.map(keys));
  assert.deepEqual(
    hist.b.map((h: any) => [h.Tags, h.CreatedBy, h.Comment]),
    hist.d.map((h: any) => [h.Tags, h.CreatedBy, h.Comment]),
  );
  await both('GET', '/images/nosuch/json');
  await both('GET', `/images/json?filters=${encodeURIComponent('{"nope":["x"]}')}`);
});

test("network and volume documents, prune reports and errors as dockerd's", { skip }, async () => {
  const created = await both('POST', '/networks/create', { Name: 'orn', IPAM: { Config: [{ Subnet: '10.217.3.0/24' }] }, Labels: { k: 'v' }, Internal: true });
  assert.deepEqual(keys(created.b), keys(created.d));
  const net = await both('GET', '/networks/orn');
  assert.deepEqual(keys(net.b), keys(net.d));
  for (const k of ['Name', 'Scope', 'Driver', 'EnableIPv6', 'Internal', 'Attachable', 'Ingress', 'ConfigFrom', 'ConfigOnly', 'Containers', 'Options', 'Labels'])
    assert.deepEqual(net.b[k], net.d[k], k);
  assert.equal(net.b.IPAM.Config[0].Subnet, net.d.IPAM.Config[0].Subnet);
  // the docker CLI and compose send CheckDuplicate (berth's names are always unique)
  await both('POST', '/networks/create', { Name: 'orn', CheckDuplicate: true });
  await both('GET', '/networks/nosuch');
  const vol = await both('POST', '/volumes/create', { Name: 'orv', Labels: { k: 'v' } });
  assert.deepEqual(keys(vol.b), keys(vol.d));
  for (const k of ['Driver', 'Labels', 'Name', 'Options', 'Scope']) assert.deepEqual(vol.b[k], vol.d[k], k);
  assert.match(vol.b.CreatedAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  const vols = await both('GET', '/volumes');
  assert.deepEqual(keys(vols.b), keys(vols.d));
  await both('GET', '/volumes/nosuch');
  const np = await both('POST', '/networks/prune');
  assert.deepEqual(np.b, np.d);
  assert.deepEqual(np.b, { NetworksDeleted: ['orn'] });
  const vp = await both('POST', '/volumes/prune');
  assert.deepEqual(vp.b, vp.d);
  const ip = await both('POST', '/images/prune');
  assert.deepEqual(ip.b, ip.d);
  const rm = await both('DELETE', '/images/busybox');
  assert.deepEqual(rm.b[0], rm.d[0]);
  assert.ok(rm.b.some((e: any) => e.Deleted));
});
