/**
 * The engines a benchmark runs against: berth (always, in its own temp state root) and, when
 * installed and usable, podman (also in its own temp --root/--runroot) and docker (its daemon's
 * store; everything we make carries a unique prefix and is removed). Each knows how to import
 * the busybox fixture and how to clean up after itself — also when the bench fails or is
 * interrupted (cleanup is synchronous so that it can run from a signal handler).
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Cmd, runSync, runTimed } from './timing.js';

export const SRC_ROOT = new URL('../../', import.meta.url).pathname;
export const BERTH_BIN = join(SRC_ROOT, 'bin/berth');

export type EngineName = 'berth' | 'podman' | 'docker';

export interface BenchEngine {
  name: EngineName;
  /** The image reference to use in `run` after `importImage`. */
  image: string;
  /** A command line of this engine. */
  cmd(args: string[]): Cmd;
  /** Unique prefix for names (containers, networks) this bench makes in this engine. */
  prefix: string;
  importImage(tarball: string): Promise<void>;
  /** Removes everything this bench made; never throws. */
  cleanup(): void;
}

/** `ENGINE import TARBALL IMAGE`, the same command line in all three. */
async function importInto(e: BenchEngine, tarball: string): Promise<void> {
  const r = await runTimed(e.cmd(['import', tarball, e.image]));
  if (r.code !== 0) throw new Error(`${e.name} import failed: ${r.stderr.trim().slice(0, 300)}`);
}

/** A clean-up command: its result, or undefined when it failed or hung (clean-up never throws). */
function bestEffort(e: BenchEngine, args: string[]): ReturnType<typeof runSync> | undefined {
  try {
    return runSync(e.cmd(args), { timeout: 180_000 });
  } catch {
    return undefined;
  }
}

