/**
 * berth as a normal user (issue 16): the embedded engine refuses in one line that says it needs
 * root and how to reach a daemon instead, exit 1 (run: 125, as docker's run), no stack, without
 * touching its state root; version, help, contexts and every -H / -c / DOCKER_HOST use work.
 * bin/berth runs as nobody (setpriv) with its own HOME; the daemon is a small fake Docker API
 * on a unix socket served by this test.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BERTH } from '../helpers/berth.js';
import { COMMANDS } from '../../src/cli/registry.js';

const NOBODY = 65534;
const dir = mkdtempSync(join(tmpdir(), 'berth-nonroot-'));
const home = join(dir, 'home');
const stateRoot = join(dir, 'state'); // must never be created
const sock = join(dir, 'docker.sock');
const defaultRoot = '/var/lib/berth';
const defaultRootBefore = statSync(defaultRoot, { throwIfNoEntry: false })?.ctimeMs;
let server: Server | undefined;
const requests: string[] = [];

/** Just enough of the Docker API for version, info and the listings. */
function fakeDocker(): Server {
  const version = {
    Version: '20.10.99',
    ApiVersion: '1.41',
    MinAPIVersion: '1.12',
    Os: 'linux',
    Arch: 'amd64',
    KernelVersion: '6.1',
    Components: [{ Name: 'Engine', Version: '20.10.99' }],
  };
  const info = {
    Name: 'fakehost',
    ServerVersion: '20.10.99',
    OperatingSystem: 'Fake OS',
    KernelVersion: '6.1',
    Architecture: 'x86_64',
    NCPU: 2,
    MemTotal: 1 << 30,
    Driver: 'overlay2',
    CgroupVersion: '1',
    CgroupDriver: 'cgroupfs',
    DockerRootDir: '/var/lib/docker',
    Containers: 0,
    Images: 0,
  };
  return createServer((req, res) => {
    const path = (req.url ?? '/').replace(/^\/v[\d.]+/, '').split('?')[0]!;
    requests.push(`${req.method} ${path}`);
    const json = (v: unknown) => {
      res.writeHead(200, { 'content-type': 'application/json', 'api-version': '1.41' });
      res.end(JSON.stringify(v));
    };
    if (path === '/_ping') {
      res.writeHead(200, { 'api-version': '1.41', 'content-type': 'text/plain' });
      res.end(req.method === 'HEAD' ? undefined : 'OK');
    } else if (path === '/version') json(version);
    else if (path === '/info') json(info);
    else if (path === '/containers/json' || path === '/images/json') json([]);
    else {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: `not faked: ${path}` }));
    }
  });
}

before(async () => {
  mkdirSync(home);
  chmodSync(dir, 0o755);
  chmodSync(home, 0o777);
  server = fakeDocker();
  await new Promise<void>((r) => server!.listen(sock, r));
  chmodSync(sock, 0o666);
});

