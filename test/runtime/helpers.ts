/**
 * A sandbox per test: temp dirs for bundles, runc root, exit dir, sockets and logs, a unique
 * cgroup parent; `cleanup()` removes every container, conmon, cgroup and dir it made, also when
 * the test failed halfway.
 */
import { mkdtempSync, readdirSync, rmdirSync, rmSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { busyboxRootfs } from '../fixtures/busybox.js';
import {
  buildSpec,
  writeSpec,
  conmonStart,
  conmonCreate,
  bundleFiles,
  isConmon,
  Runc,
  type SpecInput,
  type CreatedContainer,
  type ConmonCreateOptions,
} from '../../src/engine/runtime/index.js';

export class Sandbox {
  readonly dir = mkdtempSync(join(tmpdir(), 'berth-rt-'));
  readonly root = join(this.dir, 'runc');
  readonly exitDir = join(this.dir, 'exits');
  readonly socketDir = join(this.dir, 'sock');
  readonly cgroupParent = `berth-test-${randomBytes(4).toString('hex')}`;
  readonly runc = new Runc({ binary: '/usr/sbin/runc', root: this.root });
  readonly rootfs = busyboxRootfs();
  private conmons: number[] = [];

  id(): string {
    return randomBytes(16).toString('hex');
  }
  bundle(id: string): string {
    return join(this.dir, 'bundles', id);
  }
  logPath(id: string): string {
    return join(this.dir, 'logs', `${id}.log`);
  }
  exitFile(id: string): string {
    return join(this.exitDir, id);
  }

  /** Writes config.json for `id` from a spec input (rootfs, cgroupsPath, network defaulted). */
  prepare(id: string, input: Partial<SpecInput> & { args: string[] }): string {
    const { spec } = buildSpec({
      rootfs: this.rootfs,
      readonlyRootfs: true,
      cgroupsPath: `/${this.cgroupParent}/${id}`,
      network: 'new',
      ...input,
    });
    writeSpec(this.bundle(id), spec);
    return this.bundle(id);
  }

  createOpts(id: string, extra: Partial<ConmonCreateOptions> = {}): ConmonCreateOptions {
    return {
      id,
      bundle: this.bundle(id),
      runtime: this.runc.cfg,
      logPath: this.logPath(id),
      exitDir: this.exitDir,
      socketDir: this.socketDir,
      ...extra,
    };
  }

  async run(input: Partial<SpecInput> & { args: string[] }, extra: Partial<ConmonCreateOptions> = {}): Promise<{ id: string } & CreatedContainer> {
    const id = this.id();
    this.prepare(id, input);
    const c = await conmonStart(this.createOpts(id, { terminal: !!input.terminal, ...extra }));
    this.conmons.push(c.conmonPid);
    return { id, ...c };
  }

  async create(input: Partial<SpecInput> & { args: string[] }, extra: Partial<ConmonCreateOptions> = {}): Promise<{ id: string } & CreatedContainer> {
    const id = this.id();
    this.prepare(id, input);
    const c = await conmonCreate(this.createOpts(id, { terminal: !!input.terminal, ...extra }));
    this.conmons.push(c.conmonPid);
    return { id, ...c };
  }

  /** Waits for the exit file; returns the code. */
  async waitExit(id: string, timeoutMs = 10_000): Promise<number> {
    const end = Date.now() + timeoutMs;
    while (Date.now() < end) {
      if (existsSync(this.exitFile(id))) {
        const t = readFileSync(this.exitFile(id), 'utf8').trim();
        if (t !== '') return Number(t);
      }
      await sleep(20);
    }
    throw new Error(`container ${id} did not exit within ${timeoutMs} ms`);
  }

  async cleanup(): Promise<void> {
    // Every container this runc root knows, running or not.
    let ids: string[] = [];
    try {
      const out = execFileSync('/usr/sbin/runc', ['--root', this.root, 'list', '-q'], { encoding: 'utf8' });
      ids = out.split('\n').filter(Boolean);
    } catch {
      // no root dir: nothing was created
    }
    for (const id of ids) {
      try {
        await this.runc.delete(id, { force: true });
      } catch {
        // already gone
      }
    }
    // conmons we started (they exit on their own once the container is gone; be sure).
    for (const d of existsSync(join(this.dir, 'bundles')) ? readdirSync(join(this.dir, 'bundles')) : []) {
      const f = bundleFiles(join(this.dir, 'bundles', d)).conmonPidFile;
      if (existsSync(f)) this.conmons.push(Number(readFileSync(f, 'utf8').trim()));
    }
    for (const pid of new Set(this.conmons)) {
      for (let i = 0; i < 50 && isConmon(pid); i++) await sleep(20);
      if (isConmon(pid)) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // gone
        }
      }
    }
    // runc delete removes each container's cgroup; the parent is ours to remove.
    for (const base of ['/sys/fs/cgroup', '/sys/fs/cgroup/unified']) {
      let ctrls: string[] = [];
      try {
        ctrls = readdirSync(base);
      } catch {
        continue;
      }
      for (const c of ['', ...ctrls]) {
        const p = join(base, c, this.cgroupParent);
        try {
          rmdirSync(p);
        } catch {
          // not there in this hierarchy
        }
      }
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
