/**
 * Running the real `bin/berth` in tests, each test file with its own state root and runroot
 * (so nothing touches /var/lib/berth), removed afterwards.
 */
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const SRC_ROOT = process.env.BERTH_SRC_ROOT ?? new URL('../../../', import.meta.url).pathname;
export const BERTH = join(SRC_ROOT, 'bin/berth');

export interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

export class Sandbox {
  readonly dir: string;
  readonly root: string;
  readonly runRoot: string;
  constructor(name = 'berth-test') {
    this.dir = mkdtempSync(join(tmpdir(), `${name}-`));
    this.root = join(this.dir, 'root');
    this.runRoot = join(this.dir, 'run');
  }
  get env(): NodeJS.ProcessEnv {
    return { ...process.env, BERTH_ROOT: this.root, BERTH_RUNROOT: this.runRoot, NO_COLOR: '1' };
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
  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
