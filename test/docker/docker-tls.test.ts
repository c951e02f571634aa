/**
 * TLS against a real daemon (issue 7): the test's dockerd also listens on tcp://127.0.0.1:PORT
 * with --tlsverify and certificates made here with openssl (a CA, a server certificate for
 * 127.0.0.1, a client certificate; and a second CA that signed nothing). berth talks to it with
 * docker's flags (--tlsverify --tlscacert --tlscert --tlskey) and docker's variables
 * (DOCKER_HOST, DOCKER_TLS_VERIFY, DOCKER_CERT_PATH); a wrong CA, a missing client certificate
 * and plain HTTP to the TLS port each fail with one clear line and a non-zero exit.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BERTH } from '../helpers/berth.js';
import { DockerEngine } from '../../src/engine/docker/engine.js';
import { checkExec } from './engine-checks.js';
import { TestDockerd } from './dockerd.js';
import { NEEDS_ROOT, requireTool } from '../helpers/tools.js';
import { makeCerts } from '../helpers/certs.js';

const skip = NEEDS_ROOT;
let d: TestDockerd;
let certs: string;
let port: number;
let tcp: string;

/** A free port on 127.0.0.1 (bound, read, released). */
async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const p = (srv.address() as { port: number }).port;
  await new Promise((r) => srv.close(r));
  return p;
}

before(async () => {
  if (skip) return;
  requireTool(['/usr/bin/openssl'], 'openssl');
  certs = mkdtempSync(join(tmpdir(), 'berth-tls-'));
  makeCerts(certs);
  port = await freePort();
  tcp = `tcp://127.0.0.1:${port}`;
  d = new TestDockerd('berth-dtls');
  const c = (f: string) => join(certs, f);
  await d.start(['--tlsverify', '--tlscacert', c('ca.pem'), '--tlscert', c('server-cert.pem'), '--tlskey', c('server-key.pem'), '--host', tcp]);
  await d.importBusybox();
});
after(async () => {
  try {
    if (d) await d.stop();
  } finally {
    if (certs) rmSync(certs, { recursive: true, force: true });
  }
});

/** berth with no docker/berth settings from the machine: only what the test passes. */
function berth(args: string[], env: NodeJS.ProcessEnv = {}) {
  const base = { ...process.env };
  for (const k of ['DOCKER_HOST', 'DOCKER_CONTEXT', 'BERTH_CONTEXT', 'DOCKER_TLS_VERIFY', 'DOCKER_TLS', 'DOCKER_CERT_PATH']) delete base[k];
  // An empty docker config dir: ~/.docker/{ca,cert,key}.pem of the machine must not be picked up.
  const empty = join(certs, 'empty');
  mkdirSync(empty, { recursive: true });
  const r = spawnSync(BERTH, args, { env: { ...base, BERTH_CONFIG: empty, DOCKER_CONFIG: empty, HOME: empty, NO_COLOR: '1', ...env }, timeout: 60_000 });
  return { code: r.status ?? 1, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
}

const c = (f: string) => join(certs, f);

test('--tlsverify with --tlscacert/--tlscert/--tlskey: ps, run and images over TLS', { skip }, () => {
  const tls = ['-H', tcp, '--tlsverify', '--tlscacert', c('ca.pem'), '--tlscert', c('cert.pem'), '--tlskey', c('key.pem')];
  const run = berth([...tls, 'run', '--rm', 'busybox', 'echo', 'over-tls']);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout, 'over-tls\n');
  const ps = berth([...tls, 'ps', '-a']);
  assert.equal(ps.code, 0, ps.stderr);
  assert.match(ps.stdout, /^CONTAINER ID\s+IMAGE\s+COMMAND/);
  assert.match(berth([...tls, 'images']).stdout, /busybox\s+latest/);
  // --tls alone encrypts without checking the daemon's certificate (docker's meaning): a CA that
  // signed nothing is no obstacle then; the client certificate is still what the daemon wants.
  const loose = berth(['-H', tcp, '--tls', '--tlscacert', c('other-ca.pem'), '--tlscert', c('cert.pem'), '--tlskey', c('key.pem'), 'ps']);
  assert.equal(loose.code, 0, loose.stderr);
});

