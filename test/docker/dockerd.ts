/**
 * A private dockerd for tests: its own socket, data root, exec root (and so its own managed
 * containerd), containerd namespace and cgroup parent, no default bridge, no iptables/forwarding
 * changes, an empty config file (the host's /etc/docker/daemon.json is not read). It never
 * touches /var/run/docker.sock. `stop()` removes its containers, stops it by PID, unmounts what
 * it left under its directory and removes the directory, also after a failure.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, createReadStream, openSync, closeSync, readdirSync, rmdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DockerEngine } from '../../src/engine/docker/engine.js';
import { busyboxTarball } from '../fixtures/busybox.js';

export const DOCKERD = ['/usr/sbin/dockerd', '/usr/bin/dockerd'].find((p) => existsSync(p));
export const SKIP_REASON = DOCKERD ? undefined : 'dockerd is not installed (apt-get install docker.io)';

export class TestDockerd {
  readonly dir: string;
  readonly sock: string;
  readonly host: string;
  readonly cgroupParent: string;
  private child?: ChildProcess;
  engine!: DockerEngine;

  constructor(name = 'berth-dockerd') {
    // Short path: unix socket paths are limited to 108 bytes.
    this.dir = mkdtempSync(join(tmpdir(), `${name}-`));
    this.sock = join(this.dir, 'docker.sock');
    this.host = `unix://${this.sock}`;
    this.cgroupParent = `/berth-test-${this.dir.slice(-6)}`;
  }

  private extra: string[] = [];

  /**
   * `extra`: more dockerd flags (a TLS test adds --tlsverify … -H tcp://127.0.0.1:PORT). After
   * `halt()`, starts the same daemon again (same socket, data and flags).
   */
  async start(extra: string[] = this.extra): Promise<void> {
    this.extra = extra;
    writeFileSync(join(this.dir, 'daemon.json'), '{}\n');
    const log = openSync(join(this.dir, 'dockerd.log'), 'a');
    const ns = `berthtest-${this.dir.slice(-6)}`;
    this.child = spawn(
      DOCKERD!,
      [
        '--config-file', join(this.dir, 'daemon.json'),
        '--host', this.host,
        '--data-root', join(this.dir, 'data'),
        '--exec-root', join(this.dir, 'exec'),
        '--pidfile', join(this.dir, 'docker.pid'),
        '--containerd-namespace', ns,
        '--containerd-plugins-namespace', `${ns}-plugins`,
        '--cgroup-parent', this.cgroupParent,
        '--bridge', 'none',
        '--iptables=false',
        '--ip6tables=false',
        '--ip-forward=false',
        '--ip-masq=false',
        '--userland-proxy=false',
        ...extra,
      ],
      { stdio: ['ignore', log, log], detached: true },
    );
    closeSync(log);
    this.child.unref();
    this.engine ??= new DockerEngine({ host: this.host });
    const deadline = Date.now() + 30_000;
    for (;;) {
      try {
        await this.engine.client.ping();
        break;
      } catch (e) {
        if (this.child.exitCode !== null || Date.now() > deadline) {
          throw new Error(`dockerd did not start: ${(e as Error).message}\n${readFileSync(join(this.dir, 'dockerd.log'), 'utf8').slice(-2000)}`);
        }
        await sleep(200);
      }
    }
  }

  /** busybox:latest imported from the fixture tarball (`docker import` through the API). */
  async importBusybox(): Promise<string> {
    return this.engine.images.import(createReadStream(busyboxTarball()), { reference: 'busybox:latest' });
  }

  /** Stops the daemon by its PID, leaving its state (a test of a daemon that goes away). */
  async halt(): Promise<void> {
    const child = this.child;
    if (child?.pid && child.exitCode === null && child.signalCode === null) {
      // Waiting for 'exit' (not just for /proc to show it gone) lets node reap it: otherwise
      // a zombie is left to PID 1, which here is not an init that reaps.
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      if (!(await Promise.race([exited.then(() => true), sleep(10_000).then(() => false)]))) {
        child.kill('SIGKILL');
        await exited;
      }
    }
  }

  async stop(): Promise<void> {
    try {
      if (this.engine) {
        for (const c of await this.engine.containers.list({ all: true }).catch(() => [])) {
          await this.engine.containers.remove(c.id, { force: true }).catch(() => undefined);
        }
        for (const n of await this.engine.networks.list().catch(() => [])) {
          if (!['bridge', 'host', 'none'].includes(n.name)) await this.engine.networks.remove(n.id).catch(() => undefined);
        }
        await this.engine.close();
      }
    } finally {
      await this.halt();
      // Whatever it mounted under its directory (overlay layers, netns, shm), deepest first.
      const mounts = readFileSync('/proc/self/mounts', 'utf8')
        .split('\n')
        .map((l) => l.split(' ')[1]?.replace(/\\040/g, ' ') ?? '')
        .filter((m) => m.startsWith(`${this.dir}/`))
        .sort((a, b) => b.length - a.length);
      for (const m of mounts) spawnSync('umount', ['-l', m]);
      rmSync(this.dir, { recursive: true, force: true });
      // The cgroup parent it made in each hierarchy (empty once its containers are gone).
      for (const root of ['/sys/fs/cgroup', ...safeList('/sys/fs/cgroup').map((d) => join('/sys/fs/cgroup', d))]) {
        const p = join(root, this.cgroupParent);
        if (existsSync(p)) {
          try {
            rmdirSync(p);
          } catch {
            // still busy or not ours to remove
          }
        }
      }
    }
  }
}

function safeList(d: string): string[] {
  try {
    return readdirSync(d);
  } catch {
    return [];
  }
}

