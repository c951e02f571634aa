/**
 * docker-compose 1.29 (Debian's, on docker-py 5) through `berth system service`, with the
 * project in test/fixtures/compose: a service built from a Dockerfile and one on the busybox
 * image, a user network with an alias, a named volume shared by both, a healthcheck and
 * depends_on with condition service_healthy (healthy.yml layered over the project: web starts
 * only once store's healthcheck passed). up -d, ps, logs, exec, restart, up -d again (nothing
 * recreated), a change (only that service recreated), down -v (no container, network or volume left).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { SRC_ROOT, Sandbox } from '../helpers/berth.js';
import { Service } from '../helpers/service.js';
import { NEEDS_ROOT, requireTool } from '../helpers/tools.js';
import { busyboxTarball } from '../fixtures/busybox.js';
import { dockerOk, type Ran } from './images-clients.js';

const skip = NEEDS_ROOT;
const PROJECT = 'apicomp';
const FILES = ['-f', join(SRC_ROOT, 'test/fixtures/compose/docker-compose.yml'), '-f', join(SRC_ROOT, 'test/fixtures/compose/healthy.yml')];
let sb: Sandbox;
let svc: Service;

function compose(args: string[], env: NodeJS.ProcessEnv = {}): Ran {
  const bin = requireTool(['/usr/bin/docker-compose'], 'docker-compose');
  // compose's exec and build run `docker exec` and `docker build`: the 20.10 CLI, not a newer
  // one earlier on PATH. Its build is compose's default (the CLI's, with --iidfile), the classic
  // builder because berth's _ping says so, with no DOCKER_BUILDKIT or COMPOSE_DOCKER_CLI_BUILD set.
  const clean = { ...svc.dockerEnv };
  delete clean.DOCKER_BUILDKIT;
  delete clean.COMPOSE_DOCKER_CLI_BUILD;
  const r = spawnSync(bin, ['-p', PROJECT, ...FILES, ...args], {
    env: { ...clean, PATH: `/usr/bin:${process.env.PATH}`, ...env },
    timeout: 300_000,
    maxBuffer: 64 << 20,
  });
  return { code: r.status ?? 128, stdout: r.stdout?.toString() ?? '', stderr: r.stderr?.toString() ?? '' };
}
function composeOk(args: string[], env?: NodeJS.ProcessEnv): Ran {
  const r = compose(args, env);
  if (r.code !== 0) throw new Error(`docker-compose ${args.join(' ')} exited ${r.code}: ${r.stderr}${r.stdout}`);
  return r;
}

/** service name → container id, from the compose labels. */
function containers(): Record<string, string> {
  const out = dockerOk(svc, [
    'ps',
    '-a',
    '--no-trunc',
    '--filter',
    `label=com.docker.compose.project=${PROJECT}`,
    '--format',
    '{{.ID}} {{.Label "com.docker.compose.service"}}',
  ]);
  return Object.fromEntries(
    out
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split(' ').reverse()),
  );
}