after(async () => {
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  rmSync(dir, { recursive: true, force: true });
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

const AS_NOBODY = [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups'];
/**
 * A checkout under root's home (/root is 0700: `git clone` there as root, as the README's
 * commands do on a fresh machine) is out of nobody's reach: then nobody may look through
 * directories (CAP_DAC_READ_SEARCH, ambient), which reaches bin/berth and changes nothing else
 * the test asserts (writing still needs the permissions nobody lacks).
 */
const REACH = spawnSync('setpriv', [...AS_NOBODY, 'test', '-x', BERTH]).status === 0 ? [] : ['--inh-caps=+dac_read_search', '--ambient-caps=+dac_read_search'];

/** bin/berth as nobody, with an environment of its own (no root's DOCKER_HOST or contexts). */
function asNobody(args: string[], env: Record<string, string | undefined> = {}): Promise<Run> {
  const vars = Object.entries({ HOME: home, PATH: process.env.PATH, BERTH_ROOT: stateRoot, ...env }).filter(([, v]) => v !== undefined);
  const environment = ['env', '-i', ...vars.map(([k, v]) => `${k}=${v}`)];
  return new Promise((resolve) => {
    execFile('setpriv', [...AS_NOBODY, ...REACH, ...environment, BERTH, ...args], { timeout: 30_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

function needsRoot(r: Run, what: string, code = 1): void {
  assert.equal(r.code, code, `${what}: ${r.stderr}`);
  const lines = r.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, `${what}: one line, no stack:\n${r.stderr}`);
  assert.match(
    lines[0]!,
    /^Error: berth's embedded engine needs root \(no rootless mode yet\); to use a Docker or Podman daemon instead: berth -H unix:\/\/\/run\/user\/65534\/podman\/podman\.sock, DOCKER_HOST, or berth context use NAME$/,
    what,
  );
}

test('the embedded engine refuses a normal user in one line, touching nothing', async () => {
  for (const args of [['ps'], ['info'], ['images'], ['volume', 'ls'], ['network', 'ls'], ['system', 'prune', '-f']])
    needsRoot(await asNobody(args), args.join(' '));
  // run fails as docker's run does when it cannot reach its engine: 125
  needsRoot(await asNobody(['run', '--rm', 'busybox', 'true']), 'run', 125);
  // the dashboard on the embedded engine says so before it asks for a terminal
  needsRoot(await asNobody([]), 'the dashboard');
  assert.equal(existsSync(stateRoot), false);
});

test("version, --help and every command's --help work for a normal user", async () => {
  const v = await asNobody(['version']);
  assert.equal(v.code, 0, v.stderr);
  assert.match(v.stdout, /^Client: berth\n Version: {6}\S+/);
  assert.match(v.stdout, /\nServer: berth \(embedded engine, no daemon\)\n API version: {2}\S+\n Unavailable: {2}berth's embedded engine needs root/);
  assert.equal(v.stderr, '');
  assert.match((await asNobody(['--version'])).stdout, /^berth version /);
  assert.match((await asNobody(['--help'])).stdout, /Usage: {2}berth \[OPTIONS\] COMMAND/);
  for (const name of Object.keys(COMMANDS)) {
    const r = await asNobody([...name.split(' '), '--help']);
    assert.equal(r.code, 0, `${name} --help: ${r.stderr}`);
    assert.match(r.stdout, /^Usage: berth /, name);
  }
  assert.equal(existsSync(stateRoot), false);
});

test('-H, DOCKER_HOST, contexts and -c reach a daemon as a normal user', async () => {
  const host = `unix://${sock}`;
  const header = /^CONTAINER ID\s+IMAGE\s+COMMAND\s+CREATED\s+STATUS\s+PORTS\s+NAMES\n$/;
  const ps = await asNobody(['-H', host, 'ps']);
  assert.equal(ps.code, 0, ps.stderr);
  assert.match(ps.stdout, header);
  const v = await asNobody(['-H', host, 'version']);
  assert.equal(v.code, 0, v.stderr);
  assert.match(v.stdout, /Server: Docker Engine 20\.10\.99/);
  const env = await asNobody(['images', '-q'], { DOCKER_HOST: host });
  assert.equal(env.code, 0, env.stderr);
  assert.equal(env.stdout, '');
  const info = await asNobody(['-H', host, 'info']);
  assert.equal(info.code, 0, info.stderr);
  assert.match(info.stdout, /\n Name: fakehost\n/);

  const create = await asNobody(['context', 'create', 'fake', '--docker', `host=${host}`]);
  assert.equal(create.code, 0, create.stderr);
  assert.match((await asNobody(['context', 'ls'])).stdout, new RegExp(`\\nfake\\s+${host.replace(/[/.]/g, '\\$&')}`));
  assert.equal(JSON.parse((await asNobody(['context', 'inspect', 'fake'])).stdout)[0].Endpoints.docker.Host, host);
  const byName = await asNobody(['-c', 'fake', 'ps']);
  assert.equal(byName.code, 0, byName.stderr);
  assert.match(byName.stdout, header);
  assert.equal((await asNobody(['context', 'use', 'fake'])).code, 0);
  const current = await asNobody(['ps']);
  assert.equal(current.code, 0, current.stderr);
  assert.match(current.stdout, header);
  assert.equal((await asNobody(['context', 'use', 'default'])).code, 0);
  needsRoot(await asNobody(['ps']), 'ps after context use default');
  assert.equal((await asNobody(['context', 'rm', 'fake'])).code, 0);
  assert.ok(requests.includes('GET /containers/json'), requests.join(', '));
  assert.equal(existsSync(stateRoot), false);
});

test('nothing of this ran touched the default state root', async () => {
  // the runs above had BERTH_ROOT set; these two have not
  needsRoot(await asNobody(['ps'], { BERTH_ROOT: undefined }), 'ps on the default root');
  assert.equal((await asNobody(['version'], { BERTH_ROOT: undefined })).code, 0);
  assert.equal(statSync(defaultRoot, { throwIfNoEntry: false })?.ctimeMs, defaultRootBefore);
});