test('DOCKER_HOST, DOCKER_TLS_VERIFY and DOCKER_CERT_PATH, as docker reads them', { skip }, () => {
  const dir = join(certs, 'docker-cert-path');
  mkdirSync(dir, { recursive: true });
  for (const f of ['ca.pem', 'cert.pem', 'key.pem']) copyFileSync(c(f), join(dir, f));
  const ps = berth(['ps'], { DOCKER_HOST: tcp, DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: dir });
  assert.equal(ps.code, 0, ps.stderr);
  assert.match(ps.stdout, /^CONTAINER ID/);
  // -H on the command line with the variables for the certificates.
  assert.equal(berth(['-H', tcp, 'info'], { DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: dir }).code, 0);
});

function oneLineFailure(r: { code: number; stdout: string; stderr: string }, pattern: RegExp, t?: { diagnostic(s: string): void }): void {
  assert.notEqual(r.code, 0, `expected a failure:\n${r.stdout}`);
  const lines = r.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, `one line expected:\n${r.stderr}`);
  assert.match(lines[0]!, pattern);
  t?.diagnostic(`exit ${r.code}: ${lines[0]}`);
}

test("a CA that did not sign the daemon's certificate: one clear line, non-zero exit", { skip }, (t) => {
  const r = berth(['-H', tcp, '--tlsverify', '--tlscacert', c('other-ca.pem'), '--tlscert', c('cert.pem'), '--tlskey', c('key.pem'), 'ps']);
  oneLineFailure(r, /^Error: .*127\.0\.0\.1:\d+.*certificate.*(CA|--tlscacert)/i, t);
});

test('no client certificate: one clear line, non-zero exit', { skip }, (t) => {
  const r = berth(['-H', tcp, '--tlsverify', '--tlscacert', c('ca.pem'), 'ps']);
  oneLineFailure(r, /^Error: .*127\.0\.0\.1:\d+.*client certificate/i, t);
});

test('plain HTTP to the TLS port, and a missing certificate file: one clear line each', { skip }, (t) => {
  oneLineFailure(berth(['-H', tcp, 'ps']), /^Error: .*(TLS|HTTPS)/, t);
  oneLineFailure(berth(['-H', tcp, '--tlsverify', '--tlscacert', c('nope.pem'), 'ps']), /^Error: .*nope\.pem.*(no such file|not found)/i, t);
});

test('the engine: TLS options given as files, exec with stdin half-closed over TLS; the host pool sees the TLS daemon up', { skip }, async () => {
  const e = new DockerEngine({ host: tcp, tls: { verify: true, caCert: c('ca.pem'), cert: c('cert.pem'), key: c('key.pem') } });
  try {
    assert.equal((await e.system.info()).engine, 'docker');
    await e.client.ping();
    await e.containers.create({ image: 'busybox', name: 'tls-exec', cmd: ['sleep', '600'] });
    await e.containers.start('tls-exec');
    await checkExec(e, 'tls-exec');
    await e.containers.remove('tls-exec', { force: true });
  } finally {
    await e.close();
  }
  const { HostPool } = await import('../../src/engine/hosts/host-pool.js');
  const pool = new HostPool([
    { name: 'tls', host: tcp, tls: { verify: true, caCert: c('ca.pem'), cert: c('cert.pem'), key: c('key.pem') } },
    { name: 'wrong-ca', host: tcp, tls: { verify: true, caCert: c('other-ca.pem'), cert: c('cert.pem'), key: c('key.pem') } },
  ]);
  try {
    await pool.probe();
    const st = pool.statuses();
    assert.equal(st[0]!.state, 'up');
    assert.equal(st[1]!.state, 'down');
    assert.match(st[1]!.error ?? '', /certificate/i);
  } finally {
    await pool.close();
  }
});
