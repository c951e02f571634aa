/**
 * Prune filters (until, label, label!) with docker as the oracle. One scenario per kind, made
 * three times: on a private dockerd through docker's CLI, on berth's API (`berth system service`)
 * through the same CLI, and on the embedded engine through berth's own CLI. The same prune
 * commands must remove the same things and print the same report (ids shown as the names they
 * had), and refuse the same bad filters in the same words, removing nothing.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { BERTH, Sandbox } from '../helpers/berth.js';
import { Service } from '../helpers/service.js';
import { NEEDS_ROOT, requireTool } from '../helpers/tools.js';
import { busyboxTarball } from '../fixtures/busybox.js';
import { TestDockerd } from '../docker/dockerd.js';

const skip = NEEDS_ROOT;
let d: TestDockerd;
let svcBox: Sandbox;
let svc: Service;
let box: Sandbox;

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}
type Cli = (args: string[]) => Ran;
interface Party {
  name: string;
  cli: Cli;
}

let parties: Party[] = [];

function runner(bin: string, env: NodeJS.ProcessEnv, pre: string[] = []): Cli {
  return (args) => {
    const r = spawnSync(bin, [...pre, ...args], { env, timeout: 120_000 });
    return { code: r.status ?? -1, stdout: r.stdout?.toString() ?? '', stderr: r.stderr?.toString() ?? '' };
  };
}
const ok = (cli: Cli, args: string[]): string => {
  const r = cli(args);
  assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
};

before(async () => {
  if (skip) return;
  const dockerBin = requireTool(['/usr/bin/docker'], 'docker.io');
  d = new TestDockerd('berth-prune');
  await d.start();
  await d.importBusybox();
  svcBox = new Sandbox('berth-prune-svc');
  svcBox.ok(['import', '-c', 'CMD ["sh"]', busyboxTarball(), 'busybox']);
  svc = await new Service(svcBox).start();
  box = new Sandbox('berth-prune-emb');
  box.ok(['import', '-c', 'CMD ["sh"]', busyboxTarball(), 'busybox']);
  const dockerEnv = (host: string, dir: string): NodeJS.ProcessEnv => {
    const e: NodeJS.ProcessEnv = { ...process.env, DOCKER_HOST: host, DOCKER_CONFIG: join(dir, 'docker-config'), NO_COLOR: '1' };
    delete e.DOCKER_CONTEXT;
    return e;
  };
  parties = [
    { name: 'dockerd', cli: runner(dockerBin, dockerEnv(d.host, d.dir)) },
    { name: 'berth API', cli: runner(dockerBin, dockerEnv(svc.host, svcBox.dir)) },
    { name: 'berth CLI', cli: runner(BERTH, box.env) },
  ];
});

after(async () => {
  await svc?.stop();
  svcBox?.dispose();
  box?.dispose();
  await d?.stop();
});

/** Full ids (and sha256: ids) → the names they had, for comparing reports across engines. */
function namer(pairs: string): (s: string) => string {
  const names = new Map<string, string>();
  for (const line of pairs.split('\n').filter(Boolean)) {
    const [id, name] = line.split(' ');
    names.set(id!.replace(/^sha256:/, ''), name!);
  }
  return (s) => s.replace(/(sha256:)?\b([0-9a-f]{64})\b/g, (all, _p, id: string) => (names.has(id) ? `<${names.get(id)}>` : all));
}

/** docker's CLI word for itself, and the message prefix berth's own CLI shares. */
const neutral = (s: string) => s.replace(/^(docker|berth): /gm, '').replace(/\b(docker|berth)\b/g, 'CLI');

/** Runs `args` on every party; all must agree with dockerd (after `norm`). Returns dockerd's, normalised. */
function agree(args: string[], norm: ((p: Party, s: string) => string)[] = []): Ran {
  const results = parties.map((p) => {
    const r = p.cli(args);
    const n = (s: string) => neutral(norm.reduce((acc, f) => f(p, acc), s));
    return { p, r, out: n(r.stdout), err: n(r.stderr) };
  });
  const [want, ...others] = results;
  for (const got of others)
    assert.deepEqual(
      { code: got.r.code, out: got.out, err: got.err },
      { code: want!.r.code, out: want!.out, err: want!.err },
      `${args.join(' ')}: ${got.p.name} differs from dockerd`,
    );
  return { code: want!.r.code, stdout: want!.out, stderr: want!.err };
}

function containerIds(cli: Cli): string {
  return ok(cli, ['ps', '-a', '--no-trunc', '--format', '{{.ID}} {{.Names}}']);
}

