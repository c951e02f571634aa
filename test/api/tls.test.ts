/**
 * `berth system service tcp://127.0.0.1:PORT --tlsverify --tlscacert --tlscert --tlskey`, end to
 * end: certificates made here with openssl (test/helpers/certs.ts), docker's CLI with its own TLS
 * flags and the client certificate gets `version` and an attached `run --rm`; a client without a
 * certificate, or speaking plain HTTP, is refused; plain TCP off loopback is refused at start.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BERTH, Sandbox } from '../helpers/berth.js';
import { makeCerts } from '../helpers/certs.js';
import { stopChild } from '../helpers/child-process.js';
import { freePort } from '../helpers/registry.js';
import { NEEDS_ROOT, requireTool } from '../helpers/tools.js';
import { busyboxTarball } from '../fixtures/busybox.js';
import { until } from './clients.js';

const skip = NEEDS_ROOT;
let box: Sandbox;
let certs = '';
let tcp = '';
let service: ChildProcess | undefined;
let serviceErr = '';
const c = (f: string) => join(certs, f);

/** docker's CLI with nothing of the machine's (an empty config dir: no ~/.docker certificates). */
function docker(bin: string, args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, DOCKER_CONFIG: join(certs, 'empty'), NO_COLOR: '1' };
  for (const k of ['DOCKER_HOST', 'DOCKER_CONTEXT', 'DOCKER_TLS_VERIFY', 'DOCKER_CERT_PATH']) delete env[k];
  const r = spawnSync(bin, ['-H', tcp, ...args], { env, timeout: 90_000 });
  return { code: r.status ?? -1, stdout: r.stdout?.toString() ?? '', stderr: r.stderr?.toString() ?? '' };
}
const tlsFlags = () => ['--tlsverify', '--tlscacert', c('ca.pem'), '--tlscert', c('cert.pem'), '--tlskey', c('key.pem')];
const clis = () => [requireTool(['/usr/bin/docker'], 'docker.io'), ...['/usr/local/bin/docker'].filter((p) => existsSync(p))];

before(async () => {
  if (skip) return;
  requireTool(['/usr/bin/openssl'], 'openssl');
  certs = mkdtempSync(join(tmpdir(), 'berth-api-tls-'));
  mkdirSync(join(certs, 'empty'));
  makeCerts(certs);
  box = new Sandbox('berth-api-tls');
  box.ok(['import', busyboxTarball(), 'busybox']);
  tcp = `tcp://127.0.0.1:${await freePort()}`;
  const flags = ['--tlsverify', '--tlscacert', c('ca.pem'), '--tlscert', c('server-cert.pem'), '--tlskey', c('server-key.pem')];
  service = spawn(BERTH, ['system', 'service', tcp, ...flags, '--time', '0'], { env: box.env, stdio: ['ignore', 'ignore', 'pipe'] });
  service.stderr!.on('data', (b: Buffer) => (serviceErr += b.toString()));
  const bin = clis()[0]!;
  await until('the TLS service to answer', () => {
    if (service!.exitCode !== null) throw new Error(`berth system service exited: ${serviceErr}`);
    return docker(bin, [...tlsFlags(), 'version', '--format', '{{.Server.APIVersion}}']).code === 0;
  });
});

after(async () => {
  await stopChild(service, 20_000);
  box?.dispose();
  if (certs) rmSync(certs, { recursive: true, force: true });
});

test("docker's CLI with --tlsverify and a client certificate: version, and run --rm attached", { skip }, () => {
  for (const bin of clis()) {
    const v = docker(bin, [...tlsFlags(), 'version', '--format', '{{.Server.APIVersion}}']);
    assert.equal(v.code, 0, `${bin}: ${v.stderr}`);
    assert.equal(v.stdout, '1.41\n', bin);
    const r = docker(bin, [...tlsFlags(), 'run', '--rm', '--net', 'none', 'busybox', 'sh', '-c', 'echo over-tls; exit 3']);
    assert.equal(r.stdout, 'over-tls\n', `${bin}: ${r.stderr}`);
    assert.equal(r.code, 3, bin);
    assert.equal(box.ok(['ps', '-aq']), '', bin);
  }
});

test('a client without a certificate, or with plain HTTP, is refused', { skip }, (t) => {
  const bin = clis()[0]!;
  const noCert = docker(bin, ['--tlsverify', '--tlscacert', c('ca.pem'), 'version']);
  assert.notEqual(noCert.code, 0);
  t.diagnostic(noCert.stderr.trim());
  assert.match(noCert.stderr, /certificate|tls/i);
  assert.doesNotMatch(noCert.stdout, /Server:/);
  const plain = docker(bin, ['version', '--format', '{{.Server.APIVersion}}']);
  assert.notEqual(plain.code, 0);
  t.diagnostic(plain.stderr.trim());
  // a certificate of another CA: the service does not trust it either
  const other = docker(bin, ['--tls', '--tlscacert', c('other-ca.pem'), '--tlscert', c('other-ca.pem'), '--tlskey', c('other-ca-key.pem'), 'version']);
  assert.notEqual(other.code, 0);
});

test('plain TCP off loopback is refused at start, with the way out in the message', { skip }, () => {
  const r = box.run(['system', 'service', 'tcp://0.0.0.0:2375', '--time', '1']);
  assert.equal(r.code, 1);
  assert.equal(
    r.stderr,
    'Error: refusing to serve the API without TLS on 0.0.0.0: use a loopback address, or --tlsverify with --tlscacert, --tlscert and --tlskey\n',
  );
});
