/**
 * `berth -H ssh://root@127.0.0.1:PORT` reaching a machine that runs berth and no daemon: the
 * remote command is `berth system dial-stdio` (BERTH_SSH_REMOTE), through a private sshd started
 * here (own host key, a client key made here, a random port on 127.0.0.1) whose sessions get
 * the test sandbox's state root and a PATH with berth. Stopped by PID in after().
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync, readFileSync, rmdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { BERTH, Sandbox } from '../helpers/berth.js';
import { NEEDS_ROOT, requireTool } from '../helpers/tools.js';
import { busyboxTarball } from '../fixtures/busybox.js';

const skip = NEEDS_ROOT;
let box: Sandbox;
let dir: string;
let sshd: ChildProcess | undefined;
let port = 0;
let madeRunSshd = false;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
    s.on('error', reject);
  });
}
const sshOpts = () => `-i ${join(dir, 'id')} -F /dev/null -o IdentitiesOnly=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR`;

before(async () => {
  if (skip) return;
  requireTool(['/usr/sbin/sshd'], 'openssh-server');
  requireTool(['/usr/bin/ssh', '/usr/bin/ssh-keygen'], 'openssh-client');
  box = new Sandbox('berth-api-ssh');
  box.ok(['import', busyboxTarball(), 'busybox']);
  dir = mkdtempSync(join(tmpdir(), 'berth-sshd-'));
  mkdirSync(join(dir, 'bin'));
  // the remote berth is the test's: its state root, runroot and bridge
  writeFileSync(join(dir, 'bin/berth'), `#!/bin/sh\nexport BERTH_ROOT='${box.root}' BERTH_RUNROOT='${box.runRoot}' BERTH_BRIDGE_NAME='${box.bridge}'\nexec '${BERTH}' "$@"\n`, { mode: 0o755 });
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'host')]);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'id')]);
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(join(dir, 'id.pub')), { mode: 0o600 });
  port = await freePort();
  writeFileSync(
    join(dir, 'sshd_config'),
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${join(dir, 'host')}`,
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      'PermitRootLogin prohibit-password',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'UsePAM no',
      'StrictModes no',
      '',
    ].join('\n'),
  );
  if (!existsSync('/run/sshd')) {
    mkdirSync('/run/sshd', { mode: 0o755 });
    madeRunSshd = true;
  }
  sshd = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', join(dir, 'sshd_config')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  sshd.stderr!.on('data', (b: Buffer) => (err += b.toString()));
  for (let i = 0; i < 100; i++) {
    const r = spawnSync('ssh', [...sshOpts().split(' '), '-p', String(port), 'root@127.0.0.1', 'true']);
    if (r.status === 0) return;
    if (sshd.exitCode !== null) throw new Error(`sshd exited: ${err}`);
    await sleep(100);
  }
  throw new Error(`sshd did not accept the test key: ${err}`);
});

after(async () => {
  if (sshd?.pid && sshd.exitCode === null) {
    const exited = new Promise((r) => sshd!.once('exit', r));
    sshd.kill('SIGTERM');
    await exited;
  }
  if (madeRunSshd) rmdirSync('/run/sshd');
  if (dir) rmSync(dir, { recursive: true, force: true });
  box?.dispose();
});

// Not yet: attached runs (the attach follows a start made by another dial-stdio process, and
// its output is not yet reliable).
test('berth -H ssh:// runs, lists, execs in and removes containers on a remote berth through dial-stdio', { skip }, () => {
  // the client side: a berth with no state of its own, talking only through ssh
  const env: NodeJS.ProcessEnv = { ...process.env, BERTH_SSH_OPTS: sshOpts(), BERTH_SSH_REMOTE: `${join(dir, 'bin/berth')} system dial-stdio`, BERTH_ROOT: join(dir, 'client-root'), BERTH_RUNROOT: join(dir, 'client-run') };
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
});