export function which(bin: string): string | undefined {
  const r = spawnSync('sh', ['-c', `command -v ${bin}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

function hex(n: number): string {
  return randomBytes(n).toString('hex');
}

export class BerthEngine implements BenchEngine {
  readonly name = 'berth' as const;
  readonly image = 'busybox';
  readonly dir = mkdtempSync(join(tmpdir(), 'berth-bench-'));
  /** Default bridge device, unique so that we never meet berth0 or a test's bridge (≤ 15 chars). */
  readonly bridge = `bb${hex(3)}`;
  readonly prefix = `bb${hex(3)}`;
  private cleaned = false;
  readonly env: NodeJS.ProcessEnv = {
    ...process.env,
    BERTH_ROOT: join(this.dir, 'root'),
    BERTH_RUNROOT: join(this.dir, 'run'),
    BERTH_BRIDGE_NAME: this.bridge,
    NO_COLOR: '1',
  };
  cmd(args: string[]): Cmd {
    return { file: BERTH_BIN, args, env: this.env };
  }
  importImage(tarball: string): Promise<void> {
    return importInto(this, tarball);
  }
  cleanup(): void {
    if (this.cleaned) return;
    this.cleaned = true;
    try {
      if (existsSync(this.env.BERTH_ROOT!)) {
        const r = runSync(this.cmd(['system', 'reset', '--force']), { timeout: 180_000 });
        if (r.code !== 0) process.stderr.write(`bench: berth system reset failed: ${r.stderr}\n`);
      }
    } catch (e) {
      process.stderr.write(`bench: berth system reset failed: ${String(e)}\n`);
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** podman with its own storage and runtime dirs, so the host's podman state is never touched. */
export class PodmanEngine implements BenchEngine {
  readonly name = 'podman' as const;
  readonly image = 'localhost/berthbench:latest';
  readonly prefix = `bb${hex(3)}`;
  readonly dir = mkdtempSync(join(tmpdir(), 'berth-bench-podman-'));
  readonly networks: string[] = [];
  private cleaned = false;
  /** podman's default bridge device: removed at the end when this bench made it. */
  private readonly hadBridge = spawnSync('ip', ['link', 'show', 'cni-podman0'], { stdio: 'ignore' }).status === 0;
  /** podman's cgroup parent (cgroupfs manager): removed at the end when this bench made it. */
  private readonly hadCgroupParent = existsSync('/sys/fs/cgroup/memory/libpod_parent') || existsSync('/sys/fs/cgroup/libpod_parent');
  private readonly env: NodeJS.ProcessEnv;
  constructor(readonly bin: string) {
    // crun fails on cgroup v1 hybrid hosts, and podman's default rlimits (nofile 1048576, nproc
    // 4194304) exceed what runc may set where CAP_SYS_RESOURCE is not in the bounding set
    // (see ../shared/platform-notes.md): runc, and modest default ulimits.
    const conf = join(this.dir, 'containers.conf');
    writeFileSync(conf, '[containers]\ndefault_ulimits = ["nofile=1024:1024", "nproc=4096:4096"]\n');
    this.env = { ...process.env, CONTAINERS_CONF: conf };
  }
  cmd(args: string[]): Cmd {
    return {
      file: this.bin,
      args: [
        '--root',
        join(this.dir, 'root'),
        '--runroot',
        join(this.dir, 'run'),
        '--tmpdir',
        join(this.dir, 'tmp'),
        '--cgroup-manager',
        'cgroupfs',
        '--events-backend',
        'file',
        '--runtime',
        'runc',
        ...args,
      ],
      env: this.env,
    };
  }
  importImage(tarball: string): Promise<void> {
    return importInto(this, tarball);
  }
  cleanup(): void {
    if (this.cleaned) return;
    this.cleaned = true;
    const quiet = (args: string[]) => bestEffort(this, args);
    quiet(['rm', '-a', '-f', '-t', '0']);
    // Networks live in the host's CNI config dir, not in --root: remove ours by name.
    for (const n of this.networks) quiet(['network', 'rm', '-f', n]);
    quiet(['system', 'reset', '--force']);
    if (!this.hadBridge) spawnSync('ip', ['link', 'del', 'cni-podman0'], { stdio: 'ignore' });
    if (!this.hadCgroupParent)
      spawnSync(
        'sh',
        ['-c', 'for c in /sys/fs/cgroup/libpod_parent /sys/fs/cgroup/*/libpod_parent; do [ -d "$c" ] && find "$c" -depth -type d -exec rmdir {} + ; done'],
        { stdio: 'ignore' },
      );
    spawnSync('umount', ['-R', '-l', this.dir], { stdio: 'ignore' });
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** docker through its daemon: only names with our prefix are made and removed. */
export class DockerEngine implements BenchEngine {
  readonly name = 'docker' as const;
  readonly prefix = `bb${hex(3)}`;
  readonly image = `berthbench-${this.prefix}:latest`;
  readonly networks: string[] = [];
  private cleaned = false;
  constructor(readonly bin: string) {}
  cmd(args: string[]): Cmd {
    return { file: this.bin, args };
  }
  importImage(tarball: string): Promise<void> {
    return importInto(this, tarball);
  }
  cleanup(): void {
    if (this.cleaned) return;
    this.cleaned = true;
    const quiet = (args: string[]) => bestEffort(this, args);
    const ids =
      quiet(['ps', '-aq', '--filter', `name=${this.prefix}`])
        ?.stdout.split('\n')
        .filter(Boolean) ?? [];
    if (ids.length) quiet(['rm', '-f', ...ids]);
    for (const n of this.networks) quiet(['network', 'rm', n]);
    const imgs =
      quiet(['images', '-q', '--filter', `reference=berthbench-${this.prefix}*`])
        ?.stdout.split('\n')
        .filter(Boolean) ?? [];
    if (imgs.length) quiet(['rmi', '-f', ...imgs]);
  }
}

export interface Availability {
  engine: EngineName;
  available: boolean;
  note: string;
}

/** Which comparison engines can run here, and why not when they can't. */
export function comparisonEngines(opts: { noCompare: boolean }): { engines: BenchEngine[]; availability: Availability[] } {
  const engines: BenchEngine[] = [];
  const availability: Availability[] = [];
  const podman = which('podman');
  if (opts.noCompare) availability.push({ engine: 'podman', available: false, note: 'skipped (--no-compare)' });
  else if (!podman) availability.push({ engine: 'podman', available: false, note: 'not installed' });
  else {
    const v = spawnSync(podman, ['--version'], { encoding: 'utf8' });
    engines.push(new PodmanEngine(podman));
    availability.push({ engine: 'podman', available: true, note: v.stdout.trim() });
  }
  const docker = which('docker');
  if (opts.noCompare) availability.push({ engine: 'docker', available: false, note: 'skipped (--no-compare)' });
  else if (!docker) availability.push({ engine: 'docker', available: false, note: 'not installed' });
  else {
    const v = spawnSync(docker, ['version', '--format', '{{.Server.Version}}'], { encoding: 'utf8', timeout: 10_000 });
    if (v.status !== 0) availability.push({ engine: 'docker', available: false, note: 'client installed, daemon not running' });
    else {
      engines.push(new DockerEngine(docker));
      availability.push({ engine: 'docker', available: true, note: `docker ${v.stdout.trim()}` });
    }
  }
  return { engines, availability };
}