async function until<T>(what: string, f: () => T | undefined, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

before(async () => {
  if (skip) return;
  sb = new Sandbox('berth-api-compose');
  svc = await new Service(sb).start();
  dockerOk(svc, ['import', busyboxTarball(), 'busybox:latest']);
});

after(async () => {
  if (skip) return;
  compose(['down', '-v', '--rmi', 'local', '-t', '1']);
  await svc?.stop();
  sb?.dispose();
});

test('up -d builds and starts both services on the project network with the named volume', { skip }, async () => {
  const up = composeOk(['up', '-d']);
  const said = up.stderr + up.stdout;
  assert.match(said, new RegExp(`Creating network "${PROJECT}_appnet"`));
  assert.match(said, new RegExp(`Creating volume "${PROJECT}_data"`));
  assert.match(said, /Successfully built [0-9a-f]{12}/);
  assert.match(said, new RegExp(`Creating ${PROJECT}_store_1 \\.\\.\\. done`));
  assert.match(said, new RegExp(`Creating ${PROJECT}_web_1\\s+\\.\\.\\. done`));
  const ids = containers();
  assert.deepEqual(Object.keys(ids).sort(), ['store', 'web']);
  const ps = composeOk(['ps']).stdout;
  assert.match(ps, new RegExp(`${PROJECT}_store_1 .* Up`));
  assert.match(ps, new RegExp(`${PROJECT}_web_1 .* Up`));
  const web = JSON.parse(dockerOk(svc, ['inspect', ids.web!]))[0];
  assert.equal(web.Config.Labels['berth.test'], 'compose');
  assert.ok(`${PROJECT}_appnet` in web.NetworkSettings.Networks);
  const store = JSON.parse(dockerOk(svc, ['inspect', ids.store!]))[0];
  assert.ok(store.NetworkSettings.Networks[`${PROJECT}_appnet`].Aliases.includes('db'));
  assert.deepEqual(
    store.Mounts.map((m: { Name: string; Destination: string }) => [m.Name, m.Destination]),
    [[`${PROJECT}_data`, '/shared']],
  );
  // service_healthy: web was started after store's first passing probe
  assert.equal(store.State.Health.Status, 'healthy');
  const ms = (t: string) => Date.parse(t.replace(/(\.\d{3})\d+/, '$1'));
  const firstPass = (store.State.Health.Log as { End: string; ExitCode: number }[]).find((l) => l.ExitCode === 0);
  assert.ok(firstPass, JSON.stringify(store.State.Health));
  assert.ok(ms(web.State.StartedAt) >= ms(firstPass.End), `web started ${web.State.StartedAt}, store first healthy ${firstPass.End}`);
  assert.ok(ms(web.State.StartedAt) > ms(store.State.StartedAt));
  const net = JSON.parse(dockerOk(svc, ['network', 'inspect', `${PROJECT}_appnet`]))[0];
  assert.equal(net.Labels['com.docker.compose.project'], PROJECT);
  assert.equal(net.IPAM.Config[0].Subnet, '10.214.7.0/24');
  assert.match(store.NetworkSettings.Networks[`${PROJECT}_appnet`].IPAddress, /^10\.214\.7\.\d+$/);
});

test('logs, exec (the shared volume), restart', { skip }, async () => {
  const logs = await until('both services logging', () => {
    const l = composeOk(['logs', '--no-color']).stdout;
    return /store-up mode=one/.test(l) && /web-up/.test(l) ? l : undefined;
  });
  assert.match(logs, /store_1 +\| store-up mode=one/);
  assert.match(logs, /web_1 +\| web-up/);
  // each service wrote into the volume they share
  const seen = await until('both files in the volume', () => {
    const r = compose(['exec', '-T', 'web', 'cat', '/data/from-store', '/data/from-web']);
    return r.code === 0 ? r.stdout : undefined;
  });
  assert.equal(seen, 'from-store\nfrom-web\n');
  const code = compose(['exec', '-T', 'store', 'sh', '-c', 'exit 7']);
  assert.equal(code.code, 7);
  const before = containers();
  const started = (id: string) => JSON.parse(dockerOk(svc, ['inspect', id]))[0].State.StartedAt as string;
  const was = started(before.web!);
  composeOk(['restart', '-t', '1']);
  assert.deepEqual(containers(), before, 'restart keeps the containers');
  assert.notEqual(started(before.web!), was);
  assert.match(composeOk(['ps']).stdout, new RegExp(`${PROJECT}_web_1 .* Up`));
});

test('up -d again recreates nothing; a change recreates only that service', { skip }, async () => {
  const before = containers();
  const again = composeOk(['up', '-d']);
  assert.match(again.stderr, new RegExp(`${PROJECT}_store_1 is up-to-date`));
  assert.match(again.stderr, new RegExp(`${PROJECT}_web_1 is up-to-date`));
  assert.deepEqual(containers(), before);
  const changed = composeOk(['up', '-d'], { STORE_MODE: 'two' });
  assert.match(changed.stderr, new RegExp(`Recreating ${PROJECT}_store_1`));
  assert.doesNotMatch(changed.stderr, /Recreating .*web/);
  const after = containers();
  assert.notEqual(after.store, before.store);
  assert.equal(after.web, before.web);
  await until('the new store running', () => (/store-up mode=two/.test(composeOk(['logs', '--no-color', 'store']).stdout) ? true : undefined));
});

test('down -v leaves no container, network or volume of the project', { skip }, async () => {
  const down = composeOk(['down', '-v', '-t', '1']);
  assert.match(down.stderr, new RegExp(`Removing network ${PROJECT}_appnet`));
  assert.match(down.stderr, new RegExp(`Removing volume ${PROJECT}_data`));
  assert.deepEqual(containers(), {});
  assert.equal(sb.ok(['ps', '-a', '-q']).trim(), '');
  assert.deepEqual(dockerOk(svc, ['network', 'ls', '--format', '{{.Name}}']).trim().split('\n').sort(), ['bridge', 'host', 'none']);
  assert.equal(dockerOk(svc, ['volume', 'ls', '-q']).trim(), '');
  assert.ok(svc.running);
});
