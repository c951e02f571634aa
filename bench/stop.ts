/**
 * `stop` of a container whose PID 1 exits at once on SIGTERM (a shell with a trap, as a
 * well-behaved service): what is left is the engine's own work — signalling, noticing the exit,
 * releasing the network, mounts and cgroup. On the default bridge, the same command line on each
 * engine. Each round starts a container (untimed), waits until its shell has set the trap (its
 * SigCgt in /proc: PID 1 ignores TERM until then), times `stop`, and removes it (untimed).
 */
import type { BenchEngine } from './engines.js';
import type { Ctx, Row } from './cases.js';
import { ok, repeat, runTimed } from './timing.js';
import { catchesSignal, waitFor } from '../test/helpers/wait.js';

const SERVICE = ['sh', '-c', "trap 'exit 0' TERM; sleep 3600 & wait"];

async function oneStop(e: BenchEngine, name: string): Promise<number> {
  await ok(e.cmd(['run', '-d', '--name', name, e.image, ...SERVICE]));
  const pid = Number((await ok(e.cmd(['inspect', '-f', '{{.State.Pid}}', name]))).stdout.trim());
  await waitFor(`${name}'s trap on TERM`, () => catchesSignal(pid, 15), 30_000);
  const r = await runTimed(e.cmd(['stop', '-t', '10', name]));
  if (r.code !== 0) throw new Error(`${e.name} stop failed: ${r.stderr.trim().slice(0, 200)}`);
  await ok(e.cmd(['rm', name]));
  return r.ms;
}

export async function benchStop(ctx: Ctx): Promise<Row[]> {
  const row: Row = {
    id: 'stop',
    benchmark: '`stop` of a running container whose PID 1 exits on SIGTERM (default bridge)',
    unit: 'ms',
    notes: '`sh -c "trap \'exit 0\' TERM; sleep 3600 & wait"`; run -d and rm untimed',
  };
  for (const e of [ctx.berth as BenchEngine, ...ctx.others]) {
    try {
      ctx.log(`  stop: ${e.name}`);
      let i = 0;
      row[e.name] = await repeat(ctx.n, () => oneStop(e, `${e.prefix}-stop${i++}`));
    } catch (err) {
      row[e.name] = `error: ${String((err as Error).message)
        .split('\n')[0]!
        .slice(0, 120)}`;
      ctx.log(`  stop: ${e.name} failed: ${String(err)}`);
    }
  }
  return [row];
}
