/**
 * `berth -H ssh://root@127.0.0.1:PORT` reaching a machine that runs berth and no daemon: the
 * remote command is `docker system dial-stdio` where `docker` is on the remote PATH, else
 * `berth system dial-stdio` (BERTH_SSH_REMOTE picks another), through a private sshd started
 * here (own host key, a client key made here, a random port on 127.0.0.1) whose sessions get
 * the test sandbox's state root and a PATH with berth. Stopped by PID in after().
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BERTH, Sandbox } from '../helpers/berth.js';
import { TestSshd } from '../helpers/sshd.js';
import { NEEDS_ROOT, requireTool } from '../helpers/tools.js';
import { busyboxTarball } from '../fixtures/busybox.js';

const skip = NEEDS_ROOT;
let box: Sandbox;
let sshd: TestSshd | undefined;
let dir = '';
let port = 0;
const sshOpts = () => sshd!.opts();

before(async () => {
  if (skip) return;
  box = new Sandbox('berth-api-ssh');
  box.ok(['import', busyboxTarball(), 'busybox']);
  sshd = new TestSshd();
  dir = sshd.dir;
  mkdirSync(join(dir, 'bin'));
  // the remote berth is the test's: its state root, runroot and bridge; docker's CLI runs
  // `docker system dial-stdio` there, so `docker` on the session's PATH is that berth too
  const remote = `#!/bin/sh\nexport BERTH_ROOT='${box.root}' BERTH_RUNROOT='${box.runRoot}' BERTH_BRIDGE_NAME='${box.bridge}'\nexec '${BERTH}' "$@"\n`;
  writeFileSync(join(dir, 'bin/berth'), remote, { mode: 0o755 });
  writeFileSync(join(dir, 'bin/docker'), remote, { mode: 0o755 });
  // docker's CLI runs the ssh on its PATH with no options of ours: a wrapper gives it the test key
  mkdirSync(join(dir, 'client-bin'));
  writeFileSync(join(dir, 'client-bin/ssh'), `#!/bin/sh\nexec /usr/bin/ssh ${sshd.opts()} "$@"\n`, { mode: 0o755 });
  await sshd.start([`SetEnv PATH=${join(dir, 'bin')}:/usr/sbin:/usr/bin:/sbin:/bin`]);
  port = sshd.port;
});

after(async () => {
  await sshd?.stop();
  box?.dispose();
});

test('berth -H ssh:// runs, lists, execs in and removes containers on a remote berth through dial-stdio', { skip }, () => {
  // the client side: a berth with no state of its own, talking only through ssh
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    BERTH_SSH_OPTS: sshOpts(),
    BERTH_ROOT: join(dir, 'client-root'),
    BERTH_RUNROOT: join(dir, 'client-run'),
  };
  delete env.BERTH_SSH_REMOTE;
  const host = `ssh://root@127.0.0.1:${port}`;
  const run = (args: string[]) => spawnSync(BERTH, ['-H', host, ...args], { env, timeout: 45_000 });
  const d = run(['run', '-d', '--pull', 'never', '--name', 'remote1', 'busybox', 'sh', '-c', 'echo over-ssh; sleep 300']);
  assert.equal(d.status, 0, d.stderr.toString());
  // the remote state is the sandbox's: berth there sees it
  assert.match(box.ok(['ps', '--format', '{{.Names}}']), /^remote1$/m);
  const ps = run(['ps', '--format', '{{.Names}} {{.Image}}']);
  assert.equal(ps.stdout.toString(), 'remote1 busybox\n', ps.stderr.toString());
  const logs = run(['logs', 'remote1']);
  assert.equal(logs.stdout.toString(), 'over-ssh\n', logs.stderr.toString());
  // exec: create, start and inspect arrive on three connections, so three dial-stdio processes
  const ex = run(['exec', 'remote1', 'sh', '-c', 'echo in-exec; echo to-err >&2; exit 3']);
  assert.equal(ex.stdout.toString(), 'in-exec\n', ex.stderr.toString());
  assert.equal(ex.stderr.toString(), 'to-err\n');
  assert.equal(ex.status, 3);
  const rm = run(['rm', '-f', 'remote1']);
  assert.equal(rm.status, 0, rm.stderr.toString());
  assert.equal(box.ok(['ps', '-aq']), '');
  // a host with berth and no docker on its PATH: berth's own dial-stdio answers
  renameSync(join(dir, 'bin/docker'), join(dir, 'bin/docker.off'));
  try {
    const v = run(['version', '--format', '{{.Server.Version}}']);
    assert.equal(v.status, 0, v.stderr.toString());
    assert.match(v.stdout.toString(), /^\d+\.\d+/);
  } finally {
    renameSync(join(dir, 'bin/docker.off'), join(dir, 'bin/docker'));
  }
});

/** docker's CLI with DOCKER_HOST=ssh://…: every connection is its own remote dial-stdio process. */
function dockerSsh(bin: string, args: string[], input?: string): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(bin, args, { env: dockerSshEnv(), input, timeout: 90_000 });
  return { code: r.status ?? 128, stdout: r.stdout?.toString() ?? '', stderr: r.stderr?.toString() ?? '' };
}
function dockerSshEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PATH: `${join(dir, 'client-bin')}:${process.env.PATH ?? '/usr/bin:/bin'}`,
    DOCKER_HOST: `ssh://root@127.0.0.1:${port}`,
    DOCKER_CONFIG: join(dir, 'docker-config'),
    DOCKER_CONTEXT: '',
  };
}
/** docker 20.10 (Debian's), and a newer CLI when one is installed. */
const dockerClis = () => [requireTool(['/usr/bin/docker'], 'docker.io'), ...['/usr/local/bin/docker'].filter((p) => existsSync(p))];

