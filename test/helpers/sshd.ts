/**
 * A private sshd for the ssh:// cases: its own host key, a client key made here, a temp
 * sshd_config on a random port on 127.0.0.1. `extra` lines go into that config (SetEnv of the
 * session). Stopped by PID in stop(); /run/sshd is removed only when start() made it.
 */
import { spawn, spawnSync, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from './registry.js';
import { requireTool } from './tools.js';

export class TestSshd {
  readonly dir = mkdtempSync(join(tmpdir(), 'berth-sshd-'));
  port = 0;
  private child?: ChildProcess;
  private madeRunSshd = false;

  /** ssh's options for the client key, with no config, known hosts or agent of the user's. */
  opts(): string {
    return `-i ${join(this.dir, 'id')} -F /dev/null -o IdentitiesOnly=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR`;
  }

  async start(extra: string[] = []): Promise<void> {
    requireTool(['/usr/sbin/sshd'], 'openssh-server');
    requireTool(['/usr/bin/ssh', '/usr/bin/ssh-keygen'], 'openssh-client');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(this.dir, 'host')]);
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(this.dir, 'id')]);
    writeFileSync(join(this.dir, 'authorized_keys'), readFileSync(join(this.dir, 'id.pub')), { mode: 0o600 });
    this.port = await freePort();
    writeFileSync(
      join(this.dir, 'sshd_config'),
      [
        `Port ${this.port}`,
        'ListenAddress 127.0.0.1',
        `HostKey ${join(this.dir, 'host')}`,
        `AuthorizedKeysFile ${join(this.dir, 'authorized_keys')}`,
        `PidFile ${join(this.dir, 'sshd.pid')}`,
        'PermitRootLogin prohibit-password',
        'PasswordAuthentication no',
        'KbdInteractiveAuthentication no',
        'UsePAM no',
        'StrictModes no',
        ...extra,
        '',
      ].join('\n'),
    );
    if (!existsSync('/run/sshd')) {
      mkdirSync('/run/sshd', { mode: 0o755 }); // sshd's privilege-separation directory
      this.madeRunSshd = true;
    }
    const sshd = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', join(this.dir, 'sshd_config')], { stdio: ['ignore', 'ignore', 'pipe'] });
    this.child = sshd;
    let err = '';
    sshd.stderr!.on('data', (b: Buffer) => (err += b.toString()));
    for (let i = 0; i < 100; i++) {
      const r = spawnSync('ssh', [...this.opts().split(' '), '-p', String(this.port), 'root@127.0.0.1', 'true']);
      if (r.status === 0) return;
      if (sshd.exitCode !== null) throw new Error(`sshd exited: ${err}`);
      await sleep(100);
    }
    throw new Error(`sshd did not accept the test key: ${err}`);
  }

  async stop(): Promise<void> {
    const c = this.child;
    if (c?.pid && c.exitCode === null && c.signalCode === null) {
      const exited = new Promise((r) => c.once('exit', r));
      c.kill('SIGTERM');
      await exited;
    }
    if (this.madeRunSshd) rmdirSync('/run/sshd');
    rmSync(this.dir, { recursive: true, force: true });
  }
}
