/**
 * A private dockerd for tests: its own socket, data root, exec root (and so its own managed
 * containerd), containerd namespace and cgroup parent, its own bridge for the default network
 * (private-bridge.ts: never `--bridge none`, which deletes the host's docker0), no
 * iptables/forwarding changes, an empty config file (the host's /etc/docker/daemon.json is not
 * read). It never touches /var/run/docker.sock. `stop()` removes its containers, stops it by
 * PID, unmounts what it left under its directory, removes the directory and the bridge, also
 * after a failure (a start that fails cleans up the same way).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync, createReadStream, openSync, closeSync, readdirSync, rmdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DockerEngine } from '../../src/engine/docker/engine.js';
import { busyboxTarball } from '../fixtures/busybox.js';
import { stopChild } from '../helpers/child-process.js';
import { requireTool } from '../helpers/tools.js';
import { unmountAndRemove, waitForApi } from './daemon-plumbing.js';
import { createBridge, linkExists, removeBridge } from './private-bridge.js';

const DOCKERD_PATHS = ['/usr/sbin/dockerd', '/usr/bin/dockerd'];

export class TestDockerd {
  readonly dir: string;
  readonly sock: string;
  readonly host: string;
  readonly cgroupParent: string;
  /** The daemon's own bridge (default network), made by start(), removed by stop(). */
  readonly bridge: string;
  private child?: ChildProcess;
  engine!: DockerEngine;

  constructor(name = 'berth-dockerd') {
    // Short path: unix socket paths are limited to 108 bytes.
    this.dir = mkdtempSync(join(tmpdir(), `${name}-`));
    this.sock = join(this.dir, 'docker.sock');
    this.host = `unix://${this.sock}`;
    this.cgroupParent = `/berth-test-${this.dir.slice(-6)}`;
    // mkdtemp's suffix is unique among live temp dirs; an interface name takes ≤ 15 bytes.
    this.bridge = `bd${this.dir.slice(-6)}`;
  }

  private extra: string[] = [];

  /**
   * `extra`: more dockerd flags (a TLS test adds --tlsverify … -H tcp://127.0.0.1:PORT). After
   * `halt()`, starts the same daemon again (same socket, data and flags).
   */
  async start(extra: string[] = this.extra): Promise<void> {
    this.extra = extra;
    try {
      await this.launch(extra);
    } catch (e) {
      await this.stop().catch(() => undefined);
      throw e;
    }
  }

  private async launch(extra: string[]): Promise<void> {
    const dockerd = requireTool(DOCKERD_PATHS, 'docker.io');
    if (!linkExists(this.bridge)) createBridge(this.bridge);
    writeFileSync(join(this.dir, 'daemon.json'), '{}\n');
    const log = openSync(join(this.dir, 'dockerd.log'), 'a');
    const ns = `berthtest-${this.dir.slice(-6)}`;
    this.child = spawn(
      dockerd,
      [
        '--config-file',
        join(this.dir, 'daemon.json'),
        '--host',
        this.host,
        '--data-root',
        join(this.dir, 'data'),
        '--exec-root',
        join(this.dir, 'exec'),
        '--pidfile',
        join(this.dir, 'docker.pid'),
        '--containerd-namespace',
        ns,
        '--containerd-plugins-namespace',
        `${ns}-plugins`,
        '--cgroup-parent',
        this.cgroupParent,
        '--bridge',
        this.bridge,
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
    await waitForApi(this.child, () => this.engine.client.ping(), 'dockerd', join(this.dir, 'dockerd.log'));
  }

  /** busybox:latest imported from the fixture tarball (`docker import` through the API). */
  async importBusybox(): Promise<string> {
    return this.engine.images.import(createReadStream(busyboxTarball()), { reference: 'busybox:latest' });
  }

  /** Stops the daemon by its PID, leaving its state (a test of a daemon that goes away). */
  async halt(): Promise<void> {
    await stopChild(this.child, 10_000);
  }

  /** Idempotent: after a failed start, and again from a test's after(), is fine. */
  async stop(): Promise<void> {
    try {
      const running = this.child?.exitCode === null && this.child.signalCode === null;
      if (this.engine && running) {
        for (const c of await this.engine.containers.list({ all: true }).catch(() => [])) {
          await this.engine.containers.remove(c.id, { force: true }).catch(() => undefined);
        }
        for (const n of await this.engine.networks.list().catch(() => [])) {
          if (!['bridge', 'host', 'none'].includes(n.name)) await this.engine.networks.remove(n.id).catch(() => undefined);
        }
      }
      await this.engine?.close();
    } finally {
      await this.halt();
      removeBridge(this.bridge);
      unmountAndRemove(this.dir);
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