test('container prune --filter label, label!, until: the same containers removed, the same report and errors', { skip }, () => {
  const names: Record<string, (s: string) => string> = {};
  for (const p of parties) {
    const { cli } = p;
    ok(cli, ['create', '--net', 'none', '--name', 'prod1', '--label', 'env=prod', 'busybox', 'true']);
    ok(cli, ['create', '--net', 'none', '--name', 'dev1', '--label', 'env=dev', '--label', 'tier=web', 'busybox', 'true']);
    ok(cli, ['create', '--net', 'none', '--name', 'plain1', 'busybox', 'true']);
    ok(cli, ['run', '-d', '--net', 'none', '--name', 'live1', '--label', 'env=prod', 'busybox', 'sleep', '600']);
    names[p.name] = namer(containerIds(cli));
  }
  const byName = [(p: Party, s: string) => names[p.name]!(s)];
  const left = (p: Party) => ok(p.cli, ['ps', '-a', '--format', '{{.Names}}']).split('\n').filter(Boolean).sort().join(' ');

  // refused, nothing removed: a key prune does not know, a time that is none, two untils, no '='
  assert.equal(agree(['container', 'prune', '-f', '--filter', 'colour=red']).code, 1);
  assert.equal(agree(['container', 'prune', '-f', '--filter', 'until=soon']).code, 1);
  assert.equal(agree(['container', 'prune', '-f', '--filter', 'until=1h', '--filter', 'until=2h']).code, 1);
  assert.equal(agree(['container', 'prune', '-f', '--filter', 'label']).code, 125);
  for (const p of parties) assert.equal(left(p), 'dev1 live1 plain1 prod1', p.name);

  // created within the last hour: an until an hour ago keeps them all; so does a date long past
  assert.equal(agree(['container', 'prune', '-f', '--filter', 'until=1h'], byName).stdout, 'Total reclaimed space: 0B\n');
  agree(['container', 'prune', '-f', '--filter', 'until=2001-01-01T00:00:00Z'], byName);
  agree(['container', 'prune', '-f', '--filter', 'label=env=prod'], byName);
  for (const p of parties) assert.equal(left(p), 'dev1 live1 plain1', p.name);
  agree(['container', 'prune', '-f', '--filter', 'label!=env'], byName);
  for (const p of parties) assert.equal(left(p), 'dev1 live1', p.name);
  // label! with two values keeps only what has both
  agree(['container', 'prune', '-f', '--filter', 'label!=env=dev', '--filter', 'label!=tier=web'], byName);
  for (const p of parties) assert.equal(left(p), 'dev1 live1', p.name);
  // a time in the future: everything stopped goes
  const r = agree(['container', 'prune', '-f', '--filter', 'until=2100-01-01'], byName);
  assert.equal(r.stdout, 'Deleted Containers:\n<dev1>\n\nTotal reclaimed space: 0B\n');
  for (const p of parties) {
    assert.equal(left(p), 'live1', p.name);
    ok(p.cli, ['rm', '-f', 'live1']);
  }
});

test('network prune --filter label, label!, until', { skip }, () => {
  for (const { cli } of parties) {
    ok(cli, ['network', 'create', '--label', 'env=prod', 'pnet1']);
    ok(cli, ['network', 'create', '--label', 'env=dev', 'pnet2']);
    ok(cli, ['network', 'create', 'pnet3']);
  }
  const left = (p: Party) =>
    ok(p.cli, ['network', 'ls', '--format', '{{.Name}}'])
      .split('\n')
      .filter((n) => n.startsWith('pnet'))
      .sort()
      .join(' ');
  assert.equal(agree(['network', 'prune', '-f', '--filter', 'driver=bridge']).code, 1);
  assert.equal(agree(['network', 'prune', '-f', '--filter', 'until=later']).code, 1);
  assert.equal(agree(['network', 'prune', '-f', '--filter', 'until=1h']).stdout, '');
  assert.equal(agree(['network', 'prune', '-f', '--filter', 'label=env=prod']).stdout, 'Deleted Networks:\npnet1\n\n');
  assert.equal(agree(['network', 'prune', '-f', '--filter', 'label!=env']).stdout, 'Deleted Networks:\npnet3\n\n');
  for (const p of parties) assert.equal(left(p), 'pnet2', p.name);
  assert.equal(agree(['network', 'prune', '-f', '--filter', 'until=0s']).stdout, 'Deleted Networks:\npnet2\n\n');
});

