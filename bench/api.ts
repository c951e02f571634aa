/**
 * Issue 14's figure: `docker run --rm busybox true` by docker's CLI 20.10 through berth's Engine
 * API socket (`berth system service`) beside the same command through a private dockerd
 * (test/docker/dockerd.ts, its own bridge), each on busybox imported from the same tarball.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { TestDockerd } from '../test/docker/dockerd.js';
import { apiRequest } from '../test/helpers/service.js';
import type { Ctx, Row } from './cases.js';
import { BERTH_BIN } from './engines.js';
import { ok, repeat } from './timing.js';

const DOCKER = '/usr/bin/docker';

async function startService(ctx: Ctx): Promise<{ child: ChildProcess; sock: string }> {
  const sock = join(ctx.berth.dir, 'api.sock');
  const child = spawn(BERTH_BIN, ['system', 'service', `unix://${sock}`, '--time', '0'], { env: ctx.berth.env, stdio: 'ignore' });
  for (let i = 0; i < 300; i++) {
    if ((await apiRequest(sock, 'GET', '/_ping').catch(() => undefined))?.status === 200) return { child, sock };
    await sleep(100);
  }
  child.kill('SIGTERM');
  throw new Error('berth system service did not answer');
}

export async function benchApi(ctx: Ctx, tarball: string): Promise<Row[]> {
  if (!existsSync(DOCKER)) return [{ id: 'api', benchmark: 'docker run --rm busybox true', unit: 'ms', berth: 'docker CLI not installed', notes: '' }];
  const row: Row = {
    id: 'api',
    benchmark: '`docker run --rm busybox true` (docker CLI 20.10): berth socket vs dockerd',
    unit: 'ms',
    notes: 'berth: `berth system service`; docker: a private dockerd',
  };
  const run = (host: string) => async () =>
    (
      await ok({
        file: DOCKER,
        args: ['run', '--rm', 'busybox', 'true'],
        env: { ...process.env, DOCKER_HOST: host, DOCKER_CONFIG: join(ctx.berth.dir, 'docker-config') },
      })
    ).ms;
  const svc = await startService(ctx);
  try {
    row.berth = await repeat(ctx.n, run(`unix://${svc.sock}`));
  } catch (e) {
    row.berth = `error: ${String((e as Error).message).slice(0, 120)}`;
  } finally {
    const exited = new Promise((r) => svc.child.once('exit', r));
    svc.child.kill('SIGTERM');
    await exited;
  }
  const d = new TestDockerd('berth-bench-api');
  try {
    await d.start();
    await ok({ file: DOCKER, args: ['import', tarball, 'busybox'], env: { ...process.env, DOCKER_HOST: d.host } });
    row.docker = await repeat(ctx.n, run(d.host));
  } catch (e) {
    row.docker = `error: ${String((e as Error).message).slice(0, 120)}`;
  } finally {
    await d.stop().catch(() => undefined);
  }
  return [row];
}
