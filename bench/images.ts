/**
 * Issue 12's speed target: applying layers of a real image (the Debian 12 minbase rootfs, ~130 MB
 * uncompressed) is on every user's path. `import`, `load` and `pull` of that image, berth against
 * docker (a private dockerd of this bench, its own bridge and data root) and podman (its own
 * --root), each run into an empty store so that nothing is skipped as already present.
 * Target: berth ≤ docker's median.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { debianTarball } from '../test/fixtures/debian.js';
import { TestDockerd } from '../test/docker/dockerd.js';
import { LocalRegistry } from '../test/helpers/registry.js';
import type { Row } from './cases.js';
import { BERTH_BIN } from './engines.js';
import { type Cmd, ok, repeat, type Stats } from './timing.js';

export interface ImagesBenchOptions {
  n: number;
  log: (msg: string) => void;
  /** podman's binary, when the bench compares with it. */
  podman?: string;
}

/** A throw-away store per run, so that every layer is really applied. */
class Fresh {
  private readonly dirs: string[] = [];
  berth(): NodeJS.ProcessEnv {
    const d = this.dir('berth');
    return { ...process.env, BERTH_ROOT: join(d, 'root'), BERTH_RUNROOT: join(d, 'run'), NO_COLOR: '1' };
  }
  podman(bin: string, args: string[]): Cmd {
    const d = this.dir('podman');
    return {
      file: bin,
      args: [
        '--root',
        join(d, 'root'),
        '--runroot',
        join(d, 'run'),
        '--tmpdir',
        join(d, 'tmp'),
        '--cgroup-manager',
        'cgroupfs',
        '--events-backend',
        'file',
        ...args,
      ],
    };
  }
  private dir(kind: string): string {
    const d = mkdtempSync(join(tmpdir(), `berth-bench-img-${kind}-`));
    this.dirs.push(d);
    return d;
  }
  /** Removes every store made so far (podman's overlay may leave mounts: unmount first). */
  clear(): void {
    for (const d of this.dirs.splice(0)) {
      spawnSync('umount', ['-R', '-l', d], { stdio: 'ignore' });
      rmSync(d, { recursive: true, force: true });
    }
  }
}

export async function benchImages(o: ImagesBenchOptions): Promise<Row[]> {
  const tarball = debianTarball();
  const work = mkdtempSync(join(tmpdir(), 'berth-bench-img-'));
  const fresh = new Fresh();
  const dockerd = new TestDockerd('berth-bench-img');
  let registry: LocalRegistry | undefined;
  const rows: Row[] = [];
  try {
    o.log('images: starting a private dockerd and a registry');
    await dockerd.start();
    registry = await LocalRegistry.start();
    const docker = (args: string[]): Cmd => ({ file: 'docker', args: ['-H', dockerd.host, ...args] });
    const ref = `${registry.host}/bench/debian:12`;
    // the load and pull inputs, made by docker: a docker-save tar, and the image in the registry
    await ok(docker(['import', tarball, ref]));
    const saved = join(work, 'debian-save.tar');
    await ok(docker(['save', '-o', saved, ref]));
    await ok(docker(['push', ref]));
    await ok(docker(['rmi', ref]));

    // docker's store is the daemon's: the image is removed after each run (untimed)
    const dockerRun = async (args: string[], image: string): Promise<number> => {
      const r = await ok(docker(args));
      await ok(docker(['rmi', '-f', image]));
      return r.ms;
    };
    const cases: { id: string; benchmark: string; berth: string[]; docker: string[]; podman: string[]; image: string }[] = [
      {
        id: 'images',
        benchmark: 'import the Debian 12 rootfs tar',
        berth: ['import', tarball, 'bench/debian:12'],
        docker: ['import', tarball, 'bench/debian:12'],
        podman: ['import', tarball, 'bench/debian:12'],
        image: 'bench/debian:12',
      },
      {
        id: 'images',
        benchmark: 'load the docker-saved Debian 12 image',
        berth: ['load', '-i', saved],
        docker: ['load', '-i', saved],
        podman: ['load', '-i', saved],
        image: ref,
      },
      {
        id: 'images',
        benchmark: 'pull the Debian 12 image from a local registry',
        berth: ['pull', ref],
        docker: ['pull', ref],
        podman: ['pull', '--tls-verify=false', ref],
        image: ref,
      },
    ];
    for (const c of cases) {
      o.log(`images: ${c.benchmark}`);
      const row: Row = { id: c.id, benchmark: c.benchmark, unit: 'ms', notes: 'median wall time, each run into an empty store' };
      const measure = async (name: 'berth' | 'docker' | 'podman', once: () => Promise<number>): Promise<Stats | string> => {
        try {
          return await repeat(o.n, async () => {
            try {
              return await once();
            } finally {
              fresh.clear();
            }
          });
        } catch (e) {
          o.log(`images: ${name} failed: ${String(e)}`);
          return `error: ${String((e as Error).message)
            .split('\n')[0]!
            .slice(0, 120)}`;
        }
      };
      row.berth = await measure('berth', async () => (await ok({ file: BERTH_BIN, args: c.berth, env: fresh.berth() })).ms);
      row.docker = await measure('docker', () => dockerRun(c.docker, c.image));
      if (o.podman) row.podman = await measure('podman', async () => (await ok(fresh.podman(o.podman!, c.podman))).ms);
      if (typeof row.docker === 'object') row.target = row.docker.median;
      rows.push(row);
    }
  } finally {
    fresh.clear();
    await registry?.stop().catch(() => undefined);
    await dockerd.stop().catch(() => undefined);
    rmSync(work, { recursive: true, force: true });
  }
  return rows;
}
