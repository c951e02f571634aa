/**
 * `sync`, run for every container a listing shows: cheap checks (a file, a signal 0) in the
 * usual case, lifecycle.ts (reached through repairs.ts) only for what is left to undo. Its own
 * module so that `ps`, `stats` and `inspect` do not load the runtime, spec, network and cgroup
 * code lifecycle.ts needs.
 */
import { existsSync, readFileSync } from 'node:fs';
import { alive } from '../process-alive.js';
import type { ContainerContext } from './context.js';
import type { Container } from './records.js';
import { foregroundClaim, orphanedPause, releasePause, startInFlight } from './run-token.js';
import { repairs } from './repairs.js';
import { restarterAlive } from './restart-backoff.js';

/**
 * Makes the row tell the truth: a container recorded as running whose process has exited (conmon
 * wrote the exit file, or conmon itself is gone) is cleaned up; one stuck half-way through start
 * by a killed berth is either adopted (runc has it running) or released.
 */
export async function sync(ctx: ContainerContext, c: Container): Promise<Container> {
  if (c.state === 'running' || c.state === 'paused') {
    if (existsSync(ctx.exitFile(c.id)) || (!alive(c.pid) && !alive(c.conmon_pid))) {
      const { cleanup } = await repairs();
      await cleanup(ctx, c.id);
      return ctx.records.byId(c.id) ?? { ...c, state: 'exited' };
    }
    if (c.state === 'running' && orphanedPause(ctx, c.id)) {
      // a commit was killed while the container was frozen: thaw it, as the row says running
      await ctx.runc.resume(c.id).catch(() => undefined);
      releasePause(ctx, c.id);
    }
    return c;
  }
  if (c.mounted && c.state !== 'removing') {
    if (startInFlight(ctx, c.id)) return c; // another live berth process is starting it right now
    const { markRunning, releaseRuntime } = await repairs();
    // A start that never reported back: adopt it if runc runs it, else undo.
    const st = await ctx.runc.tryState(c.id).catch(() => undefined);
    if (st && (st.status === 'running' || st.status === 'paused') && !existsSync(ctx.exitFile(c.id))) {
      const conmonPid = Number(readFileSync(`${ctx.dir(c.id)}/conmon.pid`, 'utf8').trim()) || 0;
      await markRunning(ctx, c, { pid: st.pid, conmonPid });
      return ctx.records.byId(c.id)!;
    }
    // Created but never started (berth killed between create and start), or gone: undo.
    await releaseRuntime(ctx, c);
    ctx.db.tx(() => ctx.records.update(c.id, { mounted: 0 }));
    return ctx.records.byId(c.id)!;
  }
  if (c.state === 'exited' && c.spec.autoRemove && foregroundClaim(ctx, c.id) === 'orphaned') {
    // a foreground `run --rm` was killed after the exit, before it removed the container:
    // cleanup claims the removal under the container's lock (one removal, one destroy event)
    const { cleanup } = await repairs();
    await cleanup(ctx, c.id);
    return ctx.records.byId(c.id) ?? { ...c, state: 'removing' };
  }
  if (c.state === 'restarting' && !restarterAlive(ctx.restarterFile(c.id))) {
    // its restart policy's wait ended with the process that waited: it stays stopped
    ctx.db.tx(() => ctx.records.update(c.id, { state: 'exited' }));
    return ctx.records.byId(c.id) ?? { ...c, state: 'exited' };
  }
  if (c.state === 'removing') {
    const { removeRecord } = await repairs();
    await removeRecord(ctx, c, true);
    return { ...c, state: 'removing' };
  }
  return c;
}
