/**
 * docker as the oracle (nerdctl's habit): one private dockerd (dockerd.ts), and docker's own CLI
 * and `berth -H` pointed at it with the same clean environment, so that the same command can go
 * through both and be compared. Used by the oracle test files (cli-oracle, template-oracle,
 * container-surface-docker, run-options-docker); each made this set-up itself before.
 *
 * The environment: no DOCKER_HOST/DOCKER_CONTEXT/BERTH_CONTEXT from the caller, and config
 * directories of their own (DOCKER_CONFIG, BERTH_CONFIG) inside the daemon's directory, so that
 * neither CLI reads the user's contexts or credentials; `stop()` removes them with the daemon.
 */
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { BERTH, type Result } from '../helpers/berth.js';
import { requireTool } from '../helpers/tools.js';
import type { Engine } from '../cli/run-option-cases.js';
import { DEBIAN_REF, dockerDebian } from '../fixtures/docker-built.js';
import { TestDockerd } from './dockerd.js';

/** setup.sh's docker CLI (Debian's docker.io, 20.10: the daemon's own version). */
export const DOCKER_CLI_PATHS = ['/usr/bin/docker', '/usr/local/bin/docker'];

/** A command's outcome with stdout's bytes as they came (templates are compared byte for byte). */
export interface RawResult {
  code: number;
  stdout: Buffer;
  stderr: string;
}

/** How `same` reads two outcomes: normalizers for what may differ (names, ages). */
export interface Compare {
  /** The docker CLI to compare with (default: the oracle's). */
  bin?: string;
  stdout?: (s: string) => string;
  stderr?: (s: string) => string;
}

export class DockerOracle {
  readonly dockerd: TestDockerd;
  /** The docker CLI: set by start() (requireTool: a missing one fails, never skips). */
  docker = '';

  constructor(name: string) {
    this.dockerd = new TestDockerd(name);
  }

  get host(): string {
    return this.dockerd.host;
  }

  /** Starts the daemon (what `stop` undoes, also after a failed start). */
  async start(): Promise<this> {
    this.docker = requireTool(DOCKER_CLI_PATHS, 'docker.io');
    for (const d of ['docker', 'berth']) mkdirSync(join(this.dockerd.dir, 'cli-config', d), { recursive: true });
    await this.dockerd.start();
    return this;
  }

  /** Both CLIs' environment: no host or context of the caller's, config of their own. */
  env(): NodeJS.ProcessEnv {
    const config = join(this.dockerd.dir, 'cli-config');
    const e: NodeJS.ProcessEnv = { ...process.env, DOCKER_CONFIG: join(config, 'docker'), BERTH_CONFIG: join(config, 'berth'), NO_COLOR: '1' };
    for (const k of ['DOCKER_HOST', 'DOCKER_CONTEXT', 'BERTH_CONTEXT']) delete e[k];
    return e;
  }

  /** `bin -H HOST ARGS…` (bin: the docker CLI or BERTH). */
  raw(bin: string, args: string[], timeout = 120_000): RawResult {
    const r = spawnSync(bin, ['-H', this.host, ...args], { env: this.env(), timeout, maxBuffer: 64 << 20 });
    return { code: r.status ?? 128, stdout: r.stdout ?? Buffer.alloc(0), stderr: r.stderr?.toString() ?? '' };
  }

  run(bin: string, args: string[], timeout?: number): Result {
    const r = this.raw(bin, args, timeout);
    return { ...r, stdout: r.stdout.toString() };
  }

