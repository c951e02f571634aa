/**
 * The real clients pointed at a test's `berth system service`: the docker CLI 20.10
 * (/usr/bin/docker), docker-py (Debian's python3-docker, run by /usr/bin/python3 so that no other
 * python's docker-py is picked up) and docker-compose 1.29. Shared by the image, build, network,
 * volume and compose API tests.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import type { ApiResponse, Service } from '../helpers/service.js';
import { requireTool } from '../helpers/tools.js';

export interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

export function docker(svc: Service, args: string[], opts: { input?: string | Buffer; env?: NodeJS.ProcessEnv; cwd?: string; timeout?: number } = {}): Ran {
  const bin = requireTool(['/usr/bin/docker'], 'docker.io');
  const r = spawnSync(bin, args, {
    env: { ...svc.dockerEnv, DOCKER_BUILDKIT: '0', ...opts.env },
    input: opts.input,
    cwd: opts.cwd,
    timeout: opts.timeout ?? 180_000,
    maxBuffer: 256 << 20,
  });
  return { code: r.status ?? 128, stdout: r.stdout?.toString() ?? '', stderr: r.stderr?.toString() ?? '' };
}

/** Runs docker and fails unless it exited 0; its stdout. */
export function dockerOk(svc: Service, args: string[], opts?: Parameters<typeof docker>[2]): string {
  const r = docker(svc, args, opts);
  if (r.code !== 0) throw new Error(`docker ${args.join(' ')} exited ${r.code}: ${r.stderr}${r.stdout}`);
  return r.stdout;
}

/** A docker-py script (DOCKER_HOST from the environment); its stdout parsed as one JSON document. */
export function dockerPy<T = any>(svc: Service, script: string, env: NodeJS.ProcessEnv = {}): T {
  const py = requireTool(['/usr/bin/python3'], 'python3');
  const check = spawnSync(py, ['-c', 'import docker'], { env: svc.dockerEnv });
  if (check.status !== 0) throw new Error('docker-py is not installed for /usr/bin/python3 (apt-get install python3-docker)');
  const r = spawnSync(py, ['-c', `import docker, json, sys\nclient = docker.from_env(version='1.41', timeout=300)\n${script}`], {
    env: { ...svc.dockerEnv, ...env },
    timeout: 300_000,
    maxBuffer: 256 << 20,
  });
  if (r.status !== 0) throw new Error(`docker-py script failed (${r.status}): ${r.stderr?.toString()}`);
  return JSON.parse(r.stdout.toString()) as T;
}

/** Writes `auths` for a registry into the client's DOCKER_CONFIG, as `docker login` would. */
export function storeLogin(svc: Service, registry: string, user: string, password: string): void {
  const dir = svc.dockerEnv.DOCKER_CONFIG!;
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ auths: { [registry]: { auth: Buffer.from(`${user}:${password}`).toString('base64') } } }), {
    mode: 0o600,
  });
}

/**
 * One API request on a connection of its own (agent: false). Node 22's global agent keeps
 * sockets alive, and the tests block the event loop in spawnSync while the docker CLI runs: a
 * pooled socket the service closed meanwhile (its keep-alive timeout) would be picked for the
 * next request and fail with EPIPE.
 */
export function api(svc: Service, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : Buffer.isBuffer(body) ? body : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
    const req = request(
      {
        socketPath: svc.socket,
        method,
        path,
        agent: false,
        headers: { ...(data ? { 'Content-Type': 'application/json', 'Content-Length': String(data.length) } : {}), ...headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const buf = Buffer.concat(chunks);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: buf, json: () => JSON.parse(buf.toString()) });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}
