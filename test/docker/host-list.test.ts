/**
 * Which hosts the dashboard offers and which it opens on (repeated -H / --context, contexts,
 * DOCKER_HOST), in a temp BERTH_CONFIG; and commands refusing several hosts with one line.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ContextStore } from '../../src/engine/docker/contexts.js';
import { dashboardHosts, shortHostName } from '../../src/engine/docker/host-list.js';
import { isEngineError } from '../../src/engine/errors.js';
import { BERTH } from '../helpers/berth.js';

let dir: string;
let env: NodeJS.ProcessEnv;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'berth-hostlist-'));
  env = { BERTH_CONFIG: join(dir, 'berth'), DOCKER_CONFIG: join(dir, 'docker'), HOME: dir };
  const store = new ContextStore(env);
  store.create('prod', 'ssh://admin@prod1');
  store.create('lab', 'tcp://10.0.0.5:2376', { tls: { verify: true } });
});
after(() => rmSync(dir, { recursive: true, force: true }));

const names = (l: ReturnType<typeof dashboardHosts>) => l.specs.map((s) => s.name);

test('short names for -H hosts', () => {
  assert.equal(shortHostName('unix:///var/run/docker.sock'), 'docker');
  assert.equal(shortHostName('/run/podman/podman.sock'), 'podman');
  assert.equal(shortHostName('ssh://admin@prod1:2222'), 'admin@prod1');
  assert.equal(shortHostName('tcp://10.1.2.3:2376'), '10.1.2.3:2376');
  assert.throws(
    () => shortHostName('tcp://[bad'),
    (e) => isEngineError(e, 'invalid'),
  );
  assert.throws(
    () => shortHostName('ftp://x'),
    (e) => isEngineError(e, 'invalid') && /unsupported host scheme ftp:/.test(e.message),
  );
});

test('no flags: the embedded engine and every context; opens on the current one', () => {
  const l = dashboardHosts({}, env);
  assert.deepEqual(names(l), ['default', 'lab', 'prod']);
  assert.equal(l.initial, 'default');
  assert.equal(l.specs[0]!.label, 'embedded');
  assert.equal(l.specs[0]!.host, '');
  assert.equal(l.specs.find((s) => s.name === 'prod')!.host, 'ssh://admin@prod1');
  // DOCKER_HOST joins the list and is what opens, as for a command.
  const withEnv = dashboardHosts({}, { ...env, DOCKER_HOST: 'unix:///tmp/x/docker.sock' });
  assert.equal(withEnv.initial, 'docker');
  assert.ok(names(withEnv).includes('docker'));
});

test('one -H opens on it; several -H/-c open the all-hosts view; all are first in the list', () => {
  const one = dashboardHosts({ hosts: ['unix:///tmp/a/docker.sock'] }, env);
  assert.equal(one.initial, 'docker');
  assert.deepEqual(names(one), ['docker', 'default', 'lab', 'prod']);
  const several = dashboardHosts({ hosts: ['unix:///tmp/a/docker.sock', 'unix:///tmp/b/docker.sock'], contexts: ['prod'] }, env);
  assert.equal(several.initial, undefined);
  // Two sockets with the same file name get distinct names.
  assert.deepEqual(names(several), ['docker', 'docker-2', 'prod', 'default', 'lab']);
  assert.equal(several.specs[1]!.host, 'unix:///tmp/b/docker.sock');
});

test("a -H that a context already points at takes the context's name and TLS settings", () => {
  const l = dashboardHosts({ hosts: ['tcp://10.0.0.5:2376'] }, env);
  assert.equal(l.initial, 'lab');
  assert.deepEqual(l.specs[0]!.tls, { verify: true, tls: false, caCert: undefined, cert: undefined, key: undefined });
  assert.equal(names(l).filter((n) => n === 'lab').length, 1);
});

test('-c with a context that does not exist fails before anything opens', () => {
  assert.throws(
    () => dashboardHosts({ contexts: ['nope'] }, env),
    (e) => isEngineError(e, 'not-found') && /context "nope" does not exist/.test(e.message),
  );
});

test('a command with two hosts: one line, non-zero exit', () => {
  const r = spawnSync(BERTH, ['-H', 'unix:///tmp/a.sock', '-H', 'unix:///tmp/b.sock', 'ps'], { env: { ...process.env, ...env }, timeout: 30_000 });
  assert.notEqual(r.status, 0);
  assert.equal(r.stderr.toString(), 'Error: several hosts (-H/--context) are for the dashboard; a command takes one\n');
  const help = spawnSync(BERTH, ['--help'], { env: { ...process.env, ...env }, timeout: 30_000 }).stdout.toString();
  assert.match(help, /-H, --host list/);
  assert.match(help, /--tlsverify/);
  assert.match(help, /repeat -H and\/or -c/);
  // The dashboard refuses a bad host or context before anything else (here: no terminal).
  const scheme = spawnSync(BERTH, ['-H', 'ftp://x'], { env: { ...process.env, ...env }, timeout: 30_000 });
  assert.equal(scheme.status, 1);
  assert.equal(scheme.stderr.toString(), 'Error: unsupported host scheme ftp: (use unix://, tcp:// or ssh://)\n');
  const ctx = spawnSync(BERTH, ['-c', 'nope'], { env: { ...process.env, ...env }, timeout: 30_000 });
  assert.equal(ctx.status, 1);
  assert.equal(ctx.stderr.toString(), 'Error: context "nope" does not exist\n');
  const bad = spawnSync(BERTH, ['--tlsverify=maybe', 'ps'], { env: { ...process.env, ...env }, timeout: 30_000 });
  assert.equal(bad.status, 125);
  assert.match(bad.stderr.toString(), /^berth: invalid argument "maybe" for "--tlsverify" flag: strconv\.ParseBool: parsing "maybe": invalid syntax\n/);
});
