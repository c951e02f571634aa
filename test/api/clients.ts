/**
 * The real clients for the container/system API tests, pointed at a test's service: docker's
 * CLI 20.10 (/usr/bin/docker; Debian's docker.io) and docker-py (Debian's python3-docker,
 * through /usr/bin/python3 so no other python's copy is used).
 */
import { spawn, spawnSync } from 'node:child_process';
import type { Service } from '../helpers/service.js';
import { requireTool } from '../helpers/tools.js';

export interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

export const DOCKER_CLI = ['/usr/bin/docker'];

export function docker(svc: Service, args: string[], opts: { input?: string | Buffer; timeout?: number; bin?: string } = {}): Ran {
  const bin = opts.bin ?? requireTool(DOCKER_CLI, 'docker.io');
  const r = spawnSync(bin, args, { env: svc.dockerEnv, input: opts.input, timeout: opts.timeout ?? 120_000, maxBuffer: 64 << 20 });
  return { code: r.status ?? 128, stdout: r.stdout?.toString() ?? '', stderr: r.stderr?.toString() ?? '' };
}

export function dockerOk(svc: Service, args: string[], opts?: Parameters<typeof docker>[2]): string {
  const r = docker(svc, args, opts);
  if (r.code !== 0) throw new Error(`docker ${args.join(' ')} exited ${r.code}: ${r.stderr}${r.stdout}`);
  return r.stdout;
}

/** docker in the background (logs -f, events): its output so far, and a stop by its PID. */
export function dockerBg(svc: Service, args: string[], opts: { bin?: string } = {}): { out: () => string; stop: () => Promise<void> } {
  const bin = opts.bin ?? requireTool(DOCKER_CLI, 'docker.io');
  const child = spawn(bin, args, { env: svc.dockerEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return {
    out: () => out,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** A docker-py script; `client` is ready; what it prints as JSON is returned parsed. */
export function dockerPy<T = any>(svc: Service, script: string, timeout = 180_000): T {
  const py = requireTool(['/usr/bin/python3'], 'python3');
  const r = spawnSync(py, ['-c', `import docker, json, sys, time\nclient = docker.from_env(version='1.41', timeout=120)\n${script}`], {
    env: svc.dockerEnv,
    timeout,
    maxBuffer: 64 << 20,
  });
  if (r.status !== 0) throw new Error(`docker-py script failed (${r.status}): ${r.stderr?.toString()}`);
  return JSON.parse(r.stdout.toString()) as T;
}

/** Polls `check` until it returns a truthy value (generous deadline for a loaded machine). */
export async function until<T>(what: string, check: () => T | undefined | false | null | Promise<T | undefined | false | null>, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
