/**
 * Where a container's output can be read back, from its log driver: the files (rotated ones
 * first), their format, and when a follower has seen everything (the container exited and its
 * log writer, if it has one, wrote the last lines). None for --log-driver none.
 */
import { existsSync } from 'node:fs';
import { logFiles, logPlan } from '../runtime/log-config.js';
import { pumpFinished } from '../runtime/log-pump.js';
import type { ContainerContext } from './context.js';
import type { Container } from './records.js';

export interface LogSource {
  path: string;
  format: 'k8s-file' | 'json-file';
  /** Older files, oldest first. */
  rotated: string[];
  /** The container has exited and every line of it is in the files. */
  done: () => boolean;
  /** Every line stays (no max-size): following the files misses nothing, so a foreground
   *  `run` may read its output there instead of attaching. */
  complete: boolean;
}

export function logSource(ctx: ContainerContext, c: Container): LogSource | undefined {
  const plan = logPlan(c.spec.host.logConfig, ctx.dir(c.id), c.id);
  if (plan.driver === 'none') return undefined;
  const files = logFiles(plan);
  const dir = ctx.dir(c.id);
  const exitFile = ctx.exitFile(c.id);
  return {
    path: plan.path,
    format: plan.driver,
    rotated: files.slice(0, -1),
    // removed (--rm, rm -f) while followed: its directory and exit file are gone, nothing more comes
    done: () => !existsSync(dir) || (existsSync(exitFile) && (!plan.writer || pumpFinished(dir))),
    complete: plan.maxSize === 0,
  };
}