test('docker run attached over ssh://: the attach, the start and the wait come through three dial-stdio processes', { skip }, () => {
  for (const bin of dockerClis()) {
    // output before stdin is read, stdin piped through, the exit code; --rm leaves nothing
    const r = dockerSsh(bin, ['run', '--rm', '-i', 'busybox', 'sh', '-c', 'echo first; cat; echo done >&2; exit 7'], 'piped in\nsecond line\n');
    assert.equal(r.stdout, 'first\npiped in\nsecond line\n', `${bin}: ${r.stderr}`);
    assert.equal(r.stderr, 'done\n', bin);
    assert.equal(r.code, 7, bin);
    // output only (no stdin): the engine follows the log from the first byte
    const o = dockerSsh(bin, ['run', '--rm', 'busybox', 'sh', '-c', 'echo out; echo err >&2; exit 3']);
    assert.equal(o.stdout, 'out\n', `${bin}: ${o.stderr}`);
    assert.equal(o.stderr, 'err\n', bin);
    assert.equal(o.code, 3, bin);
    assert.equal(box.ok(['ps', '-aq']), '', bin);
  }
});

test('docker run -it over ssh:// under a terminal: the size at start and a resize reach the container', { skip }, () => {
  const py = requireTool(['/usr/bin/python3'], 'python3');
  for (const bin of dockerClis()) {
    const r = spawnSync(
      py,
      [join(import.meta.dirname, '../../../test/api/pty-session.py'), '31', '101', '41', '121', bin, 'run', '-it', '--rm', 'busybox', 'sh'],
      {
        env: dockerSshEnv(),
        timeout: 240_000,
      },
    );
    assert.equal(r.status, 0, r.stderr?.toString());
    const s = JSON.parse(r.stdout.toString()) as { first: boolean; resized: boolean; code: number; out: string };
    assert.ok(s.first, `${bin}: the first size was not seen: ${s.out}`);
    assert.ok(s.resized, `${bin}: the resize was not seen: ${s.out}`);
    assert.equal(s.code, 5, `${bin}: ${s.out}`);
    assert.equal(box.ok(['ps', '-aq']), '', bin);
  }
});