  /** docker's CLI, failing the test unless it succeeded; its stdout. */
  dockerOk(args: string[], bin = this.docker): string {
    const r = this.run(bin, args);
    assert.equal(r.code, 0, `docker ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  }

  /**
   * The same command through docker and berth: the same exit code, stderr and stdout (through
   * the normalizers when given, else stdout byte for byte). Outputs that show elapsed time
   * ("2 seconds ago") may differ by one second: the two CLIs run one after the other, and on a
   * loaded machine a retry crosses a second boundary again.
   */
  same(args: string[], o: Compare = {}): Result {
    const bin = o.bin ?? this.docker;
    const out = o.stdout;
    const err = o.stderr ?? ((s: string) => s);
    const show = (r: RawResult) => `exit ${r.code}\n--- stdout\n${r.stdout.toString()}--- stderr\n${r.stderr}`;
    let last = '';
    for (let attempt = 0; attempt < 3; attempt++) {
      const want = this.raw(bin, args);
      const got = this.raw(BERTH, args);
      const [w, g] = [want.stdout.toString(), got.stdout.toString()].map((x) => (out ? out(x) : x)) as [string, string];
      const stdoutSame = (out ? w === g : want.stdout.equals(got.stdout)) || withinASecond(w, g);
      if (want.code === got.code && err(want.stderr) === err(got.stderr) && stdoutSame) return { ...got, stdout: got.stdout.toString() };
      last = `${args.join(' ')}\n=== docker (${bin})\n${show(want)}=== berth\n${show(got)}`;
    }
    assert.fail(`berth and docker differ:\n${last}`);
  }

  /**
   * The shared case files' two engines on this daemon (test/cli/run-option-cases.ts' Engine):
   * berth's Docker-API backend and docker's CLI, on `image`. A start that fails: berth's run
   * exits 125; docker's CLI says 127 when the error names a missing file.
   */
  engines(image: string): { berth: Engine; docker: Engine } {
    const engine = (label: string, bin: string, missingDeviceExit: number): Engine => ({
      label,
      image,
      run: (a, o) => this.run(bin, a, o?.timeout),
      containers: () => {
        const r = this.run(bin, ['ps', '-aq', '--no-trunc']);
        assert.equal(r.code, 0, `${label} ps -aq: ${r.stderr}`);
        return r.stdout.trim().split('\n').filter(Boolean).sort();
      },
      missingDeviceExit,
    });
    return { berth: engine('berth -H', BERTH, 125), docker: engine('docker', this.docker, 127) };
  }

  /** Idempotent; removes the daemon's containers, state and the CLIs' config. */
  async stop(): Promise<void> {
    await this.dockerd.stop();
  }
}

/**
 * For a test file of the shared cases (test/cli/*-cases.ts) on a private dockerd: registers the
 * file's before (the oracle started, the Debian image imported) and after hooks, and gives the
 * two engines once started; `both(fn)` makes a test body that runs the case on berth -H, then
 * on docker (tag 'b' or 'd', for names that must differ).
 */
export function casesOnDockerd(name: string, skip: string | undefined) {
  let o: DockerOracle | undefined;
  let engines: { berth: Engine; docker: Engine } | undefined;
  before(async () => {
    if (skip) return;
    o = await new DockerOracle(name).start();
    dockerDebian(o.host);
    engines = o.engines(DEBIAN_REF);
  });
  after(async () => {
    await o?.stop();
  });
  const started = () => engines ?? assert.fail('the private dockerd did not start');
  return {
    berth: (): Engine => started().berth,
    docker: (): Engine => started().docker,
    both: (fn: (e: Engine, tag: 'b' | 'd') => void) => () => {
      fn(started().berth, 'b');
      fn(started().docker, 'd');
    },
  };
}

/** The same text but for elapsed seconds ("Up 23 seconds", "Less than a second ago") off by at most one. */
export function withinASecond(a: string, b: string): boolean {
  const re = /(\d+)(?= seconds?\b)/g;
  const norm = (x: string) => x.replace(/Less than a second/g, '0 seconds').replace(/\b(\d+) second\b/g, '$1 seconds');
  const [x, y] = [norm(a), norm(b)];
  if (x === y || x.replace(re, 'N') !== y.replace(re, 'N')) return x === y;
  const nx = [...x.matchAll(re)].map((m) => Number(m[1]));
  const ny = [...y.matchAll(re)].map((m) => Number(m[1]));
  return nx.every((n, i) => Math.abs(n - ny[i]!) <= 1);
}
