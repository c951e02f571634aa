/**
 * What a crash sweep (`system prune`, `system reset`) may remove of a container. A listing of
 * running containers is out of date as soon as it is read: a start that began after it has its
 * conmon, runtime state, netns and cgroup before its row says running. A start claims the
 * container under its lock before any of those exist (run-token.ts), so checking the claim and
 * the row under the same lock, and removing there, never takes a run that is starting.
 */
import { withHostLock } from '../../net/cni-lock.js';
import type { ContainerContext } from './context.js';
import { startInFlight } from './run-token.js';

export interface SweepGuard {
  /** The full id of this state root's container with that id or 12-hex key; undefined when none. */
  known(idOrKey: string): string | undefined;
  /**
   * Runs `remove` unless the container (of this state root) runs or is being started; an id
   * unknown here is removed as is. Resolves to whether `remove` ran.
   */
  ifIdle(id: string, remove: () => Promise<void>): Promise<boolean>;
}

export function sweepGuard(ctx: ContainerContext, runningIds: ReadonlySet<string>): SweepGuard {
  const known = (idOrKey: string): string | undefined => {
    if (idOrKey.length === 64) return ctx.records.byId(idOrKey)?.id;
    try {
      return ctx.records.find(idOrKey).id;
    } catch {
      return undefined;
    }
  };
  const busy = (id: string): boolean => {
    if (runningIds.has(id) || startInFlight(ctx, id)) return true;
    const state = ctx.records.byId(id)?.state;
    return state === 'running' || state === 'paused';
  };
  return {
    known,
    async ifIdle(id, remove) {
      if (runningIds.has(id)) return false;
      if (!known(id)) {
        await remove();
        return true;
      }
      return withHostLock(ctx.lockFile(id), async () => {
        if (busy(id)) return false;
        await remove();
        return true;
      });
    },
  };
}
