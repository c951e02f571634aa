/**
 * `-H ssh://root@127.0.0.1:PORT` as docker does it (`ssh … docker system dial-stdio`), through a
 * private sshd started here: its own host key, a client key made here, a temp sshd_config on a
 * random port on 127.0.0.1 whose sessions get DOCKER_HOST of the test's own dockerd (so the
 * remote `docker` never looks at /var/run/docker.sock). Stopped by PID in after().
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { BERTH } from '../helpers/berth.js';
import { DockerEngine } from '../../src/engine/docker/engine.js';
import { checkExec } from './engine-checks.js';
import { TestDockerd } from './dockerd.js';
import { TestSshd } from '../helpers/sshd.js';
import { freePort } from '../helpers/registry.js';
import { NEEDS_ROOT, requireTool } from '../helpers/tools.js';

const skip = NEEDS_ROOT;

let d: TestDockerd;
let sshd: TestSshd | undefined;
let port = 0;
const sshOpts = () => sshd!.opts();

before(async () => {
  if (skip) return;
  // The remote end runs `docker system dial-stdio`; the client end is the system ssh.
  const dockerCli = requireTool(['/usr/bin/docker', '/usr/local/bin/docker'], 'docker.io');
  d = new TestDockerd('berth-dssh');
  await d.start();
  await d.importBusybox();
  sshd = new TestSshd();
  // The session's docker CLI talks to the test's daemon, never /var/run/docker.sock.
  await sshd.start([`SetEnv DOCKER_HOST=${d.host} PATH=${dockerCli.replace(/\/docker$/, '')}:/usr/bin:/bin`]);
  port = sshd.port;
});

after(async () => {
  await sshd?.stop();
  if (d) await d.stop();
});

test('the engine over ssh://: version, image list, run attached, exec with stdin half-closed and a tty', { skip }, async () => {
  process.env.BERTH_SSH_OPTS = sshOpts();
  const e = new DockerEngine({ host: `ssh://root@127.0.0.1:${port}` });
  try {
    assert.match((await e.system.version()).apiVersion, /^1\.\d+$/);
    assert.ok((await e.images.list()).some((i) => i.repoTags.includes('busybox:latest')));
    const { id } = await e.containers.create({ image: 'busybox', cmd: ['echo', 'over-ssh'] });
    let out = '';
    const io = { stdout: new (await import('node:stream')).Writable({ write: (c, _e, cb) => ((out += c.toString()), cb()) }), stderr: process.stderr };
    assert.equal(await e.containers.startAttached(id, io), 0);
    assert.equal(out, 'over-ssh\n');
    await e.containers.remove(id);
    await e.containers.create({ image: 'busybox', name: 'ssh-exec', cmd: ['sleep', '600'] });
    await e.containers.start('ssh-exec');
    await checkExec(e, 'ssh-exec');
    await e.containers.remove('ssh-exec', { force: true });
  } finally {
    await e.close();
    delete process.env.BERTH_SSH_OPTS;
  }
});

test('the CLI with -H ssh://root@127.0.0.1:PORT', { skip }, () => {
  const env: NodeJS.ProcessEnv = { ...process.env, BERTH_SSH_OPTS: sshOpts() };
  delete env.DOCKER_HOST;
  const r = spawnSync(BERTH, ['-H', `ssh://root@127.0.0.1:${port}`, 'run', '--rm', 'busybox', 'echo', 'cli-over-ssh'], { env, timeout: 60_000 });
  assert.equal(r.status, 0, r.stderr.toString());
  assert.equal(r.stdout.toString(), 'cli-over-ssh\n');
  const ps = spawnSync(BERTH, ['-H', `ssh://root@127.0.0.1:${port}`, 'images'], { env, timeout: 60_000 });
  assert.match(ps.stdout.toString(), /busybox\s+latest/);
});

test("an ssh that fails says why in ssh's own words, in one line", { skip }, async (t) => {
  const closed = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, BERTH_SSH_OPTS: sshOpts() };
  delete env.DOCKER_HOST;
  const r = spawnSync(BERTH, ['-H', `ssh://root@127.0.0.1:${closed}`, 'ps'], { env, timeout: 60_000 });
  assert.notEqual(r.status, 0);
  const lines = r.stderr.toString().trimEnd().split('\n');
  assert.equal(lines.length, 1, r.stderr.toString());
  t.diagnostic(lines[0]!);
  assert.match(lines[0]!, new RegExp(`^Error: Cannot connect to the Docker daemon at ssh://root@127\\.0\\.0\\.1:${closed}\\. ssh exited with 255: .*refused`));
  // A remote end without docker: the same, with ssh's exit and the remote shell's words.
  const noDocker = spawnSync(BERTH, ['-H', `ssh://root@127.0.0.1:${port}/nonexistent/docker.sock`, 'ps'], { env, timeout: 60_000 });
  assert.notEqual(noDocker.status, 0);
  t.diagnostic(noDocker.stderr.toString().trim());
  assert.match(noDocker.stderr.toString(), /^Error: .*nonexistent\/docker\.sock/);
});
