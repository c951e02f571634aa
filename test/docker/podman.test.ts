/**
 * The Docker-API backend on Podman's compat socket (issue 7), against a podman service started
 * here with its own storage and config (podman.ts): recognised as podman; import, list, create,
 * start, logs, exec (plain, with stdin, with a tty), top, stats (cgroup files and one-shot),
 * commit, stop and remove; and the CLI with -H on it. Where Podman's answers differ from
 * Docker's, DockerEngine copes: commit sends a body (podman refuses none), top splits podman's
 * one-string `ps` rows.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { BERTH } from '../helpers/berth.js';
import { capture, checkExec, checkStatsModes } from './engine-checks.js';
import { TestPodman } from './podman.js';
import { NEEDS_ROOT } from '../helpers/tools.js';

const skip = NEEDS_ROOT;
let pm: TestPodman;

before(async () => {
  if (skip) return;
  pm = new TestPodman();
  await pm.start();
  await pm.importBusybox();
});
after(async () => {
  if (pm) await pm.stop();
});

async function create(name: string, cmd: string[]): Promise<string> {
  const { id } = await pm.engine.containers.create({ image: 'busybox', name, cmd, network: 'none' });
  pm.track(id);
  return id;
}

test('podman is recognised; the API version is negotiated', { skip }, async () => {
  const info = await pm.engine.system.info();
  assert.equal(info.engine, 'podman');
  assert.ok(info.ncpu > 0 && info.memTotal > 0);
  const v = await pm.engine.system.version();
  assert.match(v.apiVersion, /^1\.\d+$/);
  assert.ok((await pm.engine.images.list()).some((i) => i.repoTags.some((t) => /busybox:latest$/.test(t))));
});

test('containers: create, list, start, logs, exec, top, stop, remove', { skip }, async () => {
  const id = await create('pm-life', ['sh', '-c', "echo to-out; echo to-err >&2; trap 'exit 0' TERM; sleep 600 & wait"]);
  assert.equal((await pm.engine.containers.list({ all: true })).find((c) => c.id === id)?.state, 'created');
  await pm.engine.containers.start('pm-life');
  const listed = (await pm.engine.containers.list()).find((c) => c.id === id);
  assert.equal(listed?.state, 'running');
  assert.deepEqual(listed?.names, ['pm-life']);
  // Podman's list carries the start time itself (unix seconds): just now, not 1970 or 2262.
  assert.ok(listed?.startedAt && Math.abs(Date.parse(listed.startedAt) - Date.now()) < 10 * 60_000, listed?.startedAt);

  const lines = [];
  for (let i = 0; i < 20 && lines.length < 2; i++) {
    lines.length = 0;
    for await (const l of pm.engine.containers.logs('pm-life')) lines.push(l);
    if (lines.length < 2) await new Promise((r) => setTimeout(r, 100));
  }
  assert.deepEqual(lines.map((l) => [l.stream, l.text]).sort(), [
    ['stderr', 'to-err'],
    ['stdout', 'to-out'],
  ]);

  await checkExec(pm.engine, 'pm-life');

  // Podman answers top with one title string and one string per process: split into columns.
  const top = await pm.engine.containers.top('pm-life');
  assert.ok(top.titles.length >= 2 && top.titles.includes('PID'), JSON.stringify(top));
  assert.ok(
    top.processes.some((p) => p.length === top.titles.length && p.at(-1)!.includes('sleep 600')),
    JSON.stringify(top),
  );

  await pm.engine.containers.stop('pm-life', { timeout: 5 });
  const st = (await pm.engine.containers.inspect('pm-life')).State;
  assert.equal(st.Running, false);
  assert.equal((await pm.engine.containers.list({ all: true })).find((c) => c.id === id)?.state, 'exited');
  await pm.engine.containers.remove('pm-life');
  assert.equal(
    (await pm.engine.containers.list({ all: true })).some((c) => c.id === id),
    false,
  );
});

test('stats: from cgroup files (local socket) and one-shot; a busy container is busy', { skip }, async () => {
  await create('pm-busy', ['sh', '-c', 'while :; do :; done']);
  await create('pm-idle', ['sleep', '600']);
  await pm.engine.containers.start('pm-busy');
  await pm.engine.containers.start('pm-idle');
  try {
    const modes = [
      ['cgroup', { cgroups: true }],
      ['one-shot', { cgroups: false, oneShot: true }],
    ] as const;
    await checkStatsModes(pm.engine.client, modes, { busy: 'pm-busy', idle: 'pm-idle' }, async (s, _busy, idle) => {
      // Only the containers asked for (the dashboard asks for the rows on screen).
      const only = await s.sample([idle.id]);
      assert.deepEqual(
        only.map((x) => x.name),
        ['pm-idle'],
      );
    });
  } finally {
    await pm.engine.containers.remove('pm-busy', { force: true });
    await pm.engine.containers.remove('pm-idle', { force: true });
  }
});

test("commit makes an image with the container's changes", { skip }, async () => {
  await create('pm-commit', ['sh', '-c', "echo made > /made.txt; trap 'exit 0' TERM; sleep 600 & wait"]);
  await pm.engine.containers.start('pm-commit');
  try {
    const io = capture();
    for (let i = 0; i < 20; i++) {
      if ((await pm.engine.containers.exec('pm-commit', { cmd: ['test', '-f', '/made.txt'] }, io)) === 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const imageId = await pm.engine.containers.commit('pm-commit', { reference: 'pm-made:1', message: 'from berth' });
    assert.match(imageId, /^(sha256:)?[0-9a-f]{64}$/);
    const img = (await pm.engine.images.list()).find((i) => i.repoTags.some((t) => /pm-made:1$/.test(t)));
    assert.ok(img, 'the committed image is listed');
    // A container of the new image finds the file.
    const { id } = await pm.engine.containers.create({ image: 'pm-made:1', name: 'pm-from-commit', cmd: ['cat', '/made.txt'], network: 'none' });
    pm.track(id);
    const out = capture();
    assert.equal(await pm.engine.containers.startAttached('pm-from-commit', out), 0);
    assert.equal(out.out(), 'made\n');
  } finally {
    await pm.engine.containers.remove('pm-commit', { force: true });
    await pm.engine.containers.remove('pm-from-commit', { force: true }).catch(() => undefined);
  }
});

test('the CLI with -H on the podman socket: run, ps, logs, stop', { skip }, () => {
  const base: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete base.DOCKER_HOST;
  const berth = (args: string[]) => {
    const r = spawnSync(BERTH, ['-H', pm.host, ...args], { env: base, timeout: 60_000 });
    return { code: r.status ?? 1, out: r.stdout.toString(), err: r.stderr.toString() };
  };
  assert.equal(berth(['run', '--rm', '--network', 'none', 'busybox', 'echo', 'hello']).out, 'hello\n');
  const run = berth(['run', '-d', '--network', 'none', '--name', 'pm-cli', 'busybox', 'sh', '-c', "echo started; trap 'exit 0' TERM; sleep 600 & wait"]);
  assert.equal(run.code, 0, run.err);
  pm.track(run.out.trim());
  const ps = berth(['ps']);
  assert.ok(
    ps.out.split('\n').some((l) => l.trimEnd().endsWith('pm-cli') && /Up /.test(l)),
    ps.out,
  );
  assert.equal(berth(['logs', 'pm-cli']).out, 'started\n');
  assert.equal(berth(['stop', '-t', '5', 'pm-cli']).code, 0);
  assert.match(berth(['ps', '-a', '--format', '{{.Names}} {{.Status}}']).out, /pm-cli Exited/);
  assert.equal(berth(['rm', 'pm-cli']).code, 0);
});
