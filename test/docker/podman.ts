/**
 * A private Podman API service for tests: `podman system service --time=0 unix://DIR/podman.sock`
 * with its own storage (graph root, run root, tmp dir), its own containers.conf and storage.conf
 * (CONTAINERS_CONF / CONTAINERS_STORAGE_CONF) and network config dir, all in one temp dir, so no
 * podman state of the machine is read or touched. Containers get no network (netns "none"), so
 * no bridge or firewall rule is made on the host. `stop()` removes its containers, stops the
 * service by PID (and the conmon monitors it left, found by their command line naming this
 * test's directory), unmounts what is under the directory, removes it, and removes the cgroups
 * its containers had.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, createReadStream, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, rmdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DockerEngine } from '../../src/engine/docker/engine.js';
import { busyboxTarball } from '../fixtures/busybox.js';
import { stopChild } from '../helpers/child-process.js';
import { requireTool } from '../helpers/tools.js';
import { unmountAndRemove, waitForApi } from './daemon-plumbing.js';

const PODMAN_PATHS = ['/usr/bin/podman', '/usr/local/bin/podman'];

/** This process's hard limit for a /proc/self/limits row ("Max open files"). */
function hardLimit(row: string): number {
  const line = readFileSync('/proc/self/limits', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(row));
  const v = line?.slice(row.length).trim().split(/\s+/)[1];
  return v && /^\d+$/.test(v) ? Number(v) : 1024;
}

const CGROUP_ROOT = '/sys/fs/cgroup';
/** Where podman's cgroupfs manager puts containers and their monitors. */
const PARENT = 'libpod_parent';

function hierarchies(): string[] {
  try {
    return readdirSync(CGROUP_ROOT)
      .map((d) => join(CGROUP_ROOT, d))
      .filter((d) => existsSync(join(d, 'cgroup.procs')));
  } catch {
    return [];
  }
}

export class TestPodman {
  readonly dir: string;
  readonly sock: string;
  readonly host: string;
  private child?: ChildProcess;
  engine!: DockerEngine;
  /** Hierarchies that had podman's parent cgroup before this test (left alone afterwards). */
  private readonly parentsBefore = new Set<string>();
  private readonly ids = new Set<string>();

  constructor(name = 'berth-podman') {
    this.dir = mkdtempSync(join(tmpdir(), `${name}-`));
    this.sock = join(this.dir, 'podman.sock');
    this.host = `unix://${this.sock}`;
  }

  private get env(): NodeJS.ProcessEnv {
    return {
      ...process.env,
      CONTAINERS_CONF: join(this.dir, 'containers.conf'),
      CONTAINERS_STORAGE_CONF: join(this.dir, 'storage.conf'),
      CONTAINERS_REGISTRIES_CONF: join(this.dir, 'registries.conf'),
    };
  }

  async start(): Promise<void> {
    const podman = requireTool(PODMAN_PATHS, 'podman');
    for (const h of hierarchies()) if (existsSync(join(h, PARENT))) this.parentsBefore.add(h);
    const d = (p: string) => join(this.dir, p);
    for (const p of ['root', 'run', 'tmp', 'net', 'volumes']) mkdirSync(d(p));
    // Podman's default rlimits exceed what a process may set here (no CAP_SYS_RESOURCE): keep
    // them within our own hard limits. An exec session is kept exit_command_delay seconds after
    // it ends (its exit code is read then): 30, not podman's 300; stop() ends the monitors anyway.
    const nofile = Math.min(1024, hardLimit('Max open files'));
    const nproc = Math.min(4096, hardLimit('Max processes'));
    writeFileSync(
      d('containers.conf'),
      [
        '[containers]',
        'netns = "none"',
        `default_ulimits = ["nofile=${nofile}:${nofile}", "nproc=${nproc}:${nproc}"]`,
        '[engine]',
        'cgroup_manager = "cgroupfs"',
        'events_logger = "file"',
        `events_logfile_path = "${d('events.log')}"`,
        'runtime = "runc"',
        `tmp_dir = "${d('tmp')}"`,
        `static_dir = "${d('root/libpod')}"`,
        `volume_path = "${d('volumes')}"`,
        'exit_command_delay = 30',
        '[network]',
        `network_config_dir = "${d('net')}"`,
        '',
      ].join('\n'),
    );
    writeFileSync(d('storage.conf'), ['[storage]', 'driver = "overlay"', `graphroot = "${d('root')}"`, `runroot = "${d('run')}"`, ''].join('\n'));
    writeFileSync(d('registries.conf'), 'unqualified-search-registries = []\n');
    const log = openSync(d('podman.log'), 'a');
    this.child = spawn(
      podman,
      [
        '--root',
        d('root'),
        '--runroot',
        d('run'),
        '--tmpdir',
        d('tmp'),
        '--cgroup-manager=cgroupfs',
        '--events-backend=file',
        '--storage-driver',
        'overlay',
        '--network-config-dir',
        d('net'),
        'system',
        'service',
        '--time=0',
        this.host,
      ],
      { stdio: ['ignore', log, log], detached: true, env: this.env },
    );
    closeSync(log);
    this.child.unref();
    this.engine = new DockerEngine({ host: this.host });
    await waitForApi(this.child, () => this.engine.system.version(), 'podman system service', d('podman.log'));
  }

  async importBusybox(): Promise<string> {
    return this.engine.images.import(createReadStream(busyboxTarball()), { reference: 'busybox:latest' });
  }

  /** Remembered so their cgroups can be removed afterwards. */
  track(id: string): void {
    this.ids.add(id);
  }

  /** Processes whose command line names this test's directory (the service's conmon monitors). */
  private ownProcesses(): number[] {
    const out: number[] = [];
    for (const p of readdirSync('/proc')) {
      if (!/^\d+$/.test(p) || Number(p) === process.pid) continue;
      try {
        if (readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(this.dir)) out.push(Number(p));
      } catch {
        // gone meanwhile
      }
    }
    return out;
  }

  async stop(): Promise<void> {
    try {
      if (this.engine) {
        for (const c of await this.engine.containers.list({ all: true }).catch(() => [])) {
          this.ids.add(c.id);
          await this.engine.containers.remove(c.id, { force: true }).catch(() => undefined);
        }
        await this.engine.close();
      }
    } finally {
      await stopChild(this.child, 10_000);
      // Monitors (conmon) and cleanup processes the service started; they name our directory.
      for (const pid of this.ownProcesses()) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      for (let i = 0; i < 50 && this.ownProcesses().length; i++) await sleep(100);
      unmountAndRemove(this.dir);
      for (const h of hierarchies()) {
        const parent = join(h, PARENT);
        const mine = [...this.ids].map((id) => join(parent, `libpod-${id}`));
        if (!this.parentsBefore.has(h)) mine.push(join(parent, 'conmon'), parent);
        for (const p of mine) {
          try {
            if (existsSync(p)) rmdirSync(p);
          } catch {
            // still in use (by someone else's podman): not ours to remove
          }
        }
      }
    }
  }
}