test('volume prune --filter label, label!; until is refused', { skip }, () => {
  for (const { cli } of parties) {
    ok(cli, ['volume', 'create', '--label', 'env=prod', 'pvol1']);
    ok(cli, ['volume', 'create', '--label', 'env=dev', 'pvol2']);
    ok(cli, ['volume', 'create', 'pvol3']);
  }
  // docker 20.10's API prunes named volumes too; berth's own CLI needs -a for them (docker ≥ 23)
  const args = (p: Party, f: string[]) => ['volume', 'prune', '-f', ...(p.name === 'berth CLI' ? ['-a'] : []), ...f];
  const agreeVol = (f: string[]) => {
    const results = parties.map((p) => ({ p, r: p.cli(args(p, f)) }));
    for (const { p, r } of results.slice(1))
      assert.deepEqual(
        { code: r.code, out: r.stdout, err: neutral(r.stderr) },
        { code: results[0]!.r.code, out: results[0]!.r.stdout, err: neutral(results[0]!.r.stderr) },
        `${f.join(' ')}: ${p.name}`,
      );
    return results[0]!.r;
  };
  assert.equal(agreeVol(['--filter', 'until=1h']).code, 1);
  assert.equal(agreeVol(['--filter', 'label=env=prod']).stdout, 'Deleted Volumes:\npvol1\n\nTotal reclaimed space: 0B\n');
  assert.equal(agreeVol(['--filter', 'label!=env']).stdout, 'Deleted Volumes:\npvol3\n\nTotal reclaimed space: 0B\n');
  assert.equal(agreeVol(['--filter', 'label=env']).stdout, 'Deleted Volumes:\npvol2\n\nTotal reclaimed space: 0B\n');
});

test('image prune -a --filter label, label!, until: the same images untagged and removed', { skip }, () => {
  const names: Record<string, (s: string) => string> = {};
  for (const p of parties) {
    const { cli } = p;
    ok(cli, ['create', '--net', 'none', '--name', 'imgsrc', 'busybox', 'true']);
    ok(cli, ['commit', '--change', 'LABEL env=prod', 'imgsrc', 'plab:prod']);
    ok(cli, ['commit', '--change', 'LABEL env=dev', 'imgsrc', 'plab:dev']);
    ok(cli, ['commit', 'imgsrc', 'plab:plain']);
    ok(cli, ['rm', 'imgsrc']);
    // busybox stays in use: only the committed images are candidates
    ok(cli, ['create', '--net', 'none', '--name', 'keepbusy', 'busybox', 'true']);
    names[p.name] = namer(ok(cli, ['images', '--no-trunc', '--format', '{{.ID}} {{.Repository}}:{{.Tag}}']));
  }
  // docker also reports each layer it deletes (berth's layers go by garbage collection): compare
  // the images untagged and deleted; the space freed is each engine's own
  const report = (p: Party, s: string) =>
    names[p.name]!(s)
      .split('\n')
      .filter((l) => !/^deleted: sha256:[0-9a-f]{64}$/.test(l))
      .join('\n')
      .replace(/space: .*/, 'space: N');
  const left = (p: Party) =>
    ok(p.cli, ['images', '--format', '{{.Repository}}:{{.Tag}}'])
      .split('\n')
      .filter((n) => n.startsWith('plab'))
      .sort()
      .join(' ');
  assert.equal(agree(['image', 'prune', '-a', '-f', '--filter', 'colour=red']).code, 1);
  assert.equal(agree(['image', 'prune', '-a', '-f', '--filter', 'until=soon']).code, 1);
  assert.match(agree(['image', 'prune', '-a', '-f', '--filter', 'until=1h'], [report]).stdout, /^Total reclaimed space/);
  assert.match(agree(['image', 'prune', '-a', '-f', '--filter', 'label=env=prod'], [report]).stdout, /^Deleted Images:\nuntagged: plab:prod\n/);
  for (const p of parties) assert.equal(left(p), 'plab:dev plab:plain', p.name);
  agree(['image', 'prune', '-a', '-f', '--filter', 'label!=env'], [report]);
  for (const p of parties) {
    assert.equal(left(p), 'plab:dev', p.name);
    ok(p.cli, ['rm', 'keepbusy']);
    ok(p.cli, ['rmi', 'plab:dev']);
  }
});

test("builder prune and system prune: docker's reports, the build cache's step last (docker system prune calls /build/prune)", { skip }, () => {
  assert.equal(agree(['builder', 'prune', '-f']).stdout, 'Total reclaimed space: 0B\n');
  assert.equal(agree(['builder', 'prune', '-a', '-f']).stdout, 'Total reclaimed space: 0B\n');
  const r = agree(['system', 'prune', '-f']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /Total reclaimed space: 0B\n$/);
});
