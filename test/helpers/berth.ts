/**
 * Running the real `bin/berth` in tests, each test file with its own state root and runroot
 * (so nothing touches /var/lib/berth), removed afterwards.
 */
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const SRC_ROOT = process.env.BERTH_SRC_ROOT ?? new URL('../../../', import.meta.url).pathname;
export const BERTH = join(SRC_ROOT, 'bin/berth');

export interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * One isolated berth: its own state root, runroot and default-bridge device (so it never meets
 * a user's berth0 or another test's), removed with everything it made by `dispose`.
 */
export class Sandbox {
  readonly dir: string;
  readonly root: string;
  readonly runRoot: string;
  /** The default `bridge` network's device for this sandbox (≤ 15 chars, a Linux limit). */
  readonly bridge: string;
  constructor(name = 'berth-test') {
    this.dir = mkdtempSync(join(tmpdir(), `${name}-`));
    this.root = join(this.dir, 'root');
    this.runRoot = join(this.dir, 'run');
    this.bridge = `bt${randomBytes(5).toString('hex')}`;
  }
  get env(): NodeJS.ProcessEnv {
    return { ...process.env, BERTH_ROOT: this.root, BERTH_RUNROOT: this.runRoot, BERTH_BRIDGE_NAME: this.bridge, NO_COLOR: '1' };
  }
  run(args: string[], opts: { input?: string | Buffer; timeout?: number } = {}): Result {
    const o: SpawnSyncOptions = { env: this.env, input: opts.input, timeout: opts.timeout ?? 60_000, maxBuffer: 256 * 1024 * 1024 };
    const r = spawnSync(BERTH, args, o);
    return { code: r.status ?? (r.signal ? 128 : 1), stdout: r.stdout?.toString() ?? '', stderr: r.stderr?.toString() ?? '' };
  }
  /** Runs and fails the test unless the command succeeded. */
  ok(args: string[], opts?: { input?: string | Buffer; timeout?: number }): string {
    const r = this.run(args, opts);
    if (r.code !== 0) throw new Error(`berth ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
    return r.stdout;
  }
  path(...p: string[]): string {
    return join(this.dir, ...p);
  }
  /** Removes every container, network (with its bridge and rules), volume and image, then the dir. */
  dispose(): void {
    if (existsSync(this.root)) {
      const r = this.run(['system', 'reset', '--force'], { timeout: 120_000 });
      if (r.code !== 0) process.stderr.write(`sandbox reset failed: ${r.stderr}\n`);
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
