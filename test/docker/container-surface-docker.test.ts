/**
 * The container-surface cases of test/cli/container-surface-cases.ts (healthchecks, update,
 * port, diff, export, events, system df) against a private dockerd, on the same Debian image:
 * through berth's Docker-API backend (`berth -H`) and through docker 20.10's own CLI as the
 * oracle. Same cases, same outcomes as on the embedded engine.
 */
import { test, before, after } from 'node:test';
import { spawnSync } from 'node:child_process';
import { BERTH, type Result } from '../helpers/berth.js';
import { TestDockerd } from './dockerd.js';
import { NEEDS_ROOT, requireTool } from '../helpers/tools.js';
import { DEBIAN_REF, dockerDebian } from '../fixtures/docker-built.js';
import * as cases from '../cli/container-surface-cases.js';

const skip = NEEDS_ROOT;
const DOCKER = skip ? '' : requireTool(['/usr/bin/docker', '/usr/local/bin/docker'], 'docker.io');

let d: TestDockerd;
let viaBerth: cases.Engine;
let viaDocker: cases.Engine;

function cli(bin: string, host: string, args: string[], timeout = 120_000): Result {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  for (const k of ['DOCKER_HOST', 'DOCKER_CONTEXT', 'BERTH_CONTEXT']) delete env[k];
  const r = spawnSync(bin, ['-H', host, ...args], { env, timeout, maxBuffer: 64 << 20 });
  return { code: r.status ?? 128, stdout: r.stdout?.toString() ?? '', stderr: r.stderr?.toString() ?? '' };
}

before(async () => {
  if (skip) return;
  d = new TestDockerd('berth-surface');
  await d.start();
  dockerDebian(d.host);
  const containers = (bin: string) => () => cli(bin, d.host, ['ps', '-aq', '--no-trunc']).stdout.trim().split('\n').filter(Boolean).sort();
  viaBerth = { label: 'berth -H', image: DEBIAN_REF, run: (a, o) => cli(BERTH, d.host, a, o?.timeout), containers: containers(BERTH), missingDeviceExit: 125 };
  viaDocker = {
    label: 'docker',
    image: DEBIAN_REF,
    run: (a, o) => cli(DOCKER!, d.host, a, o?.timeout),
    containers: containers(DOCKER!),
    missingDeviceExit: 127,
  };
});
after(async () => {
  if (d) await d.stop();
});

const both = (fn: (e: cases.Engine, name: string) => void, name: string) => () => {
  for (const [e, tag] of [
    [viaBerth, 'b'],
    [viaDocker, 'd'],
  ] as const)
    fn(e, `${name}-${tag}`);
};

test(
  'healthcheck: healthy then unhealthy; State.Health, ps, health=, health_status events',
  { skip },
  both((e, n) => cases.healthcheck(e, n), 'cs-hc'),
);
test(
  "healthcheck refusals: docker's messages, exit 125, nothing created",
  { skip },
  both((e) => cases.healthRefusals(e), 'cs-hr'),
);
test("update: limits in place, kept for the next start; docker's refusals", { skip }, both(cases.update, 'cs-upd'));
test("port: docker's forms", { skip }, both(cases.port, 'cs-port'));
test('diff: the same A/C/D lines as the embedded engine', { skip }, both(cases.diff, 'cs-diff'));
test('export → import → export: the same tree', { skip }, both(cases.exportRoundTrip, 'cs-exp'));
test("events: --since/--until, filters, docker's line and {{json .}}", { skip }, both(cases.events, 'cs-evt'));
test("system df: docker's table, --format, -v", { skip }, both(cases.systemDf, 'cs-df'));
