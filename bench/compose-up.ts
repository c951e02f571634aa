/**
 * `scripts/node dist/bench/compose-up.js [--n N]`: issue 14's figure — `docker-compose up -d` of
 * the test project (test/fixtures/compose: one built service, one image service, a network, a
 * named volume) through berth's API socket vs through a private dockerd, with busybox already
 * present on both. The first `up` builds the web image; later ones hit the build cache and
 * create the network, volume and both containers anew (each run ends with an untimed
 * `down -v`). Prints a markdown table; removes everything it made, also on failure.
 */
import { join } from 'node:path';
import { Sandbox, SRC_ROOT } from '../test/helpers/berth.js';
import { Service } from '../test/helpers/service.js';
import { TestDockerd } from '../test/docker/dockerd.js';
import { busyboxTarball } from '../test/fixtures/busybox.js';
import { ok, runSync, stats, type Cmd, type Stats } from './timing.js';

const FILE = join(SRC_ROOT, 'test/fixtures/compose/docker-compose.yml');
const COMPOSE = '/usr/bin/docker-compose';

function composeCmd(env: NodeJS.ProcessEnv, args: string[]): Cmd {
  return {
    file: COMPOSE,
    args: ['-p', 'benchcomp', '-f', FILE, ...args],
    env: { ...env, PATH: `/usr/bin:${process.env.PATH}`, DOCKER_BUILDKIT: '0', COMPOSE_DOCKER_CLI_BUILD: '0' },
  };
}

async function measure(env: NodeJS.ProcessEnv, n: number): Promise<{ first: number; warm: Stats; down: Stats }> {
  const ups: number[] = [];
  const downs: number[] = [];
  for (let i = 0; i <= n; i++) {
    ups.push((await ok(composeCmd(env, ['up', '-d']), { timeout: 300_000 })).ms);
    downs.push((await ok(composeCmd(env, ['down', '-v', '-t', '1']), { timeout: 300_000 })).ms);
  }
  return { first: ups[0]!, warm: stats(ups.slice(1)), down: stats(downs) };
}

async function main(): Promise<void> {
  const nArg = process.argv.indexOf('--n');
  const n = nArg > 0 ? Number(process.argv[nArg + 1]) : 5;
  if (!Number.isInteger(n) || n < 1) throw new Error('--n must be a positive integer');
  const sb = new Sandbox('berth-bench-compose');
  const dockerd = new TestDockerd('berth-bench-compd');
  let svc: Service | undefined;
  try {
    svc = await new Service(sb).start();
    const berthEnv = svc.dockerEnv;
    await ok({ file: '/usr/bin/docker', args: ['import', busyboxTarball(), 'busybox:latest'], env: berthEnv });
    await dockerd.start();
    await dockerd.importBusybox();
    const dockerEnv = { ...process.env, DOCKER_HOST: dockerd.host, DOCKER_CONFIG: sb.path('dockerd-config'), DOCKER_CONTEXT: '' };
    process.stderr.write(`compose up -d through berth (${n + 1} runs)…\n`);
    const b = await measure(berthEnv, n);
    process.stderr.write(`compose up -d through dockerd (${n + 1} runs)…\n`);
    const d = await measure(dockerEnv, n);
    const ms = (x: number) => `${Math.round(x)} ms`;
    const range = (s: Stats) => `${ms(s.median)} (${Math.round(s.min)}–${Math.round(s.max)})`;
    process.stdout.write(
      [
        '| docker-compose 1.29, test project | berth (API socket) | dockerd 20.10 |',
        '|---|---|---|',
        `| first \`up -d\` (builds web) | ${ms(b.first)} | ${ms(d.first)} |`,
        `| \`up -d\`, build cached, median of ${n} | ${range(b.warm)} | ${range(d.warm)} |`,
        `| \`down -v\`, median of ${n + 1} | ${range(b.down)} | ${range(d.down)} |`,
        '',
      ].join('\n'),
    );
  } finally {
    if (svc) runSync(composeCmd(svc.dockerEnv, ['down', '-v', '--rmi', 'local', '-t', '1']));
    await svc?.stop();
    sb.dispose();
    await dockerd.stop();
  }
}

main().catch((e) => {
  process.stderr.write(`bench: ${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
