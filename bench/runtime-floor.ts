/**
 * The floors under `run --rm`: runc's own `run`, and what berth must drive for one container,
 * timed in-process so that no Node start-up and no berth state is counted — conmon (spawned with
 * berth's own arguments, through the engine's runtime module) runs `runc create`, then `runc
 * start`, the exit file appears, then `runc delete`. Add Node's start-up (the floor row above)
 * and this is the least any Node program using conmon and runc can take; issue 3's 70 ms target
 * sits below it here.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { conmonStart } from '../src/engine/runtime/conmon.js';
import { exitFilePath, waitExitFile } from '../src/engine/runtime/exit-file.js';
import { Runc } from '../src/engine/runtime/runc.js';
import { findBinary } from '../src/engine/runtime/runtime.js';
import type { Ctx } from './cases.js';
import { ok, repeat, type Stats } from './timing.js';

/** A bundle that runs `true` on `rootfs` (read-only, fresh namespaces incl. net), made by `runc spec`. */
async function trueBundle(runc: string, bundle: string, rootfs: string): Promise<void> {
  mkdirSync(bundle, { recursive: true });
  await ok({ file: runc, args: ['spec', '--bundle', bundle] });
  const spec = JSON.parse(readFileSync(join(bundle, 'config.json'), 'utf8')) as {
    process: { terminal: boolean; args: string[] };
    root: { path: string; readonly: boolean };
  };
  spec.process.terminal = false;
  spec.process.args = ['true'];
  spec.root = { path: rootfs, readonly: true };
  writeFileSync(join(bundle, 'config.json'), JSON.stringify(spec));
}

/** runc's own `run` of `true` on the fixture rootfs: the floor the issue quotes (runc alone). */
export async function runcFloor(ctx: Ctx, rootfs: string): Promise<Stats | string> {
  const runc = findBinary('runc');
  if (!runc) return 'runc not installed';
  const bundle = join(ctx.berth.dir, 'runc-bundle');
  const state = join(ctx.berth.dir, 'runc-state');
  await trueBundle(runc, bundle, rootfs);
  return repeat(ctx.n, async (i) => (await ok({ file: runc, args: ['--root', state, 'run', '--bundle', bundle, `${ctx.berth.prefix}-runc${i + 10}`] })).ms);
}

/** conmon → runc create, start, exit, delete of `true`, in-process. */
export async function runtimeFloor(ctx: Ctx, rootfs: string): Promise<Stats | string> {
  const runcPath = findBinary('runc');
  if (!runcPath) return 'runc not installed';
  const base = join(ctx.berth.dir, 'runtime-floor');
  const bundle = join(base, 'bundle');
  await trueBundle(runcPath, bundle, rootfs);
  const runtime = { binary: runcPath, root: join(base, 'runc') };
  const exitDir = join(base, 'exits');
  try {
    return await repeat(ctx.n, async (i) => {
      const id = `${ctx.berth.prefix}floor${i + 10}`;
      const t0 = performance.now();
      try {
        await conmonStart({ id, bundle, runtime, logPath: join(base, `${id}.log`), exitDir, socketDir: join(base, 'sock') });
        await waitExitFile(exitFilePath(exitDir, id), { pollMs: 1, timeoutMs: 30_000 });
      } finally {
        await new Runc(runtime).delete(id, { force: true }).catch(() => undefined);
      }
      return performance.now() - t0;
    });
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
}
